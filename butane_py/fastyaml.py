"""A small pure-Python YAML parser for the common subset of Butane configs.

Importing libyaml (ruamel's C extension) costs more start-up time than a
small config takes to translate, and building a tree from its events costs
more than reading the common subset directly, so :func:`parse_bytes` parses
the subset most real configs are written in and raises :class:`Unsupported`
on anything else; the caller then uses the libyaml path (``source.parse``),
which also produces yaml.v3's exact error messages.  Whenever it returns, its
tree equals the one the libyaml path builds for the same input: same kinds,
tags, values, styles, 1-based line/column positions (columns count
characters), children in order (tests/test_fastyaml.py checks this against
the recorded corpora and random documents).

It reads the UTF-8 bytes as they are: the input is never decoded or split into
lines as a whole (only the scalars are decoded), so a large input costs little
more memory than its tree.  Literal block scalars of the usual shape are cut
out and unindented with a few whole-text operations.  Once a process has read
64 KiB, the common lines (``key: plain``, ``key:``, a plain sequence item) are
read with one regex match each, which also finds the next line; the general
code reads the others (and everything before).

The subset:

* one document, its root a block mapping, block sequence or single-line flow
  collection, optionally after a ``---`` line (or no content at all: only
  blank and comment lines, giving None); LF or CR LF line breaks;
* block mappings whose keys are single-line plain or quoted scalars, block
  sequences (also indentless ones under a key, and compact ``- a: 1`` /
  ``- - a`` entries), empty values;
* single-line plain, single-quoted and double-quoted scalars (the escapes
  libyaml knows; ``\\x``/``\\u``/``\\U`` to valid code points);
* literal and folded block scalars with chomping and indentation indicators;
* single-line flow sequences and mappings of scalars and flow collections
  (``[a, b]``, ``{a: 1}``, ``: `` as the only colon);
* full-line comments and comments after a space.

Not in it (Unsupported): anchors, aliases, tags, directives, a second
``---`` or any ``...``, ``?`` keys, multi-line plain or quoted scalars,
multi-line flow collections, ':' or '?' in flow plain scalars, tabs outside
block-scalar content and comments, a lone CR, NEL, U+2028/U+2029, U+FEFF
after the start, keys longer than 1000 characters, nesting deeper than 200,
and any syntax error.

The input must be valid UTF-8 that yaml.v3's reader accepts (no control
characters: ``source`` checks this first and reports the reader's errors).
"""

from __future__ import annotations

from .yaml_scalars import (
    MAP_TAG,
    MERGE_TAG,
    SEQ_TAG,
    STR_TAG,
    MapNode,
    Node,
    SeqNode,
    resolve_plain_tag,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable

__all__ = ["Unsupported", "occurs", "parse_bytes", "parse_simple"]


class Unsupported(Exception):
    """The input is outside the subset: parse it with the full parser."""


# Characters outside the subset that yaml.v3's reader lets through, by the
# first byte of their UTF-8 form (a cheap test), then the sequences: NEL, the
# line and paragraph separators (line breaks to libyaml) and the BOM.
_OUTSIDE = ((b"\xc2\x85", b""), (b"\xe2\x80", b"\xa8\xa9"), (b"\xef\xbb\xbf", b""))
# a plain scalar cannot start with these (a '-' followed by a non-space can)
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# in flow context a plain scalar also stops at these (the bundled libyaml ends
# one at '?' and ':' too; ':' and '#' are left out of the subset there)
_FLOW_PLAIN_STOPS = ",[]{}:?#"
# The common lines in one regex match each, read exactly as _plain reads them:
# a single-line plain scalar is a first character that can start one, then
# words (a ':' in a word is followed by a non-space) separated by spaces, a
# word not starting with '#' (that starts a comment).  Tabs are left out: the
# general code refuses them.
_S = (rb"""(?:[^-?:,\[\]{}#&*!|>'"%@` \t\n]|-(?=[^ \t\n]))(?:[^ :\t\n]++|:(?=[^ \t\n]))*+"""
      rb"(?: ++(?!#)(?:[^ :\t\n]++|:(?=[^ \t\n]))++)*+")
# what ends a line in the fast paths: a comment, spaces, the line break, then
# blank and comment lines and the next line's indentation (the last two groups)
_EOL = rb"(?: ++#[^\n]*+)?+ *+\n((?:[ ]*+(?:#[^\n]*+)?+\n)*+)( *+)"
# "key: plain", "key:" (then the next line), or "key: " and a value of another
# kind; groups (read at once: a group by name or a position costs a call each):
# key, spaces before the ':', spaces after it, the plain value (or None), then
# _EOL's two (None when a value of another kind follows the spaces)
_ENTRY = (rb"(" + _S + rb")( *+):( *+)(?:(?:(?<= )(" + _S + rb")|(?<= )#[^\n]*+)?+" + _EOL
          + rb"|(?<= )(?=[^#\n]))")
# a plain scalar alone on its line (a sequence item): the scalar, then _EOL's groups
_SCALAR = rb"(" + _S + rb")" + _EOL
# a literal block scalar's header after a key: "|", "|-" or "|+", maybe a comment
_LITERAL = rb"\|([-+]?+)(?: ++#[^\n]*+)?+ *+\n"
# Those three are compiled once a process has read this much: compiling them
# costs more start-up time (0.6 ms) than they save on a config or two
_FAST_SIZE = 64 * 1024
# blank and comment lines, then the indentation of the next line
_HEX_DIGITS = frozenset("0123456789ABCDEFabcdef")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}
_MAX_KEY = 1000  # libyaml forgets a simple key after 1024 characters
_MAX_NESTING = 200  # stay well inside Python's recursion limit
_HASH, _DASH, _NL, _BAR = 35, 45, 10, 124  # b"#", b"-", b"\n", b"|" (bytes index to ints)

_TAGS: dict[str, str] = {}
# plain scalars as written -> (text, tag): the common keys and values are read
# once per process (and share one string in the tree)
_PLAINS: dict[bytes, tuple[str, str]] = {}


def _plain_tag(value: str) -> str:
    tag = _TAGS.get(value)
    if tag is None:
        tag = MERGE_TAG if value == "<<" else resolve_plain_tag(value)
        if len(value) < 40 and len(_TAGS) < 4096:
            _TAGS[value] = tag
    return tag


def _plain_scalar(raw: bytes) -> tuple[str, str]:
    """The text and tag of the plain scalar written ``raw``."""
    value = raw.decode()
    item = value, MERGE_TAG if value == "<<" else resolve_plain_tag(value)
    if len(raw) < 40 and len(_PLAINS) < 8192:
        _PLAINS[raw] = item
    return item


def parse_simple(text: str, max_depth: int = 10000, fast: bool | None = None) -> Node | None:
    """:func:`parse_bytes` of ``text`` (decoded, without a BOM)."""
    return parse_bytes(text.encode("utf-8"), max_depth, 0, fast)


def parse_bytes(data: bytes, max_depth: int = 10000, start: int = 0,
                fast: bool | None = None) -> Node | None:
    """Parse UTF-8 ``data`` from offset ``start`` (past a BOM) like ``source.parse`` would.

    Returns the root node, or None for a stream without a document.  Raises
    :class:`Unsupported` when the input is outside the subset or nests deeper
    than ``max_depth`` collections (the full parser then decides).  ``fast``:
    read the common lines with regexes (by default from a size on), or not.
    """
    if b"\r" in data:
        # libyaml reads CR LF as one line break everywhere; a lone CR is a break too
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            raise Unsupported
    if not data.isascii():
        for prefix, last in _OUTSIDE:
            if occurs(data, prefix, last, start):
                raise Unsupported
    return _Parser(data, start, max_depth, fast).document()


def occurs(data: bytes, prefix: bytes, last: bytes = b"", start: int = 0) -> bool:
    """Whether ``prefix``, followed by one of the bytes ``last`` when that is not
    empty, occurs in ``data`` from ``start``.  Its first byte is found first
    (memchr speed; re is not loaded for it); a regex search takes over if that
    byte is common."""
    lead = prefix[0]
    at = len(prefix)
    i = data.find(lead, start)
    for _ in range(32):
        if i < 0:
            return False
        if data.startswith(prefix, i) and (not last or data[i + at:i + at + 1] in last
                                           and i + at < len(data)):
            return True
        i = data.find(lead, i + 1)
    if i < 0:
        return False
    import re

    pattern = re.escape(prefix) + (b"[" + re.escape(last) + b"]" if last else b"")
    return re.compile(pattern).search(data, i) is not None


def _skip(text: bytes, p: int) -> tuple[int, int]:
    """Past the blank and comment lines from ``p``: (the start of the next content
    line, the end of its indentation).  The last line, without a line break, is
    a content line even when blank or a comment (the caller tells)."""
    q = p
    while True:
        k = _spaces_end(text, q)
        after = text[k:k + 1]
        if after == b"\n":
            q = k + 1
            continue
        if after == b"#":
            e = text.find(b"\n", k)
            if e >= 0:
                q = e + 1
                continue
        return q, k


def _spaces_end(text: bytes, q: int) -> int:
    """The end of the run of spaces at ``q``."""
    if text[q:q + 1] != b" ":
        return q
    e = text.find(b"\n", q)
    line = text[q:e] if e >= 0 else text[q:]
    return q + len(line) - len(line.lstrip(b" "))


def _end_of_line(s: str, e: int) -> None:
    """Only spaces, then nothing or a comment preceded by a space, may follow ``e``."""
    k = e
    n = len(s)
    while k < n and s[k] == " ":
        k += 1
    if k < n and (s[k] != "#" or k == e):
        raise Unsupported


def _quoted(s: str, k: int) -> tuple[str, int]:
    """Single-line quoted scalar starting at ``s[k]``; returns (value, index after)."""
    n = len(s)
    if s[k] == "'":
        i = k + 1
        parts: list[str] = []
        while True:
            q = s.find("'", i)
            if q < 0:
                raise Unsupported  # multi-line or unterminated
            if q + 1 < n and s[q + 1] == "'":
                parts.append(s[i : q + 1])
                i = q + 2
                continue
            parts.append(s[i:q])
            return "".join(parts), q + 1
    i = k + 1
    out: list[str] = []
    while True:
        quote = s.find('"', i)
        backslash = s.find("\\", i, quote if quote >= 0 else n)
        stop = backslash if backslash >= 0 else quote if quote >= 0 else n
        out.append(s[i:stop])
        i = stop
        if i >= n:
            raise Unsupported
        if s[i] == '"':
            return "".join(out), i + 1
        if i + 1 >= n:
            raise Unsupported  # an escaped line break
        e = s[i + 1]
        simple = _ESCAPES.get(e)
        if simple is not None:
            out.append(simple)
            i += 2
            continue
        width = _HEX_WIDTH.get(e)
        if width is None:
            raise Unsupported
        digits = s[i + 2:i + 2 + width]
        if len(digits) != width or not _HEX_DIGITS.issuperset(digits):
            raise Unsupported
        v = int(digits, 16)
        if 0xD800 <= v <= 0xDFFF or v > 0x10FFFF:
            raise Unsupported
        out.append(chr(v))
        i += 2 + width


def _plain(s: str, k: int) -> tuple[str, int, bool]:
    """Block-context single-line plain scalar at ``s[k]``.

    Returns (value, stop, is_key): ``stop`` is the index of the ':' of a key,
    else where the comment or the line ends.
    """
    n = len(s)
    if s[k] in _NOT_PLAIN_START and not (s[k] == "-" and k + 1 < n and s[k + 1] != " "):
        raise Unsupported
    c = s.find(":", k)
    while c >= 0 and c + 1 < n and s[c + 1] != " ":
        c = s.find(":", c + 1)
    h = s.find(" #", k)
    if h >= 0 and (c < 0 or h < c):
        return s[k:h].rstrip(" "), h, False
    if c >= 0:
        return s[k:c].rstrip(" "), c, True
    return s[k:].rstrip(" "), n, False


def _no_match(text: bytes, pos: int) -> None:
    """Stands for the fast paths' patterns on small inputs: the general code reads all."""
    return None


_fast: tuple[Callable[[bytes, int], re.Match[bytes] | None], ...] = ()
_read = 0  # bytes read before those are compiled


def _fast_paths(size: int, fast: bool | None = None
                ) -> tuple[Callable[[bytes, int], re.Match[bytes] | None], ...]:
    """The match methods of _ENTRY, _SCALAR and _LITERAL for an input of
    ``size`` bytes (``fast``: use them, or not, whatever was read before)."""
    global _fast, _read
    if fast is None:
        _read += size
        fast = _read >= _FAST_SIZE
    if not fast:
        return (_no_match,) * 3
    if not _fast:
        import re  # loaded for large inputs only

        _fast = tuple(re.compile(p).match for p in (_ENTRY, _SCALAR, _LITERAL))
    return _fast


def _unindented_line(text: bytes, pos: int, pad: bytes, fast: bool) -> int:
    """The start of the first line after offset ``pos`` that does not begin with
    ``pad`` (spaces), or -1 when every later line does.  ``fast``: by a regex
    (re is loaded for large inputs: a search beats a loop over their lines)."""
    if fast:
        m = _indent_pattern(_LITERAL_ENDS, b"\n(?! {%d})", len(pad)).search(text, pos)
        return m.end() if m is not None else -1
    x = text.find(b"\n", pos)
    while x >= 0 and text.startswith(pad, x + 1):
        x = text.find(b"\n", x + 1 + len(pad))
    return x + 1 if x >= 0 else -1


def _block_end(text: bytes, pos: int, pad: bytes, fast: bool) -> int:
    """The start of the first line after offset ``pos`` that is neither blank nor
    indented by ``pad`` (the line that ends a block scalar), or -1; ``fast`` as above."""
    if fast:
        m = _indent_pattern(_BLOCK_ENDS, b"\n(?! {%d}| *(?:\n|\\Z))", len(pad)).search(text, pos)
        return m.end() if m is not None else -1
    x = text.find(b"\n", pos)
    while x >= 0:
        y = x + 1
        if not text.startswith(pad, y):
            e = text.find(b"\n", y)
            if (text[y:e] if e >= 0 else text[y:]).strip(b" "):
                return y
            if e < 0:
                return -1
            x = e
            continue
        x = text.find(b"\n", y + len(pad))
    return -1


def _indent_pattern(cache: dict[int, re.Pattern[bytes]], template: bytes,
                    indent: int) -> re.Pattern[bytes]:
    pattern = cache.get(indent)
    if pattern is None:
        import re

        pattern = re.compile(template % indent)
        if len(cache) < 64:  # a bound: indents are few in a config, but any is possible
            cache[indent] = pattern
    return pattern


_BLOCK_ENDS: dict[int, re.Pattern[bytes]] = {}
_LITERAL_ENDS: dict[int, re.Pattern[bytes]] = {}
_PADS = [b"\n" + b" " * i for i in range(64)]
_NOT_TEXT = frozenset(b"\n\t")  # what the first line of a literal may not start with


class _Parser:
    """A cursor over the content lines of ``text`` (UTF-8; blank and comment
    lines are skipped): ``p`` is the offset of the current line, ``j`` its
    0-based number, ``ind`` its indentation (-1 past the last content line).
    ``entry``, ``scalar`` and ``literal`` read the common lines, each with one
    regex match that also finds the next line (or match nothing: see
    _fast_paths); the general code reads the others, taking the line as a
    string (``line``).  Columns are counted in characters: byte offsets equal
    them up to the first non-ASCII character of a line."""

    __slots__ = ("text", "n", "p", "e", "j", "ind", "depth", "max_depth", "entry", "scalar",
                 "literal")

    def __init__(self, text: bytes, start: int, max_depth: int, fast: bool | None) -> None:
        self.text = text
        self.n = len(text)
        self.entry, self.scalar, self.literal = _fast_paths(self.n - start, fast)
        self.p = self.e = start
        self.j = self.ind = 0
        self.depth = 0
        self.max_depth = min(max_depth, _MAX_NESTING)

    def arrive(self, skip: bytes, ind: bytes, end: int, j: int) -> None:
        """Move to the content line after ``skip`` (blank and comment lines)
        whose indentation ``ind`` ends at offset ``end``; ``j`` is the number of
        the line after the one read (an _EOL or _SKIP match gives these)."""
        if skip:
            j += skip.count(b"\n")
        a = end - len(ind)
        self.p = a
        self.j = j
        if end >= self.n or self.text[end] == _HASH:  # only blank space (and a comment) left
            self.ind = -1
            return
        self.ind = end - a
        if a == end and self.text.startswith((b"---", b"..."), a):
            raise Unsupported  # a document marker (or a scalar looking like one)

    def seek(self, p: int, j: int) -> None:
        """Move to the first content line at or after offset ``p``, the start of line ``j``."""
        text = self.text
        q, k = _skip(text, p)
        self.arrive(text[p:q], text[q:k], k, j)

    def line(self) -> str:
        """The current line, for the general code (which refuses tabs)."""
        text = self.text
        p = self.p
        e = text.find(b"\n", p)
        if e < 0:
            e = self.n
        self.e = e
        s = text[p:e].decode()
        if "\t" in s:
            raise Unsupported
        return s

    def advance(self) -> None:
        """Move past the current line (read with ``line``)."""
        self.seek(self.e + 1, self.j + 1)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise Unsupported

    def document(self) -> Node | None:
        text = self.text
        first = self.p
        a, b = _skip(text, first)
        if a == b and text.startswith(b"---", a) and text[a + 3 : a + 4] in (b"", b" ", b"\n"):
            # the document start marker
            self.p = a
            self.j = text.count(b"\n", first, a)
            s = self.line()
            _end_of_line(s, 3)
            self.advance()
            if self.ind < 0:
                raise Unsupported  # an empty document: a null root
        else:
            self.arrive(text[first:a], text[a:b], b, 0)
        if self.ind < 0:
            return None
        node = self.node(self.ind, self.p + self.ind, -1, True)
        if node.kind == "scalar" or self.ind >= 0:
            raise Unsupported
        return node

    def node(self, k: int, b: int, parent: int, block_ok: bool) -> Node:
        """The node starting at column ``k`` (0-based; offset ``b``) of the
        current line; ``parent`` is the column of the innermost block
        collection.  Leaves the cursor on the next content line after it."""
        text = self.text
        m = self.entry(text, b)
        if m is not None:
            if not block_ok:
                raise Unsupported
            return self.block_map(k, m)
        m = self.scalar(text, b)
        if m is not None:
            raw, skip, ind = m.groups()
            value, tag = _PLAINS.get(raw) or _plain_scalar(raw)
            line = self.j + 1
            self.arrive(skip, ind, m.end(), line)
            return Node("scalar", tag, value, "plain", line, k + 1)
        s = self.line()
        ch = s[k]
        if ch == "-" and (k + 1 == len(s) or s[k + 1] == " "):
            if not block_ok:
                raise Unsupported
            return self.block_seq(k, False)
        if ch == "[" or ch == "{":
            node, e = self.flow(s, k, self.j)
            _end_of_line(s, e)
            self.advance()
            return node
        if ch == "|" or ch == ">":
            return self.block_scalar(s, k, parent)
        if ch == '"' or ch == "'":
            value, e = _quoted(s, k)
            style = "double" if ch == '"' else "single"
            tag = STR_TAG
            c = e
            while c < len(s) and s[c] == " ":
                c += 1
            if c < len(s) and s[c] == ":" and (c + 1 == len(s) or s[c + 1] == " "):
                is_key = True
            else:
                _end_of_line(s, e)
                is_key = False
        else:
            value, c, is_key = _plain(s, k)
            style = "plain"
            tag = _plain_tag(value)
        if is_key:
            if not block_ok:
                raise Unsupported
            return self.block_map(k, None)
        node = Node("scalar", tag, value, style, self.j + 1, k + 1)
        self.advance()
        return node

    def key(self, s: str, k: int) -> tuple[Node, int]:
        """The key of a mapping entry at column ``k`` of the current line ``s``;
        returns it and the index of its ':'."""
        ch = s[k]
        if ch == '"' or ch == "'":
            value, c = _quoted(s, k)
            style = "double" if ch == '"' else "single"
            tag = STR_TAG
            n = len(s)
            while c < n and s[c] == " ":
                c += 1
            if not (c < n and s[c] == ":" and (c + 1 == n or s[c + 1] == " ")):
                raise Unsupported
        else:
            value, c, is_key = _plain(s, k)
            if not is_key:
                raise Unsupported
            style = "plain"
            tag = _plain_tag(value)
        if c - k > _MAX_KEY:
            raise Unsupported
        return Node("scalar", tag, value, style, self.j + 1, k + 1), c

    def block_map(self, c: int, m: re.Match[bytes] | None) -> Node:
        """The block mapping whose first key is at column ``c`` of the current
        line (the offset ``p + c`` too: only spaces and "- " come before it);
        ``m`` is that line's _ENTRY match, if it matched."""
        self.enter()
        node = MapNode(MAP_TAG, self.j + 1, c + 1)
        pairs = node.pairs
        text = self.text
        n = self.n
        plains = _PLAINS
        entry = self.entry
        while True:
            if m is None:
                m = entry(text, self.p + c)
            value: Node
            if m is not None:
                raw, sp1, sp2, raw_value, skip, ind = m.groups()
                k, tag = plains.get(raw) or _plain_scalar(raw)
                colon = c + len(k) + len(sp1)  # in characters (the key may hold wide ones)
                if colon - c > _MAX_KEY:
                    raise Unsupported
                line = self.j + 1
                key = Node("scalar", tag, k, "plain", line, c + 1)
                if ind is None:  # a value of another kind on this line
                    value = self.value(colon + 1 + len(sp2), m.end(), c)
                else:
                    # self.arrive(skip, ind, m.end(), line), inline: the common path
                    end = m.end()
                    self.p = end - len(ind)
                    self.j = line + skip.count(b"\n") if skip else line
                    if end < n and text[end] != _HASH:
                        self.ind = len(ind)
                        if not ind and text.startswith((b"---", b"..."), end):
                            raise Unsupported
                    else:
                        self.ind = -1
                    if raw_value is not None:
                        v, tag = plains.get(raw_value) or _plain_scalar(raw_value)
                        value = Node("scalar", tag, v, "plain", line, colon + len(sp2) + 2)
                    else:
                        value = self.below(c, colon, line)
                m = None
            else:
                s = self.line()
                key, colon = self.key(s, c)
                k2 = colon + 1
                ln = len(s)
                while k2 < ln and s[k2] == " ":
                    k2 += 1
                if k2 == ln or s[k2] == "#":  # nothing after the ':' on this line
                    line = self.j + 1
                    self.advance()
                    value = self.below(c, colon, line)
                else:
                    value = self.node(k2, self.p + len(s[:k2].encode()), c, False)
            pairs.append((key, value))
            nxt = self.ind
            if nxt < c:
                break
            if nxt > c:
                raise Unsupported
        self.depth -= 1
        return node

    def value(self, k: int, b: int, c: int) -> Node:
        """The value at column ``k`` (offset ``b``) of a key at column ``c``, on
        the key's line: node(), but a literal block scalar of the common shape
        is read without the general code."""
        text = self.text
        h = self.literal(text, b) if text[b] == _BAR else None
        if h is not None:
            line = self.j + 1
            self.e = h.end() - 1
            chomp = h.group(1)
            value = self._literal(c, -1 if chomp == b"-" else 1 if chomp else 0)
            if value is not None:
                return Node("scalar", STR_TAG, value, "literal", line, k + 1)
        return self.node(k, b, c, False)

    def below(self, c: int, colon: int, line: int) -> Node:
        """The value of a key at column ``c`` of line ``line`` with nothing after
        its ':' (at ``colon``) on that line; the cursor is on the next line."""
        ind = self.ind
        if ind > c:
            return self.node(ind, self.p + ind, c, True)
        if ind == c:
            text = self.text
            d = self.p + c
            if text[d] == _DASH and text[d + 1 : d + 2] in (b"", b" ", b"\n"):
                return self.block_seq(c, True)
        return Node("scalar", "!!null", "", "plain", line, colon + 2)

    def block_seq(self, c: int, indentless: bool) -> Node:
        """The block sequence whose first "-" is at column ``c`` of the current
        line (the offset ``p + c`` too: only spaces and "- " come before it)."""
        self.enter()
        node = SeqNode(SEQ_TAG, self.j + 1, c + 1)
        items = node.items
        text = self.text
        while True:
            p = self.p
            b = _spaces_end(text, p + c + 1)
            item: Node
            if b >= self.n or text[b] == _NL or text[b] == _HASH:
                line = self.j + 1  # nothing after the '-' on this line
                self.line()
                self.advance()
                if self.ind > c:
                    item = self.node(self.ind, self.p + self.ind, c, True)
                else:
                    item = Node("scalar", "!!null", "", "plain", line, c + 2)
            else:
                item = self.node(b - p, b, c, True)
            items.append(item)
            ind = self.ind
            if ind < c:
                break
            if ind > c:
                raise Unsupported
            d = self.p + c
            if text[d] == _DASH and text[d + 1 : d + 2] in (b"", b" ", b"\n"):
                continue
            if indentless:
                break  # the mapping holding it goes on
            raise Unsupported
        self.depth -= 1
        return node

    def flow(self, s: str, k: int, j: int) -> tuple[Node, int]:
        """A single-line flow collection at ``s[k]``; returns it and the index after."""
        self.enter()
        is_map = s[k] == "{"
        close = "}" if is_map else "]"
        node = MapNode(MAP_TAG, j + 1, k + 1) if is_map else SeqNode(SEQ_TAG, j + 1, k + 1)
        n = len(s)
        i = k + 1
        while i < n and s[i] == " ":
            i += 1
        if i < n and s[i] == close:
            self.depth -= 1
            return node, i + 1
        while True:
            if i >= n:
                raise Unsupported
            if is_map:
                key, i = self.flow_node(s, i, j, True)
                while i < n and s[i] == " ":
                    i += 1
                if not (i + 1 < n and s[i] == ":" and s[i + 1] == " "):
                    raise Unsupported
                i += 2
                while i < n and s[i] == " ":
                    i += 1
                if i >= n:
                    raise Unsupported
                value, i = self.flow_node(s, i, j, False)
                node.pairs.append((key, value))
            else:
                item, i = self.flow_node(s, i, j, False)
                node.items.append(item)
            while i < n and s[i] == " ":
                i += 1
            if i >= n:
                raise Unsupported
            ch = s[i]
            if ch == ",":
                i += 1
                while i < n and s[i] == " ":
                    i += 1
                if i < n and s[i] == close:  # a trailing comma
                    i += 1
                    break
                continue
            if ch == close:
                i += 1
                break
            raise Unsupported
        self.depth -= 1
        return node, i

    def flow_node(self, s: str, i: int, j: int, scalar_only: bool) -> tuple[Node, int]:
        ch = s[i]
        if ch == "[" or ch == "{":
            if scalar_only:
                raise Unsupported
            return self.flow(s, i, j)
        if ch == '"' or ch == "'":
            value, e = _quoted(s, i)
            return Node("scalar", STR_TAG, value, "double" if ch == '"' else "single",
                        j + 1, i + 1), e
        if ch in _NOT_PLAIN_START:
            if not (ch == "-" and i + 1 < len(s) and s[i + 1] not in " ,[]{}:?#"):
                raise Unsupported
        stop = len(s)
        for ch in _FLOW_PLAIN_STOPS:
            k = s.find(ch, i, stop)
            if k >= 0:
                stop = k
        value = s[i:stop].rstrip(" ")
        return Node("scalar", _plain_tag(value), value, "plain", j + 1, i + 1), stop

    def block_scalar(self, s: str, k: int, parent: int) -> Node:
        """The block scalar whose header is at column ``k`` of the current line ``s``."""
        header = self.j + 1
        literal = s[k] == "|"
        n = len(s)
        i = k + 1
        chomp = 0  # -1 strip, 0 clip, 1 keep
        incr = 0
        if i < n and s[i] in "+-":
            chomp = 1 if s[i] == "+" else -1
            i += 1
            if i < n and s[i] in "123456789":
                incr = ord(s[i]) - 48
                i += 1
        elif i < n and s[i] in "123456789":
            incr = ord(s[i]) - 48
            i += 1
            if i < n and s[i] in "+-":
                chomp = 1 if s[i] == "+" else -1
                i += 1
        _end_of_line(s, i)
        if self.e >= self.n:
            raise Unsupported  # a header at the very end: keep it simple
        value = None
        if literal and not incr:
            value = self._literal(parent, chomp)
        if value is None:
            value = self._block_lines(literal, parent, chomp, incr)
        return Node("scalar", STR_TAG, value, "literal" if literal else "folded", header, k + 1)

    def _literal(self, parent: int, chomp: int) -> str | None:
        """A literal block scalar whose first line holds text and sets the
        indentation, and whose blank lines are empty (the common shape), read
        with a few whole-text operations; None for any other shape.  Leaves the
        cursor on the next content line."""
        text = self.text
        n = self.n
        q = self.e + 1
        b = _spaces_end(text, q)
        indent = b - q
        if indent <= parent or not indent or b >= n or text[b] in _NOT_TEXT:
            return None
        pad = b" " * indent
        fast = self.entry is not _no_match
        r = _unindented_line(text, b, pad, fast)
        empty = 0  # empty lines in the scalar
        while True:
            if r < 0:
                return None  # the text ends in the scalar without a line break
            if r == n or text[r] != _NL:
                break
            r = _unindented_line(text, r, pad, fast)
            empty += 1
        # the line at r ends the scalar unless it holds only spaces (r is the end
        # of the text when that ends with the scalar and a line break)
        t = _spaces_end(text, r)
        if t < n and text[t] == _NL or t == n and r != n:
            return None
        # unindent (split and join beat replace on large blocks)
        lines = text[b:r].split(_PADS[indent] if indent < 64 else b"\n" + b" " * indent)
        raw = b"\n".join(lines)
        # the line after the scalar: its line breaks are those before an indented
        # line, before an empty line, and the last one
        j = self.j + 1 + len(lines) + empty
        if chomp != 1 and raw.endswith(b"\n\n"):
            raw = raw.rstrip(b"\n") + b"\n"
        if chomp == -1:
            raw = raw[:-1]
        if t < n and text[t] != _HASH:  # the next content line: seek(r, j), shorter
            self.p = r
            self.j = j
            self.ind = t - r
            if t == r and text.startswith((b"---", b"..."), r):
                raise Unsupported
        else:
            self.seek(r, j)
        return raw.decode()

    def _block_lines(self, literal: bool, parent: int, chomp: int, incr: int) -> str:
        """Any block scalar, line by line (libyaml yaml_parser_scan_block_scalar).
        Leaves the cursor on the next content line."""
        text = self.text
        q = self.e + 1
        # the scalar ends at the latest on the first line indented less than any
        # content line can be: read the text up to that line only
        end = _block_end(text, self.e, b" " * max(parent + 1, 1), self.entry is not _no_match)
        if end >= 0:
            stop = text.find(b"\n", end)
            lines = text[q : stop if stop >= 0 else self.n].decode().split("\n")
            last = len(lines)  # that line ends the scalar: the end of the text is not reached
        else:
            lines = text[q:].decode().split("\n")
            last = len(lines) - 1
        indent = (parent + incr if parent >= 0 else incr) if incr else 0
        j, col, breaks, max_indent, eof = _breaks(lines, last, 0, indent)
        if indent == 0:
            indent = max(max_indent, parent + 1, 1)
            if not eof and max_indent > col:
                raise Unsupported  # leading blank lines longer than the content's indent
        out: list[str] = []
        leading_break = False
        leading_blank = False
        prefix = " " * indent  # a line starting so, and longer, is a content line
        while not eof and col == indent:
            line = lines[j]
            if literal:
                if leading_break:
                    out.append("\n")
            else:
                first = line[col]
                trailing_blank = first == " " or first == "\t"
                if leading_break and not leading_blank and not trailing_blank:
                    if not breaks:
                        out.append(" ")
                elif leading_break:
                    out.append("\n")
                leading_blank = trailing_blank
            if breaks:
                out.append("\n" * breaks)
                breaks = 0
            out.append(line[indent:])
            if j == last:
                leading_break = False
                eof = True
                break
            leading_break = True
            j += 1
            line = lines[j]
            if len(line) <= indent or not line.startswith(prefix):
                j, col, breaks, _, eof = _breaks(lines, last, j, indent)
        if chomp != -1 and leading_break:
            out.append("\n")
        if chomp == 1 and breaks:
            out.append("\n" * breaks)
        if eof:
            self.seek(self.n, self.j)
        else:
            self.seek(q + len("\n".join(lines[:j]).encode()) + (j > 0), self.j + 1 + j)
        return "".join(out)


def _breaks(lines: list[str], last: int, j: int, indent: int) -> tuple[int, int, int, int, bool]:
    """libyaml yaml_parser_scan_block_scalar_breaks from ``lines[j]``; ``last``
    is the index of the last line of the text (or past the lines given).

    Returns (line, column reached, line breaks seen, max indent, at end of input).
    """
    breaks = 0
    max_indent = 0
    while True:
        s = lines[j]
        ln = len(s)
        col = ln - len(s.lstrip(" "))
        if indent and col > indent:
            col = indent
        if col > max_indent:
            max_indent = col
        if col < ln:
            if s[col] == "\t" and (not indent or col < indent):
                raise Unsupported  # libyaml: a tab where indentation is expected
            return j, col, breaks, max_indent, False
        if j == last:
            return j, col, breaks, max_indent, True
        breaks += 1
        j += 1
