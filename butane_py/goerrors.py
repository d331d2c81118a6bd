"""Go's wording of operating-system errors (`open x: no such file or directory`)."""

from __future__ import annotations

import errno
import os

_SPECIAL = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENOTDIR: "not a directory",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENAMETOOLONG: "file name too long",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on device",
}


def errno_text(err: OSError) -> str:
    if err.errno is None:
        return str(err)
    known = _SPECIAL.get(err.errno)
    if known is not None:
        return known
    text = os.strerror(err.errno)
    return text[:1].lower() + text[1:]


def path_error(op: str, path: str, err: OSError) -> str:
    """Go's *PathError text."""
    return f"{op} {path}: {errno_text(err)}"
