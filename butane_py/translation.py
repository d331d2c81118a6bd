"""TranslationSet: which input (YAML) path each output (JSON) path came from.

Passes never deal in line numbers; they record here where each output came
from, and the report resolves positions at the very end.
"""

from __future__ import annotations

from .paths import json_to_yaml_fallback

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .paths import Path


class TranslationSet:
    __slots__ = ("map",)

    def __init__(self) -> None:
        # output path -> input path; later additions overwrite earlier ones
        self.map: dict[Path, Path] = {}

    def add(self, from_path: Path, to_path: Path) -> None:
        self.map[to_path] = from_path

    def add_tree(self, from_path: Path, to_prefix: Path, value: Any) -> None:
        """Map `to_prefix` and every path inside `value` to one input path
        (generated objects whose every part comes from one source)."""
        m = self.map
        stack: list[tuple[Path, Any]] = [(to_prefix, value)]
        while stack:
            p, v = stack.pop()
            m[p] = from_path
            if isinstance(v, dict):
                stack.extend((p + (k,), sub) for k, sub in v.items())
            elif isinstance(v, list):
                stack.extend((p + (i,), sub) for i, sub in enumerate(v))

    def add_prefixed(self, from_prefix: Path, to_prefix: Path, other: TranslationSet) -> None:
        """Copy `other`'s mappings, prefixing both sides."""
        for to, frm in other.map.items():
            self.map[to_prefix + to] = from_prefix + frm

    def merge(self, other: TranslationSet) -> None:
        self.map.update(other.map)

    def lookup(self, to_path: Path) -> Path | None:
        return self.map.get(to_path)

    def resolve(self, to_path: Path) -> Path:
        """The input path for an output path, with the reference's fallback."""
        found = self.map.get(to_path)
        if found is not None:
            return found
        return json_to_yaml_fallback(to_path)

    def __len__(self) -> int:
        return len(self.map)
