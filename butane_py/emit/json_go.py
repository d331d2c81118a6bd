"""Ignition JSON exactly as the reference writes it: Go struct key order, its
omit-empty rules (including empty structs), and Go's string escaping."""

from __future__ import annotations

import json
import re
from typing import Any

from ..schema import Type

_ZERO: dict[str, Any] = {"string": "", "int": 0, "bool": False}


def shape(v: Any, t: Type) -> tuple[Any, bool]:
    """The value to encode, in output key order, and whether Go counts it empty."""
    kind = t.kind
    if kind == "struct":
        out: dict[str, Any] = {}
        empty = True
        for name, f in t.fields.items():
            val = v.get(name)
            ft = f.type
            if val is None:
                if not f.omitempty:
                    out[name] = None if (f.ptr or ft.kind == "list") else (
                        _ZERO[ft.kind] if ft.kind in _ZERO else shape({}, ft)[0])
                continue
            sv, sempty = shape(val, ft)
            if f.ptr:
                empty = False
            elif sempty:
                if f.omitempty:
                    continue
            else:
                empty = False
            out[name] = sv
        return out, empty
    if kind == "list":
        elem = t.elem
        assert elem is not None
        if elem.kind == "struct":
            return [shape(item, elem)[0] for item in v], not v
        return v, not v
    return v, not v


_GO_ESCAPES = re.compile(r'\\[bf\\]|[<>&\u2028\u2029]')
_REPLACE = {"\\b": "\\u0008", "\\f": "\\u000c", "\\\\": "\\\\", "<": "\\u003c", ">": "\\u003e",
            "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def go_escape(text: str) -> str:
    """Turn Python's JSON string escapes into Go's."""
    return _GO_ESCAPES.sub(lambda m: _REPLACE[m.group()], text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any, pretty: bool = False) -> str:
    text = _dumps(value, pretty)
    # bytes that were not UTF-8 (file names read from disk) travel as surrogates;
    # Go's encoder writes each as the escape \ufffd
    return _SURROGATE.sub(r"\\ufffd", text) if not text.isascii() else text


def _dumps(value: Any, pretty: bool) -> str:
    if pretty:
        text = json.dumps(value, ensure_ascii=False, indent=2, separators=(",", ": "))
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return go_escape(text)


def emit(cfg: dict[str, Any], t: Type, pretty: bool = False) -> str:
    return dumps(shape(cfg, t)[0], pretty)
