"""Field filters: output fields a variant rejects when they are set."""

from __future__ import annotations

from ..paths import Path
from ..report import Entry
from ..schema import Type

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _empty(v: Any, t: Type, ptr: bool, filt: str, ignore_zero: frozenset[str]) -> bool:
    if v is None:
        return True
    if ptr:
        # a pointer to a zero scalar counts only where the variant says to ignore it
        return t.kind in ("string", "int", "bool") and not v and filt in ignore_zero
    if t.kind == "struct":
        return all(_empty(v.get(name), f.type, f.ptr, f"{filt}.{name}" if filt else name, ignore_zero)
                   for name, f in t.fields.items())
    return not v


def check_filters(cfg: dict[str, Any], t: Type, filters: dict[str, str],
                  ignore_zero: frozenset[str] = frozenset()) -> list[Entry]:
    """Errors (JSON paths, output-struct order) for every filtered field that is set."""
    out: list[Entry] = []

    def walk(v: Any, t: Type, filt: str, p: Path) -> None:
        if t.kind == "struct":
            for name, f in t.fields.items():
                sub = v.get(name)
                if sub is None:
                    continue
                child = f"{filt}.{name}" if filt else name
                message = filters.get(child)
                if message is not None:
                    if not _empty(sub, f.type, f.ptr, child, ignore_zero):
                        out.append(Entry("error", message, p + (name,), tag="json"))
                    continue
                walk(sub, f.type, child, p + (name,))
        elif t.kind == "list" and t.elem is not None and t.elem.kind == "struct":
            for i, item in enumerate(v):
                walk(item, t.elem, filt, p + (i,))

    walk(cfg, t, "", ())
    return out
