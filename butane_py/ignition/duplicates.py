"""Ignition's duplicate-entry check (pipeline step 8): ``duplicate entry defined``.

Every struct of the config is visited in walk order (a struct, then its fields in declaration
order).  Within one struct, each list field is checked for items whose key was already seen;
some lists share one key space (storage directories/files/links by path, kernel arguments)
and some are not checked at all (file ``append``, filesystem/raid/luks ``options``,
filesystem ``mountOptions``).
"""

from __future__ import annotations

from typing import Any

from .schema import flat_fields, spec_minor

Diag = tuple[str, tuple[str | int, ...], str]
Path = tuple[str | int, ...]

_MSG = "duplicate entry defined"

# struct -> list fields whose duplicates are not reported
_IGNORED: dict[str, frozenset[str]] = {
    "File": frozenset(("append",)),
    "Filesystem": frozenset(("options", "mountOptions")),
    "Raid": frozenset(("options",)),
    "Luks": frozenset(("options",)),
}
# struct -> list field -> shared key space
_MERGED: dict[str, dict[str, str]] = {
    "Storage": {"directories": "Node", "files": "Node", "links": "Node"},
    "KernelArguments": {"shouldExist": "KernelArgument", "shouldNotExist": "KernelArgument"},
}
# struct -> the field its Key() returns
_KEY_FIELD = {
    "Directory": "path",
    "File": "path",
    "Link": "path",
    "Disk": "device",
    "Filesystem": "device",
    "Raid": "name",
    "Luks": "name",
    "Unit": "name",
    "Dropin": "name",
    "PasswdUser": "name",
    "PasswdGroup": "name",
    "HTTPHeader": "name",
    "Tang": "url",
    "Resource": "source",
    "ConfigReference": "source",
    "FileContents": "source",
    "CaReference": "source",
}


def _item_key(struct: str, item: Any) -> str:
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        return ""
    if struct == "Partition":
        number = item.get("number")
        if isinstance(number, int) and number != 0:
            return f"number:{number}"
        label = item.get("label")
        if label is not None:
            return f"label:{label}"
        return ""
    value = item.get(_KEY_FIELD[struct])
    return value if isinstance(value, str) else ""


def _elem_struct(typ: str) -> str | None:
    if typ.startswith("[]S:"):
        return typ[4:]
    if typ == "L:HTTPHeaders":
        return "HTTPHeader"
    return None


def _walk(minor: int, struct: str, value: dict[str, Any], path: Path, out: list[Diag]) -> None:
    fields = flat_fields(minor, struct)
    ignored = _IGNORED.get(struct, frozenset())
    merged = _MERGED.get(struct, {})
    seen: dict[str, set[str]] = {}
    for f, _ in fields:
        name = f.json
        assert name is not None
        if not (f.type.startswith("[]") or f.type.startswith("L:")) or name in ignored:
            continue
        items = value.get(name)
        if not isinstance(items, list) or not items:
            continue
        elem = _elem_struct(f.type)
        keys = seen.setdefault(merged.get(name, name), set())
        for i, item in enumerate(items):
            key = _item_key(elem, item) if elem is not None else (item if isinstance(item, str) else "")
            if key in keys:
                out.append(("error", (*path, name, i), _MSG))
            keys.add(key)
    for f, _ in fields:
        name = f.json
        assert name is not None
        child = value.get(name)
        if child is None:
            continue
        typ = f.type
        if typ.startswith("S:") or typ.startswith("*S:"):
            if isinstance(child, dict):
                _walk(minor, typ.split(":", 1)[1], child, (*path, name), out)
        else:
            elem = _elem_struct(typ)
            if elem is not None and isinstance(child, list):
                for i, item in enumerate(child):
                    if isinstance(item, dict):
                        _walk(minor, elem, item, (*path, name, i), out)


def duplicates_minor(cfg: dict[str, Any], minor: int) -> list[Diag]:
    out: list[Diag] = []
    _walk(minor, "Config", cfg, (), out)
    return out


def duplicates(cfg: dict[str, Any], version: str) -> list[Diag]:
    """``duplicate entry defined`` errors at ``<list path>.<i>``, in the reference's order."""
    return duplicates_minor(cfg, spec_minor(version))
