"""The reference's default report: each entry with file:line:col, two lines of
context and an underline. Works on bytes, because the reference slices lines
by byte while counting columns in characters."""

from __future__ import annotations

from collections.abc import Callable

from ..report import Entry, Report

_KIND_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_BLUE = "bold blue"

# Go's unicode.IsSpace; Python's str.isspace also counts \x1c-\x1f
_NOT_GO_SPACE = frozenset("\x1c\x1d\x1e\x1f")

Painter = Callable[[str, str], str]


def _plain(text: str, style: str) -> str:
    return text


def rich_painter() -> Painter:
    """ANSI colour through rich (imported only when colour is on)."""
    from rich.style import Style

    styles: dict[str, Style] = {}

    def paint(text: str, style: str) -> str:
        st = styles.get(style)
        if st is None:
            st = styles[style] = Style.parse(style)
        return st.render(text)

    return paint


def _underline_len(rest: bytes) -> int:
    """Bytes up to the next whitespace character (or the end)."""
    text = rest.decode("utf-8", "surrogateescape")
    offset = 0
    for ch in text:
        if ch.isspace() and ch not in _NOT_GO_SPACE:
            return offset
        offset += len(ch.encode("utf-8", "surrogateescape"))
    return len(rest)


def _entry(e: Entry, filename: bytes, lines: list[bytes], paint: Painter) -> bytes:
    line, col = e.line, e.col
    if not e.has_marker or line < 1 or line > len(lines) or col < 1 or col > len(lines[line - 1]):
        return (e.raw() + "\n").encode("utf-8", "surrogateescape")
    out: list[bytes] = []
    kind = paint(e.kind, _KIND_STYLE.get(e.kind, "")).encode()
    path = ("[" + _render_path(e) + "]").encode("utf-8", "surrogateescape") if e.path else b""
    out.append(kind + path + b":\n")
    out.append(b"  " + paint("-->", _BLUE).encode() + b" " + filename + f":{line}:{col}\n".encode())
    first, last = max(1, line - 2), min(len(lines), line + 2)
    width = len(str(last))
    gutter = b" " * width
    out.append(b" " + gutter + b" |\n")
    for n in range(first, last + 1):
        text = lines[n - 1]
        out.append(b" " + paint(str(n).rjust(width), _BLUE).encode() + b" | " + text + b"\n")
        if n == line:
            start = col - 1
            carets = paint("^" * _underline_len(text[start:]), _BLUE).encode()
            out.append(b" " + gutter + b" | " + b" " * start + carets + b" "
                       + e.message.encode("utf-8", "surrogateescape") + b"\n")
    out.append(b" " + gutter + b" |\n")
    return b"".join(out)


def _render_path(e: Entry) -> str:
    from ..paths import render

    return render(e.path)


def render_pretty(report: Report, filename: str, source: bytes, colorize: bool) -> bytes:
    lines = source.split(b"\n")
    paint = rich_painter() if colorize else _plain
    name = filename.encode("utf-8", "surrogateescape")
    return b"\n".join(_entry(e, name, lines, paint) for e in report)
