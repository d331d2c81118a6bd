"""A small pure-Python YAML parser for the common subset of Butane configs.

Importing libyaml (ruamel's C extension) costs more start-up time than a
small config takes to translate, so :func:`parse_simple` parses the subset
most real configs are written in and raises :class:`Unsupported` on anything
else; the caller then uses the libyaml path (``source.parse``), which also
produces yaml.v3's exact error messages.  Whenever ``parse_simple`` returns,
its tree equals the one ``source.parse`` builds for the same text: same
kinds, tags, values, styles, 1-based line/column positions, children in
order (tests/test_fastyaml.py checks this against the recorded corpora and
random documents).

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
block-scalar content, a lone CR, NEL, U+2028/U+2029, U+FEFF, control
characters, keys longer than 1000 characters, nesting deeper than 200, and
any syntax error.

``text`` is what ``source._decode_input`` returns when it finds no reader
problem (offer nothing else: a reader problem is an error to report).
"""

from __future__ import annotations

import re

from .yaml_scalars import MAP_TAG, MERGE_TAG, SEQ_TAG, STR_TAG, Node, resolve_plain_tag

__all__ = ["Unsupported", "parse_simple"]


class Unsupported(Exception):
    """The input is outside the subset: parse it with the full parser."""


# Characters outside the subset anywhere in the text: C0 controls but tab and
# LF (CR is handled apart), DEL and C1 controls (NEL is a line break to
# libyaml), the line and paragraph separators (line breaks too), the BOM,
# non-characters and surrogates.  (Small classes: a class spanning most of
# Unicode costs milliseconds to compile.)
_BAD_ASCII = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_BAD_OTHER = re.compile("[\x80-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]")
# a plain scalar cannot start with these (a '-' followed by a non-space can)
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# in flow context a plain scalar also stops at these (the bundled libyaml ends
# one at '?' and ':' too; ':' and '#' are left out of the subset there)
_FLOW_PLAIN = re.compile(r"[^,\[\]{}:?#]*")
_DQ_RUN = re.compile(r'[^"\\]*')
_HEX = re.compile(r"[0-9A-Fa-f]*")
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_WIDTH = {"x": 2, "u": 4, "U": 8}
_MAX_KEY = 1000  # libyaml forgets a simple key after 1024 characters
_MAX_NESTING = 200  # stay well inside Python's recursion limit

_TAGS: dict[str, str] = {}


def _plain_tag(value: str) -> str:
    tag = _TAGS.get(value)
    if tag is None:
        tag = MERGE_TAG if value == "<<" else resolve_plain_tag(value)
        if len(value) < 40 and len(_TAGS) < 4096:
            _TAGS[value] = tag
    return tag


def parse_simple(text: str, max_depth: int = 10000) -> Node | None:
    """Parse ``text`` (decoded, BOM stripped) like ``source.parse`` would.

    Returns the root node, or None for a stream without a document.  Raises
    :class:`Unsupported` when the text is outside the subset or nests deeper
    than ``max_depth`` collections (the full parser then decides).
    """
    if "\r" in text:
        # libyaml reads CR LF as one line break everywhere; a lone CR is a break too
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            raise Unsupported
    if _BAD_ASCII.search(text) is not None:
        raise Unsupported
    if not text.isascii() and _BAD_OTHER.search(text) is not None:
        raise Unsupported
    return _Parser(text.split("\n"), max_depth).document()


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
        m = _DQ_RUN.match(s, i)
        assert m is not None
        out.append(m.group())
        i = m.end()
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
        h = _HEX.match(s, i + 2, i + 2 + width)
        assert h is not None
        if h.end() - h.start() != width:
            raise Unsupported
        v = int(h.group(), 16)
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


class _Parser:
    __slots__ = ("lines", "n", "depth", "max_depth")

    def __init__(self, lines: list[str], max_depth: int) -> None:
        self.lines = lines
        self.n = len(lines)
        self.depth = 0
        self.max_depth = min(max_depth, _MAX_NESTING)

    def skip(self, j: int) -> int:
        """The first line from ``j`` on that is not blank or a comment (or n)."""
        lines = self.lines
        n = self.n
        while j < n:
            s = lines[j]
            t = s.lstrip(" ")
            if "\t" in s:
                raise Unsupported
            if t and t[0] != "#":
                if s.startswith(("---", "...")):
                    raise Unsupported
                return j
            j += 1
        return n

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise Unsupported

    def document(self) -> Node | None:
        lines = self.lines
        j = 0
        while j < self.n:  # blank and comment lines, then an optional "---" line
            s = lines[j]
            t = s.lstrip(" ")
            if "\t" in s:
                raise Unsupported
            if t and t[0] != "#":
                if s.startswith("---") and (len(s) == 3 or s[3] == " "):
                    _end_of_line(s, 3)
                    j = self.skip(j + 1)
                    if j == self.n:
                        raise Unsupported  # an empty document: a null root
                break
            j += 1
        j = self.skip(j)
        if j == self.n:
            return None
        s = lines[j]
        node, j = self.node(j, len(s) - len(s.lstrip(" ")), -1, True)
        if node.kind == "scalar" or j != self.n:
            raise Unsupported
        return node

    def node(self, j: int, k: int, parent: int, block_ok: bool) -> tuple[Node, int]:
        """The node starting at line ``j``, column ``k`` (0-based); ``parent`` is
        the column of the innermost block collection.  Returns the node and the
        next content line."""
        s = self.lines[j]
        ch = s[k]
        if ch == "-" and (k + 1 == len(s) or s[k + 1] == " "):
            if not block_ok:
                raise Unsupported
            return self.block_seq(j, k, False)
        if ch == "[" or ch == "{":
            node, e = self.flow(s, k, j)
            _end_of_line(s, e)
            return node, self.skip(j + 1)
        if ch == "|" or ch == ">":
            return self.block_scalar(j, k, parent)
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
        key = Node("scalar", tag, value, style, j + 1, k + 1)
        if is_key:
            if not block_ok or c - k > _MAX_KEY:
                raise Unsupported
            return self.block_map(j, k, key, c)
        return key, self.skip(j + 1)

    def key(self, j: int, k: int) -> tuple[Node, int]:
        """The key of a mapping entry at line ``j``, column ``k``; returns it
        and the index of its ':'."""
        s = self.lines[j]
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
        return Node("scalar", tag, value, style, j + 1, k + 1), c

    def block_map(self, j: int, c: int, key: Node, colon: int) -> tuple[Node, int]:
        self.enter()
        lines = self.lines
        n = self.n
        node = Node("map", MAP_TAG, "", "", j + 1, c + 1)
        pairs = node.pairs
        while True:
            s = lines[j]
            k = colon + 1
            ln = len(s)
            while k < ln and s[k] == " ":
                k += 1
            value: Node
            if k == ln or s[k] == "#":  # nothing after the ':' on this line
                j2 = self.skip(j + 1)
                if j2 < n:
                    s2 = lines[j2]
                    ind = len(s2) - len(s2.lstrip(" "))
                    if ind > c:
                        value, j = self.node(j2, ind, c, True)
                    elif ind == c and s2[c] == "-" and (c + 1 == len(s2) or s2[c + 1] == " "):
                        value, j = self.block_seq(j2, c, True)
                    else:
                        value = Node("scalar", "!!null", "", "plain", j + 1, colon + 2)
                        j = j2
                else:
                    value = Node("scalar", "!!null", "", "plain", j + 1, colon + 2)
                    j = j2
            else:
                value, j = self.node(j, k, c, False)
            pairs.append((key, value))
            if j >= n:
                break
            s = lines[j]
            ind = len(s) - len(s.lstrip(" "))
            if ind < c:
                break
            if ind > c:
                raise Unsupported
            key, colon = self.key(j, c)
        self.depth -= 1
        return node, j

    def block_seq(self, j: int, c: int, indentless: bool) -> tuple[Node, int]:
        self.enter()
        lines = self.lines
        n = self.n
        node = Node("seq", SEQ_TAG, "", "", j + 1, c + 1)
        items = node.items
        while True:
            s = lines[j]
            k = c + 1
            ln = len(s)
            while k < ln and s[k] == " ":
                k += 1
            item: Node
            if k == ln or s[k] == "#":  # nothing after the '-' on this line
                j2 = self.skip(j + 1)
                if j2 < n:
                    s2 = lines[j2]
                    ind = len(s2) - len(s2.lstrip(" "))
                    if ind > c:
                        item, j = self.node(j2, ind, c, True)
                    else:
                        item = Node("scalar", "!!null", "", "plain", j + 1, c + 2)
                        j = j2
                else:
                    item = Node("scalar", "!!null", "", "plain", j + 1, c + 2)
                    j = j2
            else:
                item, j = self.node(j, k, c, True)
            items.append(item)
            if j >= n:
                break
            s = lines[j]
            ind = len(s) - len(s.lstrip(" "))
            if ind < c:
                break
            if ind > c:
                raise Unsupported
            if s[c] == "-" and (c + 1 == len(s) or s[c + 1] == " "):
                continue
            if indentless:
                break  # the mapping holding it goes on
            raise Unsupported
        self.depth -= 1
        return node, j

    def flow(self, s: str, k: int, j: int) -> tuple[Node, int]:
        """A single-line flow collection at ``s[k]``; returns it and the index after."""
        self.enter()
        is_map = s[k] == "{"
        close = "}" if is_map else "]"
        node = Node("map" if is_map else "seq", MAP_TAG if is_map else SEQ_TAG, "", "",
                    j + 1, k + 1)
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
        m = _FLOW_PLAIN.match(s, i)
        assert m is not None
        value = m.group().rstrip(" ")
        return Node("scalar", _plain_tag(value), value, "plain", j + 1, i + 1), m.end()

    def block_scalar(self, j: int, k: int, parent: int) -> tuple[Node, int]:
        s = self.lines[j]
        header = j + 1
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
        indent = (parent + incr if parent >= 0 else incr) if incr else 0
        lines = self.lines
        last = self.n - 1
        if j == last:
            raise Unsupported  # a header at the very end: keep it simple
        # libyaml yaml_parser_scan_block_scalar, line by line
        j, col, breaks, max_indent, eof = self._breaks(j + 1, indent)
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
                j, col, breaks, _, eof = self._breaks(j, indent)
        if chomp != -1 and leading_break:
            out.append("\n")
        if chomp == 1 and breaks:
            out.append("\n" * breaks)
        node = Node("scalar", STR_TAG, "".join(out), "literal" if literal else "folded",
                    header, k + 1)
        return node, self.n if eof else self.skip(j)

    def _breaks(self, j: int, indent: int) -> tuple[int, int, int, int, bool]:
        """libyaml yaml_parser_scan_block_scalar_breaks from line ``j``.

        Returns (line, column reached, line breaks seen, max indent, at end of input).
        """
        lines = self.lines
        last = self.n - 1
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
