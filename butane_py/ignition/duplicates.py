"""Ignition's duplicate-entry check (pipeline step 8): ``duplicate entry defined``.

Every struct of the config is visited in walk order (a struct, then its fields in declaration
order).  Within one struct, each list field is checked for items whose key was already seen;
some lists share one key space (storage directories/files/links by path, kernel arguments)
and some are not checked at all (file ``append``, filesystem/raid/luks ``options``,
filesystem ``mountOptions``).
"""

from __future__ import annotations

from .schema import flat_fields, spec_minor

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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

# What the walk needs of one struct, worked out once per spec version:
#   lists: (json name, key field of the elements ("" for strings, None for partitions),
#           key space) of every list checked here;
#   children: (json name, the child's table, whether the field is a list of them) of
#           every struct-valued field under which some list is checked;
#   names: the json names of both, to skip a struct that has none of them.
# A struct with neither has no table (None): the walk does not go there.
_Table = tuple[tuple[tuple[str, "str | None", str], ...], tuple[tuple[str, "_Table", bool], ...],
               frozenset[str]]
_TABLES: dict[tuple[int, str], _Table | None] = {}


def _elem_struct(typ: str) -> str | None:
    if typ.startswith("[]S:"):
        return typ[4:]
    if typ == "L:HTTPHeaders":
        return "HTTPHeader"
    return None


def _table(minor: int, struct: str) -> _Table | None:
    key = (minor, struct)
    if key in _TABLES:
        return _TABLES[key]
    ignored = _IGNORED.get(struct, frozenset())
    merged = _MERGED.get(struct, {})
    lists: list[tuple[str, str | None, str]] = []
    children: list[tuple[str, _Table, bool]] = []
    for f, _ in flat_fields(minor, struct):
        name = f.json
        assert name is not None
        typ = f.type
        elem = _elem_struct(typ)
        if (typ.startswith("[]") or typ.startswith("L:")) and name not in ignored:
            key_field = "" if elem is None else None if elem == "Partition" else _KEY_FIELD[elem]
            lists.append((name, key_field, merged.get(name, name)))
        if typ.startswith("S:") or typ.startswith("*S:"):
            child = _table(minor, typ.split(":", 1)[1])
            if child is not None:
                children.append((name, child, False))
        elif elem is not None:
            child = _table(minor, elem)
            if child is not None:
                children.append((name, child, True))
    names = frozenset([name for name, _, _ in lists] + [name for name, _, _ in children])
    table = (tuple(lists), tuple(children), names) if names else None
    _TABLES[key] = table
    return table


def _item_key(key_field: str | None, item: Any) -> str:
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        return ""
    if key_field is None:  # Partition
        number = item.get("number")
        if isinstance(number, int) and number != 0:
            return f"number:{number}"
        label = item.get("label")
        if label is not None:
            return f"label:{label}"
        return ""
    value = item.get(key_field)
    return value if isinstance(value, str) else ""


def _walk(table: _Table, value: dict[str, Any], path: Path, out: list[Diag]) -> None:
    lists, children, _ = table
    seen: dict[str, set[str]] | None = None
    for name, key_field, space in lists:
        items = value.get(name)
        if not items or not isinstance(items, list):
            continue
        if seen is None:
            seen = {}
        keys = seen.setdefault(space, set())
        for i, item in enumerate(items):
            if key_field == "":
                key = item if isinstance(item, str) else ""
            else:
                key = _item_key(key_field, item)
            if key in keys:
                out.append(("error", (*path, name, i), _MSG))
            keys.add(key)
    for name, child_table, is_list in children:
        child = value.get(name)
        if child is None:
            continue
        names = child_table[2]
        if not is_list:
            if isinstance(child, dict) and not names.isdisjoint(child):
                _walk(child_table, child, (*path, name), out)
        elif isinstance(child, list):
            for i, item in enumerate(child):
                if isinstance(item, dict) and not names.isdisjoint(item):
                    _walk(child_table, item, (*path, name, i), out)


def duplicates_minor(cfg: dict[str, Any], minor: int) -> list[Diag]:
    out: list[Diag] = []
    table = _table(minor, "Config")
    if table is not None:
        _walk(table, cfg, (), out)
    return out


def duplicates(cfg: dict[str, Any], version: str) -> list[Diag]:
    """``duplicate entry defined`` errors at ``<list path>.<i>``, in the reference's order."""
    return duplicates_minor(cfg, spec_minor(version))
