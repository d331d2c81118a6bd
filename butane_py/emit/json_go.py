"""Ignition JSON exactly as the reference writes it: Go struct key order, its
omit-empty rules (including empty structs), and Go's string escaping."""

from __future__ import annotations

import sys

from ..schema import Type

# the C encoder without the json package: json/__init__ loads the decoder and re,
# milliseconds of every start; the package is the fallback where _json is missing
try:
    from _json import encode_basestring
except ImportError:  # pragma: no cover - CPython always has _json
    from json.encoder import encode_basestring

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_ZERO: dict[str, Any] = {"string": "", "int": 0, "bool": False}

# per struct Type: (json name, field type, kind code, ptr, omitempty) of each field, in order
_SCALAR, _STRUCT, _STRUCT_LIST, _OTHER = 0, 1, 2, 3
_Row = tuple[str, Type, int, bool, bool]
_ROWS: dict[Type, tuple[_Row, ...]] = {}
_ROWS_MAX = 1024  # a bound, should a caller ever build types per call


def _rows(t: Type) -> tuple[_Row, ...]:
    rows = _ROWS.get(t)
    if rows is None:
        if len(_ROWS) >= _ROWS_MAX:
            _ROWS.clear()
        out = []
        for name, f in t.fields.items():
            ft = f.type
            kind = ft.kind
            if kind in _ZERO:
                code = _SCALAR
            elif kind == "struct":
                code = _STRUCT
            elif kind == "list" and ft.elem is not None and ft.elem.kind == "struct":
                code = _STRUCT_LIST
            else:
                code = _OTHER
            out.append((name, ft, code, f.ptr, f.omitempty))
        rows = _ROWS[t] = tuple(out)
    return rows


def shape(v: Any, t: Type) -> tuple[Any, bool]:
    """The value to encode, in output key order, and whether Go counts it empty."""
    kind = t.kind
    if kind == "struct":
        return _shape_struct(v, t)
    if kind == "list":
        elem = t.elem
        assert elem is not None
        if elem.kind == "struct":
            return [_shape_struct(item, elem)[0] for item in v], not v
        return v, not v
    return v, not v


def _shape_struct(v: Any, t: Type) -> tuple[dict[str, Any], bool]:
    out: dict[str, Any] = {}
    empty = True
    for name, ft, code, ptr, omitempty in _rows(t):
        val = v.get(name)
        if val is None:
            if not omitempty:
                out[name] = None if (ptr or ft.kind == "list") else (
                    _ZERO[ft.kind] if ft.kind in _ZERO else _shape_struct({}, ft)[0])
            continue
        # a scalar or a list of scalars is its own shape, empty when falsy
        if code == _STRUCT:
            val, sempty = _shape_struct(val, ft)
        elif code == _STRUCT_LIST:
            elem = ft.elem
            assert elem is not None
            sempty = not val
            val = [_shape_struct(item, elem)[0] for item in val]
        else:
            sempty = not val
        if ptr:
            empty = False
        elif sempty:
            if omitempty:
                continue
        else:
            empty = False
        out[name] = val
    return out, empty


_GO_ESCAPES = r'\\[bf\\]|[<>&\u2028\u2029]'
_REPLACE = {"\\b": "\\u0008", "\\f": "\\u000c", "\\\\": "\\\\", "<": "\\u003c", ">": "\\u003e",
            "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_escape(text: str) -> str:
    """Turn Python's JSON string escapes into Go's."""
    if "\\" in text and ("\\b" in text or "\\f" in text):
        # a backspace or form feed (or a "\\" before a b or f): escapes must be read in order
        import re  # rare: not loaded at start-up

        return re.sub(_GO_ESCAPES, lambda m: _REPLACE[m.group()], text)
    # otherwise each character to change stands alone: a scan per character (in C) beats
    # one regular expression over megabytes of data URLs
    for ch in "<>&" if text.isascii() else "<>&\u2028\u2029":
        if ch in text:
            text = text.replace(ch, _REPLACE[ch])
    return text


_SURROGATE = "[\ud800-\udfff]"


def dumps(value: Any, pretty: bool = False) -> str:
    text = _dumps(value, pretty)
    # bytes that were not UTF-8 (file names read from disk) travel as surrogates;
    # Go's encoder writes each as the escape \ufffd
    if text.isascii():
        return text
    import re  # only for output beyond ASCII: not loaded at start-up

    return re.sub(_SURROGATE, r"\\ufffd", text)


def _dumps(value: Any, pretty: bool) -> str:
    if pretty:
        text = _pretty(value)
    else:
        text = _compact(value)
    return go_escape(text)


def _type_error(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


_COMPACT: Any = None


def _compact(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, separators=(",", ":"))."""
    global _COMPACT
    if _C_MAKE_ENCODER is None:
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if value.__class__ is str:
        return str(encode_basestring(value))
    if _COMPACT is None:
        _COMPACT = _C_MAKE_ENCODER({}, _type_error, encode_basestring, None, ":", ",",
                                   False, False, True)
    return "".join(_COMPACT(value, 0))


# --- indented output ------------------------------------------------------------------------
# json.dumps(indent=2) runs the pure-Python encoder (3.11's C encoder cannot indent), several
# times slower than compact output.  Here Python walks only the containers that hold other
# non-empty containers; every other container is written by the C encoder in one call, its
# item separator carrying the line break and the indentation of its depth.  Anything but
# plain dicts with str keys, lists, str, int, float, bool and None goes to json.dumps.

# None where the interpreter has no C encoder: json.dumps then writes it all
_C_MAKE_ENCODER: Any = getattr(sys.modules.get("_json"), "make_encoder", None)
_LEAF_TYPES = frozenset((str, int, float, bool, type(None)))
_LEAF_ENCODERS: dict[int, Callable[[Any, int], tuple[str, ...]]] = {}
# depth -> key -> the line break, indentation and key that start an item of a dict
# (a config's keys are field names: a few hundred at most are kept)
_KEY_LINES: dict[int, dict[str, str]] = {}
_KEY_LINES_MAX = 512
_CONSTANTS = {None: "null", True: "true", False: "false"}


class _Unusual(Exception):
    pass


def _unusual(value: Any) -> Any:
    raise _Unusual


def _leaf_encoder(depth: int) -> Callable[[Any, int], tuple[str, ...]]:
    enc = _LEAF_ENCODERS.get(depth)
    if enc is None:
        enc = _C_MAKE_ENCODER(None, _unusual, encode_basestring, None, ": ",
                               ",\n" + "  " * depth, False, False, True)
        _LEAF_ENCODERS[depth] = enc
    return enc


def _pretty(value: Any) -> str:
    cls = value.__class__
    if (cls is dict or cls is list) and value and _C_MAKE_ENCODER is not None:
        out: list[str] = []
        try:
            _pretty_container(value, 1, out)
        except (_Unusual, RecursionError):
            pass
        else:
            return "".join(out)
    import json

    return json.dumps(value, ensure_ascii=False, indent=2, separators=(",", ": "))


def _pretty_container(value: dict[str, Any] | list[Any], depth: int, out: list[str]) -> None:
    """Append ``value`` (a non-empty dict or list) indented, its items at ``depth``."""
    for x in value.values() if isinstance(value, dict) else value:
        cls = x.__class__
        if cls is dict or cls is list:
            if x:
                break
        elif cls not in _LEAF_TYPES:
            raise _Unusual
    else:  # no container inside with anything in it: the C encoder writes it all
        text = "".join(_leaf_encoder(depth)(value, 0))
        indent = "\n" + "  " * depth
        out.append(text[0] + indent + text[1:-1] + indent[:-2] + text[-1])
        return
    append = out.append
    if isinstance(value, dict):
        lines = _KEY_LINES.get(depth)
        if lines is None:
            lines = _KEY_LINES[depth] = {}
        line = ""
        for key, x in value.items():
            # the separator: none before the first item ("{" then), "," before the others
            if line:
                line = lines.get(key) or _key_line(lines, key, depth)
            else:
                line = "{" + (lines.get(key) or _key_line(lines, key, depth))[1:]
            cls = x.__class__
            if cls is str:
                append(line + encode_basestring(x))
            elif (cls is dict or cls is list) and x:
                append(line)
                _pretty_container(x, depth + 1, out)
            else:
                append(line + _pretty_scalar(x, depth))
        append("\n" + "  " * (depth - 1) + "}")
    else:
        indent = "\n" + "  " * depth
        sep = "[" + indent
        for x in value:
            cls = x.__class__
            if cls is str:
                append(sep + encode_basestring(x))
            elif (cls is dict or cls is list) and x:
                append(sep)
                _pretty_container(x, depth + 1, out)
            else:
                append(sep + _pretty_scalar(x, depth))
            sep = "," + indent
        append(indent[:-2] + "]")


def _key_line(lines: dict[str, str], key: str, depth: int) -> str:
    if key.__class__ is not str:
        raise _Unusual
    line = ",\n" + "  " * depth + encode_basestring(key) + ": "
    if len(lines) < _KEY_LINES_MAX:
        lines[key] = line
    return line


def _pretty_scalar(x: Any, depth: int) -> str:
    """A value written on one line: a scalar or an empty dict or list."""
    if x is None or x is True or x is False:
        return _CONSTANTS[x]
    cls = x.__class__
    if cls is int:
        return int.__repr__(x)
    if cls is float or ((cls is dict or cls is list) and not x):
        return "".join(_leaf_encoder(depth)(x, 0))
    raise _Unusual
