"""Go's ``strconv.Quote`` / ``%q`` rendering of text, for messages that embed it."""

from __future__ import annotations

_SIMPLE_ESCAPES = {
    0x07: "\\a",
    0x08: "\\b",
    0x0C: "\\f",
    0x0A: "\\n",
    0x0D: "\\r",
    0x09: "\\t",
    0x0B: "\\v",
    0x22: '\\"',
    0x5C: "\\\\",
}


def _quote_rune(cp: int) -> str:
    if cp in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[cp]
    ch = chr(cp)
    if cp == 0x20 or (cp > 0x20 and cp != 0x7F and ch.isprintable()):
        return ch
    if cp < 0x20 or cp == 0x7F:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def go_quote_bytes(data: bytes) -> str:
    """``strconv.Quote(string(data))``: invalid UTF-8 bytes become ``\\xNN``."""
    out = ['"']
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b < 0x80:
            out.append(_quote_rune(b))
            i += 1
            continue
        size = _utf8_seq_len(data, i)
        if size == 0:
            out.append(f"\\x{b:02x}")
            i += 1
            continue
        out.append(_quote_rune(ord(data[i : i + size].decode("utf-8"))))
        i += size
    out.append('"')
    return "".join(out)


def go_quote(text: str) -> str:
    """``strconv.Quote`` of a Python string (encoded as UTF-8)."""
    return go_quote_bytes(text.encode("utf-8", "surrogateescape"))


def _utf8_seq_len(data: bytes, i: int) -> int:
    """Length of the valid UTF-8 sequence starting at ``i`` (0 if invalid)."""
    b = data[i]
    if 0xC2 <= b <= 0xDF:
        size = 2
    elif 0xE0 <= b <= 0xEF:
        size = 3
    elif 0xF0 <= b <= 0xF4:
        size = 4
    else:
        return 0
    chunk = data[i : i + size]
    if len(chunk) != size:
        return 0
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return size


def decode_rune(data: bytes, i: int) -> tuple[int, int]:
    """Go ``utf8.DecodeRune``: (code point, width); invalid input gives (0xFFFD, 1)."""
    b = data[i]
    if b < 0x80:
        return b, 1
    size = _utf8_seq_len(data, i)
    if size == 0:
        return 0xFFFD, 1
    return ord(data[i : i + size].decode("utf-8")), size


_GO_SPACES = frozenset(
    [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
    + list(range(0x2000, 0x200B))
)


def go_is_space(cp: int) -> bool:
    """Go ``unicode.IsSpace``."""
    return cp in _GO_SPACES


def go_trim_space(data: bytes) -> bytes:
    """Go ``bytes.TrimSpace`` (Unicode white space, UTF-8 aware)."""
    start = 0
    end = len(data)
    while start < end:
        cp, size = decode_rune(data, start)
        if not go_is_space(cp) or (cp == 0xFFFD and size == 1):
            break
        start += size
    while end > start:
        # step back over one rune
        j = end - 1
        while j > start and (data[j] & 0xC0) == 0x80 and end - j < 4:
            j -= 1
        cp, size = decode_rune(data, j)
        if j + size != end:
            cp, j = 0xFFFD, end - 1
        if not go_is_space(cp):
            break
        end = j
    return data[start:end]
