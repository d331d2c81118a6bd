"""Paths into YAML input and JSON output: tuples of keys and list indexes.

A path prints as `$.storage.files.0.mode`; JSON (camelCase) and YAML (snake_case)
names convert with the reference's rules.
"""

from __future__ import annotations

Path = tuple[str | int, ...]


def render(path: Path) -> str:
    """`$` followed by `.elem` for each element, as the reference prints paths."""
    return "$" + "".join("." + str(p) for p in path)


def camel_to_snake(name: str) -> str:
    """`sizeMiB` -> `size_mib`, `typeGuid` -> `type_guid` (the reference's fallback rule)."""
    out = []
    i = 0
    while i < len(name):
        if name.startswith("MiB", i):
            out.append("_mib")
            i += 3
            continue
        ch = name[i]
        out.append("_" + ch.lower() if "A" <= ch <= "Z" else ch)
        i += 1
    return "".join(out)


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
