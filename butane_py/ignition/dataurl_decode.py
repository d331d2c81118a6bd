"""Data URL validity as ``github.com/vincent-petithory/dataurl.DecodeString`` reports it.

:func:`dataurl_error` returns the library's error text for an RFC 2397 URL, or None when it
decodes.  The lexer's token sequence and the parser's per-token work are replayed in order,
so the first failure (lexer or parser) is the one reported, as in the Go library.
"""

from __future__ import annotations

from .goquote import decode_rune
from .urls import HEX_DIGITS, simple_data_url_ok

# The shapes Butane itself writes are checked by urls.simple_data_url_ok; anything else
# takes the lexer replay below, which reports the library's exact error.

_TSPECIALS = frozenset('()<>@,;:\\"/[]?=')
_URL_CHAR_EXCLUDED = frozenset(' <>#"{}|\\^[]`')
_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_EOF = -1

# token kinds produced by the lexer (only those the parser acts on matter)
_T_PARAM_VAL = "paramval"
_T_QUOTE = "quote"
_T_BASE64 = "base64"
_T_DATA = "data"


def _is_token(r: int) -> bool:
    return 0x20 < r < 0x7F and chr(r) not in _TSPECIALS


def _is_url_char(r: int) -> bool:
    return 0x20 < r < 0x7F and chr(r) not in _URL_CHAR_EXCLUDED


def _is_b64_data(r: int) -> bool:
    return r == 0x0A or (r < 0x80 and (r in _B64_ALPHABET or r == 0x3D))


class _Lexer:
    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogateescape")
        self.start = 0
        self.pos = 0
        self.width = 0
        self.tokens: list[tuple[str, bytes]] = []

    def next(self) -> int:
        if self.pos >= len(self.data):
            self.width = 0
            return _EOF
        r, self.width = decode_rune(self.data, self.pos)
        self.pos += self.width
        return r

    def backup(self) -> None:
        self.pos -= self.width

    def emit(self, kind: str) -> None:
        self.tokens.append((kind, self.data[self.start : self.pos]))
        self.start = self.pos

    def text(self) -> str:
        return self.data[self.start : self.pos].decode("utf-8", "replace")


def _separator(lx: _Lexer) -> tuple[str, str | None]:
    """After a media type or a parameter: the next state, or the lexer's error."""
    r = lx.next()
    if r in (0x3B, 0x2C):
        lx.backup()
        return ("semicolon" if r == 0x3B else "comma"), None
    if r == _EOF:
        return "", "missing comma before data"
    return "", "expected semicolon or comma"


def _token_run(lx: _Lexer, at_end: str, bad: str) -> str | None:
    """Token characters up to a ';' or ',' (left unread): None, or the lexer's error
    when the text ends first (`at_end`) or another character comes (`bad`)."""
    while True:
        r = lx.next()
        if r in (0x3B, 0x2C):
            lx.backup()
            return None
        if r == _EOF:
            return at_end
        if not _is_token(r):
            return bad


def _lex(text: str) -> tuple[list[tuple[str, bytes]], str | None]:
    """Run the state machine; returns the tokens and the lexer error (if any)."""
    lx = _Lexer(text)
    if not lx.data.startswith(b"data:"):
        return lx.tokens, "missing data prefix"
    lx.pos += 5
    lx.emit("prefix")
    seen_b64 = False
    state = "after_prefix"
    while True:
        if state == "after_prefix":
            r = lx.next()
            if r == 0x3B:
                lx.backup()
                state = "semicolon"
            elif r == 0x2C:
                lx.backup()
                state = "comma"
            elif r == _EOF:
                return lx.tokens, "missing comma before data"
            elif r in (0x78, 0x58):  # x / X
                state = "x_media" if lx.next() == 0x2D else "discrete_media"
            elif _is_token(r):
                state = "discrete_media"
            else:
                return lx.tokens, "invalid character after data prefix"
        elif state in ("x_media", "discrete_media"):
            while True:
                r = lx.next()
                if r == 0x2F:
                    lx.backup()
                    if state == "discrete_media":
                        mt = lx.data[lx.start : lx.pos]
                        if not mt.startswith(
                            (b"text", b"image", b"audio", b"video", b"application", b"message",
                             b"multipart")
                        ):
                            return lx.tokens, "invalid media type"
                    break
                if r == _EOF:
                    return lx.tokens, "missing media type slash"
                if not _is_token(r):
                    return lx.tokens, "invalid character for media type"
            if lx.pos > lx.start:
                lx.emit("mediatype")
            lx.next()
            lx.emit("mediasep")
            err = _token_run(lx, "incomplete media type", "invalid character for media subtype")
            if err is not None:
                return lx.tokens, err
            if lx.pos > lx.start:
                lx.emit("subtype")
            state, err = _separator(lx)
            if err is not None:
                return lx.tokens, err
        elif state == "semicolon":
            lx.next()
            lx.emit("semicolon")
            r = lx.next()
            if r == _EOF or r in (0x3D, 0x2C):
                return lx.tokens, "unterminated parameter sequence"
            if not _is_token(r):
                return lx.tokens, "invalid character for parameter attribute"
            lx.backup()
            # in parameter attribute
            while True:
                r = lx.next()
                if r == 0x3D:
                    lx.backup()
                    break
                if r == 0x2C:
                    lx.backup()
                    if lx.pos > lx.start:
                        value = lx.text()
                        if value != "base64":
                            return lx.tokens, f"expected base64, got {value}"
                        seen_b64 = True
                        lx.emit(_T_BASE64)
                    state = "comma"
                    break
                if r == _EOF:
                    return lx.tokens, "unterminated parameter sequence"
                if not _is_token(r):
                    return lx.tokens, "invalid character for parameter attribute"
            if state == "comma":
                continue
            if lx.pos > lx.start:
                lx.emit("attr")
            lx.next()
            lx.emit("equal")
            r = lx.next()
            if r == 0x22:
                lx.emit(_T_QUOTE)
                err = _lex_quoted_value(lx)
                if err is not None:
                    return lx.tokens, err
            elif r == _EOF:
                return lx.tokens, "missing comma before data"
            elif _is_token(r):
                err = _token_run(lx, "missing comma before data",
                                 "invalid character for parameter value")
                if err is not None:
                    return lx.tokens, err
                if lx.pos > lx.start:
                    lx.emit(_T_PARAM_VAL)
            else:
                return lx.tokens, "invalid character for parameter value"
            state, err = _separator(lx)
            if err is not None:
                return lx.tokens, err
        else:  # comma, then the data
            lx.next()
            lx.emit("comma")
            accept = _is_b64_data if seen_b64 else _is_url_char
            while True:
                r = lx.next()
                if r == _EOF:
                    break
                if not accept(r):
                    return lx.tokens, "invalid data character"
            if lx.pos > lx.start:
                lx.emit(_T_DATA)
            return lx.tokens, None


def _lex_quoted_value(lx: _Lexer) -> str | None:
    while True:
        r = lx.next()
        if r == _EOF:
            return "unclosed quoted string"
        if r == 0x5C:
            r = lx.next()
            if r <= 0x7F:  # includes EOF (-1), which then fails as unclosed
                continue
            return "invalid escaped character"
        if r == 0x22:
            lx.backup()
            if lx.pos > lx.start:
                lx.emit(_T_PARAM_VAL)
            lx.next()
            lx.emit("rquote")
            return None
        if r > 0x7F:
            return "invalid character for parameter value"


def _rfc2396_unescape_error(data: bytes) -> str | None:
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b >= 0x80:
            _, size = decode_rune(data, i)
            if size > 1:
                return "rfc2396: non-ASCII char detected"
            i += 1
            continue
        if b == 0x25:
            for k in (1, 2):
                if i + k >= n:
                    return "rfc2396: unexpected end of unescape sequence"
                if chr(data[i + k]) not in HEX_DIGITS:
                    return "rfc2396: invalid char 0x25 in unescape sequence"
            i += 3
            continue
        i += 1
    return None


def go_base64_error(src: bytes) -> str | None:
    """Error of Go's ``base64.StdEncoding.DecodeString`` (``illegal base64 data ...``)."""
    at = _b64_error_offset(src)
    if at is None:
        return None
    return f"illegal base64 data at input byte {at}"


def _b64_error_offset(src: bytes) -> int | None:
    si = 0
    n = len(src)
    while si < n:
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return None
                return si - j
            c = src[si]
            si += 1
            if c in _B64_ALPHABET:
                j += 1
                continue
            if c in (0x0A, 0x0D):
                continue
            if c != 0x3D or j < 2:
                return si - 1
            if j == 2:
                while si < n and src[si] in (0x0A, 0x0D):
                    si += 1
                if si == n:
                    return n
                if src[si] != 0x3D:
                    return si - 1
                si += 1
            while si < n and src[si] in (0x0A, 0x0D):
                si += 1
            return si if si < n else None
    return None


_SIMPLE_ESC = frozenset(b"abfnrtv\\\"")


def _go_unquote_error(body: bytes) -> bool:
    """True when ``strconv.Unquote('"' + body + '"')`` fails."""
    if b"\n" in body:
        return True
    if b"\\" not in body:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == 0x22:
            return True
        if c != 0x5C:
            i += 1
            continue
        if i + 1 >= n:
            return True
        e = body[i + 1]
        i += 2
        if e in _SIMPLE_ESC:
            continue
        if e in b"xuU":
            width = {0x78: 2, 0x75: 4, 0x55: 8}[e]
            digits = body[i : i + width]
            if len(digits) != width or any(chr(d) not in HEX_DIGITS for d in digits):
                return True
            value = int(digits, 16)
            if e != 0x78 and (value > 0x10FFFF or 0xD800 <= value <= 0xDFFF):
                return True
            i += width
            continue
        if 0x30 <= e <= 0x37:
            digits = body[i - 1 : i + 2]
            if len(digits) != 3 or any(not 0x30 <= d <= 0x37 for d in digits):
                return True
            if int(digits, 8) > 255:
                return True
            i += 2
            continue
        return True
    return False


def dataurl_error(text: str) -> str | None:
    """The error ``dataurl.DecodeString(text)`` returns, or None if it decodes."""
    if simple_data_url_ok(text):
        return None
    tokens, lex_err = _lex(text)
    quoted = False
    for kind, value in tokens:
        if kind == _T_QUOTE:
            quoted = True
        elif kind == _T_PARAM_VAL:
            if quoted:
                quoted = False
                if _go_unquote_error(value):
                    return "invalid syntax"
            else:
                err = _rfc2396_unescape_error(value)
                if err is not None:
                    return err
        elif kind == _T_DATA:
            err = go_base64_error(value) if _seen_base64(tokens) else _rfc2396_unescape_error(value)
            if err is not None:
                return err
    return lex_err


def _seen_base64(tokens: list[tuple[str, bytes]]) -> bool:
    return any(kind == _T_BASE64 for kind, _ in tokens)
