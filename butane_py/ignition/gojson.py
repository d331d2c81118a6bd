"""JSON parsing with Go ``encoding/json``'s syntax rules and error texts.

:func:`parse` returns a tree whose objects keep every key in order (duplicates included) as a
list of pairs in a :class:`JObject`, numbers keep their literal text as :class:`JNumber`, and
syntax errors raise :class:`GoJSONSyntaxError` with Go's message, e.g.
``invalid character 'n' looking for beginning of object key string``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .goquote import go_quote

_WS = b" \t\r\n"
_HEX = b"0123456789abcdefABCDEF"
_ESC = {0x62: "\b", 0x66: "\f", 0x6E: "\n", 0x72: "\r", 0x74: "\t", 0x5C: "\\", 0x2F: "/", 0x22: '"'}


class GoJSONSyntaxError(ValueError):
    pass


class JNumber(NamedTuple):
    text: str


class JObject(list[tuple[str, Any]]):
    """A JSON object as (key, value) pairs in document order."""


def _quote_char(c: int) -> str:
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(c))[1:-1] + "'"


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.n = len(data)

    def fail(self, context: str) -> GoJSONSyntaxError:
        if self.pos >= self.n:
            return GoJSONSyntaxError("unexpected end of JSON input")
        return GoJSONSyntaxError(f"invalid character {_quote_char(self.data[self.pos])} {context}")

    def skip_ws(self) -> None:
        data, n = self.data, self.n
        while self.pos < n and data[self.pos] in _WS:
            self.pos += 1

    def peek(self) -> int:
        return self.data[self.pos] if self.pos < self.n else -1

    def value(self) -> Any:
        """Parse a value at pos (whitespace already skipped)."""
        c = self.peek()
        if c == 0x7B:
            return self.obj()
        if c == 0x5B:
            return self.arr()
        if c == 0x22:
            return self.string()
        if c == 0x2D or 0x30 <= c <= 0x39:
            return self.number()
        for word, result in ((b"true", True), (b"false", False), (b"null", None)):
            if c == word[0]:
                self.pos += 1
                for expect in word[1:]:
                    if self.peek() != expect:
                        raise self.fail(
                            f"in literal {word.decode()} (expecting {_quote_char(expect)})"
                        )
                    self.pos += 1
                return result
        raise self.fail("looking for beginning of value")

    def obj(self) -> JObject:
        self.pos += 1
        out = JObject()
        self.skip_ws()
        if self.peek() == 0x7D:
            self.pos += 1
            return out
        while True:
            if self.peek() != 0x22:
                raise self.fail("looking for beginning of object key string")
            key = self.string()
            self.skip_ws()
            if self.peek() != 0x3A:
                raise self.fail("after object key")
            self.pos += 1
            self.skip_ws()
            val = self.value()
            out.append((key, val))
            self.skip_ws()
            c = self.peek()
            if c == 0x2C:
                self.pos += 1
                self.skip_ws()
                continue
            if c == 0x7D:
                self.pos += 1
                return out
            raise self.fail("after object key:value pair")

    def arr(self) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        self.skip_ws()
        if self.peek() == 0x5D:
            self.pos += 1
            return out
        while True:
            out.append(self.value())
            self.skip_ws()
            c = self.peek()
            if c == 0x2C:
                self.pos += 1
                self.skip_ws()
                continue
            if c == 0x5D:
                self.pos += 1
                return out
            raise self.fail("after array element")

    def number(self) -> JNumber:
        data = self.data
        start = self.pos
        if self.peek() == 0x2D:
            self.pos += 1
            if not 0x30 <= self.peek() <= 0x39:
                raise self.fail("in numeric literal")
        if self.peek() == 0x30:
            self.pos += 1
        else:
            while 0x30 <= self.peek() <= 0x39:
                self.pos += 1
        if self.peek() == 0x2E:
            self.pos += 1
            if not 0x30 <= self.peek() <= 0x39:
                raise self.fail("after decimal point in numeric literal")
            while 0x30 <= self.peek() <= 0x39:
                self.pos += 1
        if self.peek() in (0x65, 0x45):
            self.pos += 1
            if self.peek() in (0x2B, 0x2D):
                self.pos += 1
            if not 0x30 <= self.peek() <= 0x39:
                raise self.fail("in exponent of numeric literal")
            while 0x30 <= self.peek() <= 0x39:
                self.pos += 1
        return JNumber(data[start : self.pos].decode("ascii"))

    def string(self) -> str:
        data = self.data
        self.pos += 1
        parts: list[str] = []
        seg = self.pos
        while True:
            if self.pos >= self.n:
                raise self.fail("")
            c = data[self.pos]
            if c == 0x22:
                parts.append(data[seg : self.pos].decode("utf-8", "replace"))
                self.pos += 1
                return _join_surrogates("".join(parts))
            if c < 0x20:
                raise self.fail("in string literal")
            if c != 0x5C:
                self.pos += 1
                continue
            parts.append(data[seg : self.pos].decode("utf-8", "replace"))
            self.pos += 1
            e = self.peek()
            if e in _ESC:
                parts.append(_ESC[e])
                self.pos += 1
            elif e == 0x75:
                self.pos += 1
                for _ in range(4):
                    h = self.peek()
                    if h < 0 or h not in _HEX:
                        raise self.fail("in \\u hexadecimal character escape")
                    self.pos += 1
                parts.append(chr(int(data[self.pos - 4 : self.pos], 16)))
            else:
                raise self.fail("in string escape code")
            seg = self.pos


def _join_surrogates(s: str) -> str:
    """Combine \\uD8xx\\uDCxx pairs; lone surrogates become U+FFFD (as Go decodes them)."""
    if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in s):
        return s
    out: list[str] = []
    i = 0
    while i < len(s):
        cp = ord(s[i])
        if 0xD800 <= cp <= 0xDBFF and i + 1 < len(s) and 0xDC00 <= ord(s[i + 1]) <= 0xDFFF:
            out.append(chr(0x10000 + ((cp - 0xD800) << 10) + (ord(s[i + 1]) - 0xDC00)))
            i += 2
            continue
        out.append("\ufffd" if 0xD800 <= cp <= 0xDFFF else s[i])
        i += 1
    return "".join(out)


def parse(data: bytes) -> Any:
    """Parse one JSON document (Go rules); raises :class:`GoJSONSyntaxError`."""
    p = _Parser(data)
    p.skip_ws()
    value = p.value()
    p.skip_ws()
    if p.pos < p.n:
        raise p.fail("after top-level value")
    return value


def json_valid(text: str) -> bool:
    """Whether Go's ``json.Unmarshal`` into ``any`` accepts ``text``."""
    try:
        parse(text.encode("utf-8", "surrogateescape"))
    except GoJSONSyntaxError:
        return False
    return True
