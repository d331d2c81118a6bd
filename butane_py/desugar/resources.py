"""The resource sugar: `inline` and `local` contents become data URLs."""

from __future__ import annotations

from ..paths import Path
from .dataurl import escape, make_data_url

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ..translator import Translator


def _set_source(tr: Translator, out: dict[str, Any], data: bytes, key: str, fp: Path, tp: Path) -> None:
    url, compression = make_data_url(data, out.get("compression"), tr.options.auto_compress)
    out["source"] = url
    tr.ts.add(fp + (key,), tp + ("source",))
    if compression is not None:
        out["compression"] = compression
        tr.ts.add(fp + (key,), tp + ("compression",))


def resource_hook(tr: Translator, data: dict[str, Any], out: dict[str, Any], fp: Path, tp: Path) -> None:
    """v0_2+: `local` is read from the files dir, then `inline` (at most one is set)."""
    local = data.get("local")
    if local is not None:
        from .local_files import LocalFileError, PathCache, read_local

        paths = tr.options.paths
        if paths is None:
            paths = tr.options.paths = PathCache()
        try:
            contents = read_local(local, tr.options.files_dir, paths)
        except LocalFileError as e:
            tr.error(fp + ("local",), str(e))
            return
        _set_source(tr, out, contents, "local", fp, tp)
    inline = data.get("inline")
    if inline is not None:
        _set_source(tr, out, inline.encode("utf-8", "surrogateescape"), "inline", fp, tp)


def file_contents_hook(tr: Translator, data: dict[str, Any], out: dict[str, Any], fp: Path, tp: Path) -> None:
    """v0_1: `inline` is always percent-escaped, never compressed."""
    inline = data.get("inline")
    if inline is not None:
        out["source"] = "data:," + escape(inline.encode("utf-8", "surrogateescape"))
        tr.ts.add(fp + ("inline",), tp + ("source",))
