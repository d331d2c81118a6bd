"""Base translation: the Butane config (snake_case dicts) copied field by field
into the Ignition config (camelCase dicts), recording a TranslationSet, with the
per-object sugar (inline/local resources, contents_local, local SSH keys)
applied on the way."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from .paths import Path, snake_to_camel
from .report import Entry
from .schema import Field, Type
from .translation import TranslationSet


class Options(NamedTuple):
    files_dir: str | None = None
    auto_compress: bool = True


@cache
def _pairs(bt: Type, it: Type) -> tuple[tuple[str, str, Field, Field], ...]:
    """Butane fields with an Ignition counterpart, in Butane struct order."""
    out = []
    for name, f in bt.fields.items():
        jname = snake_to_camel(name)
        jf = it.fields.get(jname)
        if jf is not None:
            out.append((name, jname, f, jf))
    return tuple(out)


_ZERO: dict[str, Any] = {"string": "", "int": 0, "bool": False}

Hook = Callable[["Translator", dict[str, Any], dict[str, Any], Path, Path], None]


class Translator:
    __slots__ = ("ts", "entries", "options", "hooks")

    def __init__(self, options: Options, hooks: dict[str, Hook]) -> None:
        self.ts = TranslationSet()
        self.entries: list[Entry] = []
        self.options = options
        self.hooks = hooks

    def error(self, path: Path, message: str) -> None:
        self.entries.append(Entry("error", message, path))

    def value(self, bt: Type, it: Type, v: Any, fp: Path, tp: Path) -> Any:
        kind = bt.kind
        if kind == "struct":
            return self.struct(bt, it, v, fp, tp)
        if kind == "list":
            be, ie = bt.elem, it.elem
            assert be is not None and ie is not None
            if be.kind == "struct":
                out = [self.struct(be, ie, item, fp + (i,), tp + (i,)) for i, item in enumerate(v)]
            else:
                add = self.ts.map.__setitem__
                for i in range(len(v)):
                    add(tp + (i,), fp + (i,))
                out = list(v)
            self.ts.map[tp] = fp
            return out
        self.ts.map[tp] = fp
        return v

    def struct(self, bt: Type, it: Type, data: dict[str, Any], fp: Path, tp: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        ts_map = self.ts.map
        before = len(ts_map)
        for name, jname, f, jf in _pairs(bt, it):
            if name in data:
                out[jname] = self.value(f.type, jf.type, data[name], fp + (name,), tp + (jname,))
            elif not f.ptr and f.type.kind in _ZERO:
                # Go copies non-pointer scalars even when zero, and records them
                out[jname] = _ZERO[f.type.kind]
                ts_map[tp + (jname,)] = fp + (name,)
        hook = self.hooks.get(bt.name)
        if hook is not None:
            hook(self, data, out, fp, tp)
        if len(ts_map) > before and (hook is not None or _nonzero(bt, data)):
            ts_map[tp] = fp
        return out


def _nonzero(bt: Type, data: dict[str, Any]) -> bool:
    """Go's !IsZero on a decoded struct: a set pointer or list counts, a scalar
    only when not its zero value."""
    fields = bt.fields
    for name, v in data.items():
        f = fields.get(name)
        if f is None or f.ptr or f.type.kind in ("list", "map"):
            return True
        if f.type.kind == "struct":
            if _nonzero(f.type, v):
                return True
        elif v:
            return True
    return False


def translate_config(bt: Type, it: Type, cfg: dict[str, Any], version: str, options: Options,
                     hooks: dict[str, Hook]) -> tuple[dict[str, Any], Translator]:
    """Translate the whole config; `version` is the Ignition version to write."""
    tr = Translator(options, hooks)
    out = tr.struct(bt, it, cfg, (), ())
    ign = out.setdefault("ignition", {})
    ign["version"] = version
    tr.ts.add(("version",), ("ignition", "version"))
    tr.ts.add(("ignition",), ("ignition",))
    return out, tr
