"""Shared by the generated-node passes (trees, quadlets, mount units): the node
tracker over the output's files/directories/links, and the reference's
"common source" translations."""

from __future__ import annotations

from typing import Any

from ..paths import Path
from ..schema import Type, ignition_config
from ..translation import TranslationSet

Obj = dict[str, Any]

_KINDS = ("files", "directories", "links")


def ignition_type(base: int, *names: str) -> Type:
    """An output struct type, e.g. ("storage", "files") -> File, for the
    Ignition spec a base version emits (base N -> spec 3.(N-1))."""
    t = ignition_config(base - 1)
    for name in names:
        t = t.fields[name].type
        if t.kind == "list":
            assert t.elem is not None
            t = t.elem
    return t


def add_common_source(ts: TranslationSet, src: Path, prefix: Path, value: Obj, t: Type) -> None:
    """Go `AddFromCommonSource`: `prefix` and every field path of the struct
    `t` map to `src` -- zero fields included, list items and set pointers to
    structs followed (`getAllPaths` with includeZeroFields)."""
    m = ts.map
    _common(m, src, prefix, value, t)
    m[prefix] = src


def _common(m: dict[Path, Path], src: Path, prefix: Path, value: Obj, t: Type) -> None:
    for name, f in t.fields.items():
        p = prefix + (name,)
        m[p] = src
        ft = f.type
        sub = value.get(name)
        if ft.kind == "struct":
            if sub is not None or not f.ptr:
                _common(m, src, p, sub or {}, ft)
        elif ft.kind == "list" and sub:
            elem = ft.elem
            assert elem is not None
            for i, item in enumerate(sub):
                if elem.kind == "struct":
                    _common(m, src, p + (i,), item, elem)
                m[p + (i,)] = src


class NodeTracker:
    """Output files, directories and links by path (the reference's
    nodeTracker), seeded from what the config already has.  Lists are created
    in the output only when a node is added."""

    __slots__ = ("ign", "maps")

    def __init__(self, ign: Obj) -> None:
        self.ign = ign
        storage = ign.get("storage") or {}
        self.maps: dict[str, dict[str, int]] = {}
        for kind in _KINDS:
            self.maps[kind] = {n.get("path", ""): i for i, n in enumerate(storage.get(kind) or [])}

    def exists(self, path: str) -> bool:
        return any(path in m for m in self.maps.values())

    def get(self, kind: str, path: str) -> tuple[int, Obj] | None:
        i = self.maps[kind].get(path)
        if i is None:
            return None
        node: Obj = self.ign["storage"][kind][i]
        return i, node

    def add(self, kind: str, node: Obj) -> int:
        nodes: list[Obj] = self.ign.setdefault("storage", {}).setdefault(kind, [])
        i = len(nodes)
        nodes.append(node)
        self.maps[kind][node["path"]] = i
        return i
