"""Base translation: the Butane config (snake_case dicts) copied field by field
into the Ignition config (camelCase dicts), recording a TranslationSet, with the
per-object sugar (inline/local resources, contents_local, local SSH keys)
applied on the way."""

from __future__ import annotations

from .paths import snake_to_camel
from .report import Entry
from .translation import TranslationSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

    from .desugar.local_files import PathCache
    from .paths import Path
    from .schema import Type

    Hook: TypeAlias = "Callable[[Translator, dict[str, Any], dict[str, Any], Path, Path], None]"
    # Butane name, Ignition name, how to copy, Butane and Ignition types of the
    # value (of a list's items), the zero value Go copies when the field is unset
    Pair: TypeAlias = "tuple[str, str, int, Type, Type, Any]"
else:
    Hook = "Hook"  # other modules import it for their annotations only


class Options:
    """What the hooks need of the translate options."""

    __slots__ = ("files_dir", "auto_compress", "paths")

    def __init__(self, files_dir: str | None = None, auto_compress: bool = True) -> None:
        self.files_dir = files_dir
        self.auto_compress = auto_compress
        # resolved directories, shared by this translation's local files (set on first use)
        self.paths: PathCache | None = None


# how a field's value is copied
_LEAF, _STRUCT, _LEAVES, _STRUCTS = 0, 1, 2, 3

_ZERO: dict[str, Any] = {"string": "", "int": 0, "bool": False}

# unset pointers, lists and structs are left out; never a copied value
_MISSING = object()

# (Butane type, Ignition type) -> the fields with a counterpart, in Butane
# struct order; the types are built once per version and shared
_PAIRS: dict[tuple[Type, Type], tuple[Pair, ...]] = {}


def _pairs(bt: Type, it: Type) -> tuple[Pair, ...]:
    out = []
    for name, f in bt.fields.items():
        jname = snake_to_camel(name)
        jf = it.fields.get(jname)
        if jf is None:
            continue
        ft, jt = f.type, jf.type
        how = _LEAF
        if ft.kind == "struct":
            how = _STRUCT
        elif ft.kind == "list":
            assert ft.elem is not None and jt.elem is not None
            ft, jt = ft.elem, jt.elem
            how = _STRUCTS if ft.kind == "struct" else _LEAVES
        # Go copies non-pointer scalars even when zero, and records them
        zero = _ZERO.get(f.type.kind, _MISSING) if not f.ptr else _MISSING
        out.append((name, jname, how, ft, jt, zero))
    pairs = _PAIRS[(bt, it)] = tuple(out)
    return pairs


class Translator:
    __slots__ = ("ts", "entries", "options", "hooks")

    def __init__(self, options: Options, hooks: dict[str, Hook]) -> None:
        self.ts = TranslationSet()
        self.entries: list[Entry] = []
        self.options = options
        self.hooks = hooks

    def error(self, path: Path, message: str) -> None:
        self.entries.append(Entry("error", message, path))

    def struct(self, bt: Type, it: Type, data: dict[str, Any], fp: Path, tp: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        ts_map = self.ts.map
        before = len(ts_map)
        pairs = _PAIRS.get((bt, it))
        if pairs is None:
            pairs = _pairs(bt, it)
        for name, jname, how, ft, jt, zero in pairs:
            if name not in data:
                if zero is not _MISSING:
                    out[jname] = zero
                    ts_map[tp + (jname,)] = fp + (name,)
                continue
            v = data[name]
            f = fp + (name,)
            t = tp + (jname,)
            if how == _LEAF:
                out[jname] = v
            elif how == _STRUCT:
                out[jname] = self.struct(ft, jt, v, f, t)
                continue  # the struct records itself, if at all
            elif how == _STRUCTS:
                struct = self.struct
                out[jname] = [struct(ft, jt, item, f + (i,), t + (i,)) for i, item in enumerate(v)]
            else:
                for i in range(len(v)):
                    ts_map[t + (i,)] = f + (i,)
                out[jname] = list(v)
            ts_map[t] = f
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
