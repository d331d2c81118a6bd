"""Unit-file parsing as go-systemd's ``unit.Deserialize`` does it, for Ignition validation.

Only what validation needs is produced: the section name of every option (in order), or the
parser's error text.  The parser reads through a 4096-byte buffered reader and refuses a
"line" when at least 2048 bytes are buffered and the next 2048 hold no CR/LF, so the buffer
is modelled exactly: whether a long line is caught depends on where buffer refills happen.
"""

from __future__ import annotations

from .goquote import decode_rune, go_is_space, go_quote_bytes, go_trim_space

_BUF_SIZE = 4096
_LINE_MAX = 2048

ERR_LINE_TOO_LONG = "line too long (max 2048 bytes)"


class _EOFError(Exception):
    pass


class _Reader:
    """A model of Go's ``bufio.Reader`` (default size) over an in-memory source."""

    __slots__ = ("data", "base", "r", "w", "eof_pending", "last_size")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.base = 0  # source offset of buf[0]
        self.r = 0
        self.w = 0
        self.eof_pending = False
        self.last_size = -1

    def buffered(self) -> int:
        return self.w - self.r

    def _fill(self) -> None:
        if self.r > 0:
            self.base += self.r
            self.w -= self.r
            self.r = 0
        start = self.base + self.w
        n = min(_BUF_SIZE - self.w, len(self.data) - start)
        if n <= 0:
            self.eof_pending = True
            return
        self.w += n

    def _take_err(self) -> bool:
        pending = self.eof_pending
        self.eof_pending = False
        return pending

    def _full_rune(self) -> bool:
        chunk = self.data[self.base + self.r : self.base + self.w]
        if not chunk:
            return False
        first = chunk[0]
        if first < 0x80 or first < 0xC2 or first > 0xF4:
            return True
        need = 2 if first < 0xE0 else 3 if first < 0xF0 else 4
        if len(chunk) >= need:
            return True
        # an invalid continuation byte already makes it a (1-byte error) rune
        return any((c & 0xC0) != 0x80 for c in chunk[1:])

    def read_rune(self) -> int:
        while (
            self.r + 4 > self.w
            and not self._full_rune()
            and not self.eof_pending
            and self.w - self.r < _BUF_SIZE
        ):
            self._fill()
        self.last_size = -1
        if self.r == self.w:
            self._take_err()
            raise _EOFError
        pos = self.base + self.r
        end = self.base + self.w
        cp, size = decode_rune(self.data[pos:end], 0)
        self.r += size
        self.last_size = size
        return cp

    def unread_rune(self) -> None:
        if self.last_size >= 0 and self.r >= self.last_size:
            self.r -= self.last_size
        self.last_size = -1

    def read_bytes(self, delim: int) -> tuple[bytes, bool]:
        """``ReadBytes``: (data, hit_eof)."""
        parts: list[bytes] = []
        scanned = 0
        while True:
            lo = self.base + self.r
            hi = self.base + self.w
            idx = self.data.find(bytes((delim,)), lo + scanned, hi)
            if idx >= 0:
                parts.append(self.data[lo : idx + 1])
                self.r = idx + 1 - self.base
                self.last_size = -1
                return b"".join(parts), False
            if self.eof_pending:
                parts.append(self.data[lo:hi])
                self.r = self.w
                self._take_err()
                self.last_size = -1
                return b"".join(parts), True
            if self.buffered() >= _BUF_SIZE:
                parts.append(self.data[lo:hi])
                self.r = self.w
                scanned = 0
                continue
            scanned = self.w - self.r
            self._fill()

    def peek_has_newline(self) -> bool:
        lo = self.base + self.r
        window = self.data[lo : lo + _LINE_MAX]
        return b"\n" in window or b"\r" in window


class UnitParseError(Exception):
    pass


def _to_eol(rd: _Reader) -> tuple[bytes, bool]:
    line, eof = rd.read_bytes(0x0A)
    if line.endswith(b"\r"):
        line = line[:-1]
    if line.endswith(b"\n"):
        line = line[:-1]
    return line, eof


def _is_comment(cp: int) -> bool:
    return cp in (0x23, 0x3B)  # '#', ';'


# lexer states
_NEXT_SECTION = 0
_SECTION_NAME = 1
_SECTION_SUFFIX = 2
_IGNORE_LINE = 3
_NEXT_SEC_OR_OPT = 4
_OPTION_NAME = 5
_OPTION_VALUE = 6


def _plain_sections(contents: str) -> list[str] | None:
    """The same answer as the rune-by-rune parser, line by line, for the units
    people write: sections, `Key=value` lines, comments and blank lines, short
    lines, no continuations. None for anything else (the parser decides)."""
    if "\r" in contents:
        return None
    result: list[str] = []
    section: str | None = None
    for line in contents.split("\n"):
        if not line:
            continue
        # a backslash at the end (or before one trailing space) may continue the line
        if len(line) > 500 or "\\" in line[-2:]:
            return None
        first = line[0]
        if first == "[":
            end = line.find("]")
            if end < 0 or line[end + 1:].strip():
                return None
            section = line[1:end]
        elif first in "#;":
            continue
        elif section is None or first.isspace() or "=" not in line:
            return None
        else:
            result.append(section)
    return result


def option_sections(contents: str) -> list[str]:
    """Section name of every option in ``contents``, or raise :class:`UnitParseError`.

    The message of the error is go-systemd's (without Ignition's ``invalid unit content:``).
    """
    plain = _plain_sections(contents)
    if plain is not None:
        return plain
    data = contents.encode("utf-8", "surrogateescape")
    rd = _Reader(data)
    result: list[str] = []
    state = _NEXT_SECTION
    section = ""
    after_ignore = _NEXT_SECTION
    pending_name = b""
    while True:
        if rd.buffered() >= _LINE_MAX and not rd.peek_has_newline():
            raise UnitParseError(ERR_LINE_TOO_LONG)
        if state == _NEXT_SECTION:
            try:
                cp = rd.read_rune()
            except _EOFError:
                return result
            if cp == 0x5B:
                state = _SECTION_NAME
            elif _is_comment(cp):
                state, after_ignore = _IGNORE_LINE, _NEXT_SECTION
        elif state == _SECTION_NAME:
            sec, eof = rd.read_bytes(0x5D)
            if eof:
                raise UnitParseError("unable to find end of section")
            pending_name = sec[:-1]
            state = _SECTION_SUFFIX
        elif state == _SECTION_SUFFIX:
            garbage, _ = _to_eol(rd)
            garbage = go_trim_space(garbage)
            if garbage:
                raise UnitParseError(
                    f"found garbage after section name : {go_quote_bytes(garbage)}"
                )
            section = pending_name.decode("utf-8", "replace")
            state = _NEXT_SEC_OR_OPT
        elif state == _IGNORE_LINE:
            while True:
                line, _ = _to_eol(rd)
                if line.endswith(b" "):
                    line = line[:-1]
                if not line.endswith(b"\\"):
                    break
            state = after_ignore
        elif state == _NEXT_SEC_OR_OPT:
            try:
                cp = rd.read_rune()
            except _EOFError:
                return result
            if go_is_space(cp):
                pass
            elif cp == 0x5B:
                state = _SECTION_NAME
            elif _is_comment(cp):
                state, after_ignore = _IGNORE_LINE, _NEXT_SEC_OR_OPT
            else:
                rd.unread_rune()
                state = _OPTION_NAME
        elif state == _OPTION_NAME:
            while True:
                try:
                    cp = rd.read_rune()
                except _EOFError:
                    raise UnitParseError("EOF") from None
                if cp in (0x0A, 0x0D):
                    raise UnitParseError(
                        "unexpected newline encountered while parsing option name"
                    )
                if cp == 0x3D:
                    break
            state = _OPTION_VALUE
        else:  # _OPTION_VALUE
            line, eof = _to_eol(rd)
            if go_trim_space(line) and line.endswith(b"\\"):
                continue  # continuation: stay in the value state
            result.append(section)
            state = _NEXT_SEC_OR_OPT


# contents -> parse_unit_error's answer, across configs: a fleet's configs share their
# units.  Bounded by the characters it holds; short units only.
_MEMO: dict[str, tuple[list[str] | None, str | None]] = {}
_MEMO_MAX_CHARS = 1 << 22
_MEMO_MAX_UNIT = 1 << 16
_memo_chars = 0


def parse_unit_error(contents: str | None) -> tuple[list[str] | None, str | None]:
    """(option sections, None) or (None, "invalid unit content: ...") like Ignition's parser.

    The answer may be shared between calls: do not change its list."""
    global _memo_chars
    if contents is None:
        return [], None
    hit = _MEMO.get(contents)
    if hit is not None:
        return hit
    result: tuple[list[str] | None, str | None]
    try:
        result = option_sections(contents), None
    except UnitParseError as exc:
        result = None, f"invalid unit content: {exc}"
    if len(contents) <= _MEMO_MAX_UNIT:
        if _memo_chars + len(contents) > _MEMO_MAX_CHARS:
            _MEMO.clear()
            _memo_chars = 0
        _MEMO[contents] = result
        _memo_chars += len(contents)
    return result
