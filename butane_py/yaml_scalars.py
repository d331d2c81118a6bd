"""yaml.v3 (v3.0.1) node model, scalar resolution and scalar decoding rules.

Everything here follows the behaviour of Go's gopkg.in/yaml.v3 as vendored by
Butane v0.29.0: how an untagged plain scalar is resolved to a tag, how a node
is decoded into a Go string / int / bool, and the exact wording of the errors
it produces.  ``source.py`` builds the :class:`Node` tree and re-exports all
public names from here.
"""

from __future__ import annotations

import math

__all__ = [
    "LinkNode",
    "MapNode",
    "Node",
    "SeqNode",
    "TypeMismatch",
    "YamlError",
    "decode_bool",
    "decode_int",
    "decode_str",
    "duplicate_key_errors",
    "follow_alias",
    "go_quote",
    "indicated_string",
    "check_null",
    "is_merge_key",
    "merge_key_identity",
    "is_null",
    "resolve_plain_tag",
    "short_tag",
    "type_error",
]


class YamlError(Exception):
    """A fatal yaml.v3 error; ``message`` is the full Go error text ("yaml: ...")."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TypeMismatch(Exception):
    """A yaml.v3 type error (one entry of "yaml: unmarshal errors:").

    ``text`` is e.g. "cannot unmarshal !!str `0644` into int"; ``line`` is the
    line yaml.v3 reports, which for an alias is the line of the anchored node.
    """

    def __init__(self, text: str, line: int) -> None:
        super().__init__(text)
        self.text = text
        self.line = line

    @property
    def entry(self) -> str:
        """The entry as it appears in the unmarshal-errors list."""
        return f"line {self.line}: {self.text}"


# never appended to: only mapping and sequence nodes get children
_NO_PAIRS: list[tuple[Node, Node]] = []
_NO_ITEMS: list[Node] = []


class Node:
    """One yaml.v3 node.

    kind: "map" | "seq" | "scalar" | "alias".
    tag: yaml.v3's short tag as stored in ``yaml.Node.Tag`` after parsing:
        the explicit tag shortened ("!!str", "!foo"), else "!!str" for quoted
        and block scalars, "!!merge" for a plain ``<<``, "!!map"/"!!seq" for
        collections, else the resolved tag of a plain scalar.  "" for aliases.
    value: scalar text after unescaping/folding; the anchor name for aliases
        (as in yaml.v3); "" for collections.
    style: "plain" | "single" | "double" | "literal" | "folded" for scalars,
        "" for collections and aliases.
    line, col: 1-based; col counts characters.
    pairs (maps) and items (sequences): the children.
    target (aliases): the anchored node; anchor: the anchor name of an anchored node.

    ``Node(...)`` makes a scalar: it stores only the six fields above (a large
    document holds many), and reads the others from the class (empty, None).
    The parsers make the other nodes with :class:`MapNode`, :class:`SeqNode`
    and :class:`LinkNode` (aliases and anchored nodes), which store them too.
    """

    __slots__ = ("kind", "tag", "value", "style", "line", "col")

    pairs: list[tuple[Node, Node]] = _NO_PAIRS
    items: list[Node] = _NO_ITEMS
    target: Node | None = None
    anchor: str | None = None

    def __init__(self, kind: str, tag: str, value: str, style: str, line: int, col: int) -> None:
        self.kind = kind
        self.tag = tag
        self.value = value
        self.style = style
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.tag!r}, {self.value!r}, line={self.line}, col={self.col})"


class MapNode(Node):
    """A mapping node (``pairs`` its own list)."""

    __slots__ = ("pairs",)

    def __init__(self, tag: str, line: int, col: int) -> None:
        self.kind = "map"
        self.tag = tag
        self.value = ""
        self.style = ""
        self.line = line
        self.col = col
        self.pairs = []


class SeqNode(Node):
    """A sequence node (``items`` its own list)."""

    __slots__ = ("items",)

    def __init__(self, tag: str, line: int, col: int) -> None:
        self.kind = "seq"
        self.tag = tag
        self.value = ""
        self.style = ""
        self.line = line
        self.col = col
        self.items = []


class LinkNode(Node):
    """Any node that has an anchor, or an alias (``target`` set after)."""

    __slots__ = ("pairs", "items", "target", "anchor")

    def __init__(self, kind: str, tag: str, value: str, style: str, line: int, col: int,
                 anchor: str | None = None) -> None:
        super().__init__(kind, tag, value, style, line, col)
        self.pairs = [] if kind == "map" else _NO_PAIRS
        self.items = [] if kind == "seq" else _NO_ITEMS
        self.target = None
        self.anchor = anchor


# ---------------------------------------------------------------------------
# Tags

NULL_TAG = "!!null"
BOOL_TAG = "!!bool"
STR_TAG = "!!str"
INT_TAG = "!!int"
FLOAT_TAG = "!!float"
TIMESTAMP_TAG = "!!timestamp"
SEQ_TAG = "!!seq"
MAP_TAG = "!!map"
BINARY_TAG = "!!binary"
MERGE_TAG = "!!merge"

_LONG_PREFIX = "tag:yaml.org,2002:"


def short_tag(tag: str) -> str:
    """yaml.v3 shortTag: "tag:yaml.org,2002:x" -> "!!x"; anything else unchanged."""
    if tag.startswith(_LONG_PREFIX):
        return "!!" + tag[len(_LONG_PREFIX) :]
    return tag


_RESOLVABLE = frozenset(("", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG))

_NAN = float("nan")
_INF = float("inf")
# value kinds: "null", "bool", "int", "uint", "float", "str", "time"
_RESOLVE_MAP: dict[str, tuple[str, str, object]] = {}
for _words, _entry in (
    (("true", "True", "TRUE"), (BOOL_TAG, "bool", True)),
    (("false", "False", "FALSE"), (BOOL_TAG, "bool", False)),
    (("", "~", "null", "Null", "NULL"), (NULL_TAG, "null", None)),
    ((".nan", ".NaN", ".NAN"), (FLOAT_TAG, "float", _NAN)),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), (FLOAT_TAG, "float", _INF)),
    (("-.inf", "-.Inf", "-.INF"), (FLOAT_TAG, "float", -_INF)),
    (("<<",), (MERGE_TAG, "str", "<<")),
):
    for _w in _words:
        _RESOLVE_MAP[_w] = _entry

# resolveTable hints by first byte
_HINT: dict[str, str] = {"+": "S", "-": "S", ".": "."}
for _c in "0123456789":
    _HINT[_c] = "D"
for _c in "yYnNtTfFoO~":
    _HINT[_c] = "M"

_DIGITS = frozenset("0123456789")


def _digits_end(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i] in _DIGITS:
        i += 1
    return i


def is_yaml_float(s: str) -> bool:
    """Whether all of ``s`` is [-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?
    (yaml.v3's float syntax; without re, which every `version: 1.6.0` would load)."""
    i = 1 if s[:1] in ("+", "-") else 0
    j = _digits_end(s, i)
    if j == i:  # no integer part: a '.' and at least one digit
        if s[j:j + 1] != ".":
            return False
        j = _digits_end(s, j + 1)
        if j == i + 1:
            return False
    elif s[j:j + 1] == ".":
        j = _digits_end(s, j + 1)
    if s[j:j + 1] in ("e", "E"):
        k = j + 1 + (s[j + 1:j + 2] in ("+", "-"))
        j = _digits_end(s, k)
        if j == k:
            return False
    return j == len(s)

_MAX_INT64 = (1 << 63) - 1
_MIN_INT64 = -(1 << 63)
_MAX_UINT64 = (1 << 64) - 1
_TWO63 = float(1 << 63)


def _go_parse_uint(s: str) -> int | None:
    """strconv.ParseUint(s, 0, 64) on a string without underscores; None on error."""
    if not s:
        return None
    base = 10
    if s[0] == "0":
        p = s[1:2].lower()
        if len(s) >= 3 and p == "b":
            base, s = 2, s[2:]
        elif len(s) >= 3 and p == "o":
            base, s = 8, s[2:]
        elif len(s) >= 3 and p == "x":
            base, s = 16, s[2:]
        else:
            base, s = 8, s[1:]
    return _digits(s, base, _MAX_UINT64)


def _digits(s: str, base: int, limit: int) -> int | None:
    n = 0
    for c in s:
        if "0" <= c <= "9":
            d = ord(c) - 48
        elif "a" <= c <= "z":
            d = ord(c) - 87
        elif "A" <= c <= "Z":
            d = ord(c) - 55
        else:
            return None
        if d >= base:
            return None
        n = n * base + d
    if n > limit:
        return None
    return n


def _go_parse_int(s: str) -> int | None:
    """strconv.ParseInt(s, 0, 64); None on syntax or range error."""
    if not s:
        return None
    neg = False
    if s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    u = _go_parse_uint(s)
    if u is None:
        return None
    if neg:
        return -u if u <= 1 << 63 else None
    return u if u <= _MAX_INT64 else None


def _go_parse_int_base(s: str, base: int) -> int | None:
    """strconv.ParseInt(s, base, 64) for base 2 or 8 (no prefixes)."""
    if not s:
        return None
    neg = False
    if s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if not s:
        return None
    u = _digits(s, base, _MAX_UINT64)
    if u is None:
        return None
    if neg:
        return -u if u <= 1 << 63 else None
    return u if u <= _MAX_INT64 else None


def _go_float(s: str) -> float | None:
    """strconv.ParseFloat(s, 64) for strings already known to be decimal syntax."""
    try:
        f = float(s)
    except ValueError:  # pragma: no cover - callers pre-validate the syntax
        return None
    if math.isinf(f):
        return None  # ErrRange
    return f


# --- timestamps (Go time.Parse with yaml.v3's four layouts) -----------------

_DAYS_IN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _getnum(s: str, i: int, fixed: bool) -> tuple[int, int] | None:
    if i >= len(s) or not ("0" <= s[i] <= "9"):
        return None
    if i + 1 >= len(s) or not ("0" <= s[i + 1] <= "9"):
        if fixed:
            return None
        return ord(s[i]) - 48, i + 1
    return (ord(s[i]) - 48) * 10 + ord(s[i + 1]) - 48, i + 2


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _parse_date(s: str) -> tuple[int, int, int, int] | None:
    """Parse "2006-1-2"; return (year, month, day, next index)."""
    if len(s) < 4:
        return None
    year = int(s[:4])
    i = 4
    if i >= len(s) or s[i] != "-":
        return None
    r = _getnum(s, i + 1, False)
    if r is None:
        return None
    month, i = r
    if month <= 0 or month > 12:
        return None
    if i >= len(s) or s[i] != "-":
        return None
    r = _getnum(s, i + 1, False)
    if r is None:
        return None
    day, i = r
    if day < 0 or day > 31:
        return None
    return year, month, day, i


def _valid_day(year: int, month: int, day: int) -> bool:
    n = _DAYS_IN[month - 1]
    if month == 2 and _is_leap(year):
        n = 29
    return 1 <= day <= n


def _parse_clock(s: str, i: int) -> int | None:
    """Parse "15:4:5.999999999" from index i; return the next index."""
    # hour, minute, second: each a number below its bound, the first two followed by ':'
    for n, bound in enumerate((24, 60, 60)):
        if n:
            if i >= len(s) or s[i] != ":":
                return None
            i += 1
        r = _getnum(s, i, False)
        if r is None or r[0] >= bound:
            return None
        i = r[1]
    # optional fractional seconds: any number of digits after '.' or ','
    if i + 1 < len(s) and s[i] in ".," and "0" <= s[i + 1] <= "9":
        i += 1
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
    return i


def _parse_zone(s: str, i: int) -> int | None:
    """Parse "Z07:00" from index i; return the next index."""
    if i < len(s) and s[i] == "Z":
        return i + 1
    rest = s[i:]
    if len(rest) < 6 or rest[3] != ":" or rest[0] not in "+-":
        return None
    if _getnum(rest, 1, True) is None or _getnum(rest, 4, True) is None:
        return None
    hh = int(rest[1:3])
    mm = int(rest[4:6])
    if hh > 24 or mm > 60:
        return None
    return i + 6


def is_timestamp(s: str) -> bool:
    """yaml.v3 parseTimestamp: does ``s`` parse with one of its layouts?"""
    n = 0
    while n < len(s) and "0" <= s[n] <= "9":
        n += 1
    if n != 4 or n == len(s) or s[n] != "-":
        return False
    d = _parse_date(s)
    if d is None:
        return False
    year, month, day, i = d
    if i == len(s):
        return _valid_day(year, month, day)
    sep = s[i]
    if sep in "Tt":
        j = _parse_clock(s, i + 1)
        if j is None:
            return False
        j2 = _parse_zone(s, j)
        if j2 is None or j2 != len(s):
            return False
        return _valid_day(year, month, day)
    if sep == " ":
        j = _parse_clock(s, i + 1)
        if j is None or j != len(s):
            return False
        return _valid_day(year, month, day)
    return False


# --- resolve ----------------------------------------------------------------


def _resolve_untagged(v: str, tag: str) -> tuple[str, str, object]:
    """yaml.v3 resolve() body for a resolvable tag other than !!str/!!binary."""
    hint = _HINT.get(v[:1], "N" if v == "" else "")
    if not hint:
        return STR_TAG, "str", v
    item = _RESOLVE_MAP.get(v)
    if item is not None:
        return item
    if hint == ".":
        if is_yaml_float(v):  # it starts with '.': \.[0-9]+([eE][-+]?[0-9]+)?
            f = _go_float(v)
            if f is not None:
                return FLOAT_TAG, "float", f
    elif hint in "DS":
        if (tag == "" or tag == TIMESTAMP_TAG) and is_timestamp(v):
            return TIMESTAMP_TAG, "time", v
        plain = v.replace("_", "")
        i = _go_parse_int(plain)
        if i is not None:
            return INT_TAG, "int", i
        u = _go_parse_uint(plain)
        if u is not None:
            return INT_TAG, "uint", u
        if is_yaml_float(plain):
            f = _go_float(plain)
            if f is not None:
                return FLOAT_TAG, "float", f
        for prefix, base in (("0b", 2), ("0o", 8)):
            if plain.startswith(prefix):
                i = _go_parse_int_base(plain[2:], base)
                if i is not None:
                    return INT_TAG, "int", i
                u2 = _digits(plain[2:], base, _MAX_UINT64) if plain[2:] else None
                if u2 is not None:
                    return INT_TAG, "uint", u2
                break
            if plain.startswith("-" + prefix):
                i = _go_parse_int_base("-" + plain[3:], base)
                if i is not None:
                    return INT_TAG, "int", i
                break
    return STR_TAG, "str", v


def resolve_plain_tag(value: str) -> str:
    """Tag yaml.v3 gives an untagged plain scalar (``resolve("", value)``)."""
    c = value[:1]
    if c and c not in _HINT:
        return STR_TAG
    return _resolve_untagged(value, "")[0]


def _resolve(tag: str, value: str) -> tuple[str, str, object]:
    """yaml.v3 resolve(tag, value) including its deferred tag check (fatal)."""
    tag = short_tag(tag)
    if tag not in _RESOLVABLE:
        return tag, "str", value
    if tag == STR_TAG:
        return STR_TAG, "str", value
    rtag, kind, out = _resolve_untagged(value, tag)
    if tag == "" or tag == rtag:
        return rtag, kind, out
    if tag == FLOAT_TAG and rtag == INT_TAG and kind == "int":
        assert isinstance(out, int)
        return FLOAT_TAG, "float", float(out)
    raise YamlError(f"yaml: cannot decode {rtag} `{value}` as a {tag}")


# ---------------------------------------------------------------------------
# Node helpers


def indicated_string(n: Node) -> bool:
    """yaml.v3 Node.indicatedString (tag already normalised by the parser)."""
    return n.kind == "scalar" and n.tag == STR_TAG


def follow_alias(n: Node) -> Node:
    """The node an alias stands for (yaml.v3 decodes the anchored node)."""
    seen = 0
    while n.kind == "alias":
        t = n.target
        if t is None:  # pragma: no cover - parse() rejects unknown anchors
            raise YamlError(f"yaml: unknown anchor '{n.value}' referenced")
        n = t
        seen += 1
        if seen > 10000:  # pragma: no cover
            raise YamlError("yaml: document contains excessive aliasing")
    return n


def is_null(n: Node) -> bool:
    """True when yaml.v3 treats the node as null (null, ~, empty plain, !!null)."""
    n = follow_alias(n)
    return n.kind == "scalar" and n.tag == NULL_TAG


def check_null(n: Node) -> None:
    """An explicit `!!null` on a non-null text is fatal in yaml.v3."""
    if n.value not in ("", "~", "null", "Null", "NULL"):
        _resolve(NULL_TAG, n.value)  # raises "cannot decode ... as a !!null"


def merge_key_identity(k: Node) -> object | None:
    """The interface{} value a mapping key decodes to; yaml.v3 records the keys
    of a mapping with `<<` by these values (only their identity matters)."""
    n = follow_alias(k)
    if n.kind != "scalar":
        return ("<collection>", id(n))
    if n.tag == STR_TAG:
        return n.value
    tag, kind, out = _resolve(n.tag, n.value)
    if kind == "null":
        return None
    if tag == BINARY_TAG:
        return decode_str(n)
    if kind == "str":
        return out
    return (kind, out)


def is_merge_key(n: Node) -> bool:
    """yaml.v3 isMerge: a ``<<`` key that is not quoted and not tagged otherwise."""
    return n.kind == "scalar" and n.value == "<<" and n.tag == MERGE_TAG


def _go_len(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(s.encode("utf-8", "surrogateescape"))


def _shorten(value: str) -> str:
    if _go_len(value) > 10:
        if value.isascii():
            return value[:7] + "..."
        head = value.encode("utf-8", "surrogateescape")[:7]
        # Go slices bytes; a split character stays as raw bytes (surrogateescape).
        return head.decode("utf-8", "surrogateescape") + "..."
    return value


def type_error(node: Node, go_type: str) -> str:
    """yaml.v3 d.terror text (without "line N: ") for ``node`` into ``go_type``.

    Aliases are followed (yaml.v3 reports the anchored node); use
    ``follow_alias(node).line`` for the line.
    """
    n = follow_alias(node)
    tag = n.tag or (MAP_TAG if n.kind == "map" else SEQ_TAG if n.kind == "seq" else "")
    if tag in (SEQ_TAG, MAP_TAG):
        return f"cannot unmarshal {tag} into {go_type}"
    return f"cannot unmarshal {tag} `{_shorten(n.value)}` into {go_type}"


def _mismatch(n: Node, go_type: str) -> TypeMismatch:
    return TypeMismatch(type_error(n, go_type), n.line)


def _scalar_resolved(n: Node) -> tuple[str, str, object]:
    """The (tag, kind, value) yaml.v3's d.scalar works with; may raise YamlError."""
    if n.tag == STR_TAG:
        return STR_TAG, "str", n.value
    rtag, kind, out = _resolve(n.tag, n.value)
    if rtag == BINARY_TAG:
        return BINARY_TAG, "str", _decode_binary(n.value)
    return rtag, kind, out


def _decode_binary(v: str) -> str:
    # Go base64.StdEncoding.DecodeString: skips \r and \n, strict alphabet and padding.
    import base64  # only !!binary needs it: not loaded at start-up
    import binascii

    s = v.replace("\r", "").replace("\n", "")
    try:
        data = base64.b64decode(s.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise YamlError("yaml: !!binary value contains invalid base64 data") from None
    return data.decode("utf-8", "surrogateescape")


def decode_str(node: Node) -> str:
    """Decode a node into a Go ``string`` field.

    Any scalar gives its text as written (``!!binary`` gives the decoded bytes,
    non-UTF-8 bytes as surrogate escapes).  Collections raise TypeMismatch.
    Call ``is_null`` first: a null leaves a Go string untouched (returns "").
    Raises YamlError for fatal tag/content conflicts ("cannot decode !!str `x`
    as a !!int", invalid !!binary).
    """
    n = follow_alias(node)
    if n.kind != "scalar":
        raise _mismatch(n, "string")
    if n.tag == STR_TAG:
        return n.value
    rtag, kind, out = _scalar_resolved(n)
    if kind == "null":
        return ""
    if rtag == BINARY_TAG:
        assert isinstance(out, str)
        return out
    return n.value


def decode_int(node: Node, go_type: str = "int") -> int:
    """Decode a node into a Go ``int`` (int64 on amd64) field.

    Call ``is_null`` first (a null returns 0).  Raises TypeMismatch with
    yaml.v3's text, or YamlError for fatal tag conflicts.
    """
    n = follow_alias(node)
    if n.kind != "scalar":
        raise _mismatch(n, go_type)
    if n.tag == STR_TAG:
        raise _mismatch(n, go_type)
    _rtag, kind, out = _scalar_resolved(n)
    if kind == "null":
        return 0
    if kind == "int":
        assert isinstance(out, int)
        return out
    if kind == "float":
        assert isinstance(out, float)
        f = out
        if f <= _TWO63:  # Go: resolved <= math.MaxInt64 (a float64 compare)
            # amd64 CVTTSD2SI: out-of-range / -Inf give 0x8000000000000000
            if f == _TWO63 or f < -_TWO63 or math.isinf(f):
                return _MIN_INT64
            return int(f)
    raise _mismatch(n, go_type)


_BOOL_WORDS = {
    "y": True, "Y": True, "yes": True, "Yes": True, "YES": True,
    "on": True, "On": True, "ON": True,
    "n": False, "N": False, "no": False, "No": False, "NO": False,
    "off": False, "Off": False, "OFF": False,
}  # fmt: skip


def decode_bool(node: Node) -> bool:
    """Decode a node into a Go ``bool`` field.

    true/True/TRUE/false/False/FALSE when they resolve as bools, plus the
    YAML 1.1 words (y, yes, on, n, no, off, ...) when they resolve as strings
    (so '"yes"' works but '"true"' does not).  Call ``is_null`` first.
    """
    n = follow_alias(node)
    if n.kind != "scalar":
        raise _mismatch(n, "bool")
    _rtag, kind, out = _scalar_resolved(n)
    if kind == "null":
        return False
    if kind == "bool":
        assert isinstance(out, bool)
        return out
    if kind == "str":
        assert isinstance(out, str)
        b = _BOOL_WORDS.get(out)
        if b is not None:
            return b
    raise _mismatch(n, "bool")


# ---------------------------------------------------------------------------
# Duplicate keys (yaml.v3 d.mapping with uniqueKeys)


def go_quote(s: str) -> str:
    """Go's %#v / strconv.Quote for a string (surrogate escapes = raw bytes)."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 0x20 <= c < 0x7F:
            out.append(ch)
        elif 0xDC80 <= c <= 0xDCFF:  # a raw byte kept by surrogateescape
            out.append(f"\\x{c - 0xDC00:02x}")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\v":
            out.append("\\v")
        elif c >= 0x80 and ch.isprintable():
            out.append(ch)
        elif c < 0x80:
            out.append(f"\\x{c:02x}")
        elif c < 0x10000:
            out.append(f"\\u{c:04x}")
        else:
            out.append(f"\\U{c:08x}")
    out.append('"')
    return "".join(out)


def duplicate_key_errors(n: Node) -> list[str]:
    """yaml.v3's duplicate-key entries for one mapping node (compares kind and value).

    yaml.v3 runs this check whenever it decodes a mapping (into anything); if
    the list is non-empty it reports these and does not decode that mapping.
    """
    pairs = n.pairs
    if len(pairs) < 2:
        return []
    errs: list[str] = []
    if len(pairs) < 16:
        for i, (ki, _) in enumerate(pairs):
            for kj, _ in pairs[i + 1 :]:
                if ki.kind == kj.kind and ki.value == kj.value:
                    errs.append(
                        f"line {kj.line}: mapping key {go_quote(kj.value)} "
                        f"already defined at line {ki.line}"
                    )
        return errs
    # Same output order as the O(n^2) loop: for each i, later duplicates j.
    groups: dict[tuple[str, str], list[Node]] = {}
    for k, _ in pairs:
        groups.setdefault((k.kind, k.value), []).append(k)
    if all(len(g) == 1 for g in groups.values()):
        return errs
    for k, _ in pairs:
        g = groups[(k.kind, k.value)]
        if len(g) < 2:
            continue
        idx = next(x for x, m in enumerate(g) if m is k)
        for kj in g[idx + 1 :]:
            errs.append(
                f"line {kj.line}: mapping key {go_quote(kj.value)} already defined at line {k.line}"
            )
    return errs
