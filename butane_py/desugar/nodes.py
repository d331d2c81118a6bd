"""Shared by the generated-node passes (trees, quadlets, mount units): the node
tracker over the output's files/directories/links, and the reference's
"common source" translations."""

from __future__ import annotations

from ..paths import Path
from ..schema import Type, ignition_config
from ..translation import TranslationSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

Obj: TypeAlias = "dict[str, Any]"

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


# per struct type, its field paths in the order Go's getAllPaths visits them, each
# with what may lie below it: 0 nothing more (a scalar, or a value struct whose
# fields follow), 1 a pointer to a struct, 2 a list (with its element type).
# Generated nodes come by the thousand (trees), so the walk of the type is done once.
_Step = tuple[Path, int, "Type | None"]
_PLANS: dict[Type, tuple[_Step, ...]] = {}


def _plan(t: Type) -> tuple[_Step, ...]:
    plan = _PLANS.get(t)
    if plan is None:
        steps: list[_Step] = []

        def visit(struct: Type, rel: Path) -> None:
            for name, f in struct.fields.items():
                p = rel + (name,)
                ft = f.type
                if ft.kind == "struct" and f.ptr:
                    steps.append((p, 1, ft))
                elif ft.kind == "list":
                    steps.append((p, 2, ft.elem))
                else:
                    steps.append((p, 0, None))
                    if ft.kind == "struct":
                        visit(ft, p)

        visit(t, ())
        plan = _PLANS[t] = tuple(steps)
    return plan


def _common(m: dict[Path, Path], src: Path, prefix: Path, value: Obj, t: Type) -> None:
    for rel, below, sub_type in _plan(t):
        p = prefix + rel
        m[p] = src
        if not below:
            continue
        sub: Any = value
        for key in rel:
            sub = sub.get(key) if isinstance(sub, dict) else None
        if below == 1:
            if sub is not None:
                assert sub_type is not None
                _common(m, src, p, sub, sub_type)
        elif sub:
            assert sub_type is not None
            for i, item in enumerate(sub):
                if sub_type.kind == "struct":
                    _common(m, src, p + (i,), item, sub_type)
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
