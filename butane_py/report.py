"""Diagnostics: severity, message, path and (once resolved) line and column."""

from __future__ import annotations

from .paths import Path, render

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

ERROR = "error"
WARNING = "warning"
INFO = "info"


class Entry:
    """One diagnostic. `line`/`col` are 1-based; 0 means no marker.

    `tag` says what the path names: "yaml" paths name input keys; "json" paths
    name output keys and are translated back to input paths before the report
    is shown.
    """

    __slots__ = ("kind", "message", "path", "line", "col", "tag")

    def __init__(self, kind: str, message: str, path: Path = (), line: int = 0, col: int = 0,
                 tag: str = "yaml") -> None:
        self.kind = kind
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.tag = tag

    def __repr__(self) -> str:
        return (f"Entry({self.kind!r}, {self.message!r}, {self.path!r}, line={self.line}, "
                f"col={self.col})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return (self.kind, self.message, self.path, self.line, self.col, self.tag) == (
            other.kind, other.message, other.path, other.line, other.col, other.tag)

    __hash__ = None  # type: ignore[assignment]

    @property
    def has_marker(self) -> bool:
        return self.line > 0

    def raw(self) -> str:
        """The reference's `--raw-errors` line."""
        where = []
        if self.path:
            where.append(render(self.path))
        if self.has_marker:
            where.append(f"line {self.line} col {self.col}")
        if where:
            return f"{self.kind} at {', '.join(where)}: {self.message}"
        return f"{self.kind}: {self.message}"


class Report:
    """The diagnostics of one translation, in the reference's order."""

    __slots__ = ("entries",)

    def __init__(self, entries: list[Entry] | None = None) -> None:
        self.entries: list[Entry] = entries if entries is not None else []

    def __repr__(self) -> str:
        return f"Report({self.entries!r})"

    def error(self, path: Path, message: str, tag: str = "yaml") -> None:
        self.entries.append(Entry(ERROR, message, path, tag=tag))

    def warning(self, path: Path, message: str, tag: str = "yaml") -> None:
        self.entries.append(Entry(WARNING, message, path, tag=tag))

    def add(self, kind: str, path: Path, message: str, tag: str = "yaml") -> None:
        self.entries.append(Entry(kind, message, path, tag=tag))

    def extend(self, entries: Iterable[Entry]) -> None:
        self.entries.extend(entries)

    def is_fatal(self) -> bool:
        return any(e.kind == ERROR for e in self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def raw(self) -> str:
        return "".join(e.raw() + "\n" for e in self.entries)
