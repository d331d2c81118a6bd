"""Paths into YAML input and JSON output: tuples of keys and list indexes.

A path prints as `$.storage.files.0.mode`; JSON (camelCase) and YAML (snake_case)
names convert with the reference's rules.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_CAMEL_PART = re.compile(r"(MiB|[A-Z])")


def render(path: Path) -> str:
    """`$` followed by `.elem` for each element, as the reference prints paths."""
    return "$" + "".join("." + str(p) for p in path)


def camel_to_snake(name: str) -> str:
    """`sizeMiB` -> `size_mib`, `typeGuid` -> `type_guid` (the reference's fallback rule)."""
    return _CAMEL_PART.sub(lambda m: "_" + m.group(1).lower(), name)


def snake_to_camel(name: str) -> str:
    """`size_mib` -> `sizeMiB`, `http_headers` -> `httpHeaders`."""
    head, *rest = name.split("_")
    out = [head]
    for part in rest:
        out.append("MiB" if part == "mib" else part[:1].upper() + part[1:])
    return "".join(out)


def json_to_yaml_fallback(path: Path) -> Path:
    """What the reference does with an output path it has no translation for."""
    return tuple(camel_to_snake(p) if isinstance(p, str) else p for p in path)
