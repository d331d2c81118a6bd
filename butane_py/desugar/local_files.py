"""Files under the files directory (`-d/--files-dir`): path checks, reads and
tree walks with the reference's rules and Go's error texts.

Paths are joined and cleaned lexically (Go `filepath.Join`); the escape check
is lexical too, so a symlink inside the files directory is followed even when
it points outside (as the reference does).  Errors carry Go's `os` wording,
e.g. `open files/missing.txt: no such file or directory`.
"""

from __future__ import annotations

import errno as _errno
import os
import stat as _stat
from collections.abc import Iterator

from .. import messages as msg
from ..ignition import gopath


class LocalFileError(Exception):
    """A local file problem; `str(e)` is the reference's message."""


def _errno_text(code: int | None, fallback: str) -> str:
    """Go's `syscall.Errno` text: glibc's wording with a lower-case first letter."""
    if code is None:
        return fallback
    text = os.strerror(code)
    first = text.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # an acronym ("RFS specific error")
        return text
    return text[:1].lower() + text[1:]


def go_error(op: str, path: str, e: OSError | ValueError) -> LocalFileError:
    """Go's `*PathError` text: `<op> <path>: <errno text>`."""
    if isinstance(e, ValueError):  # an embedded NUL: Go's syscalls say EINVAL
        return LocalFileError(f"{op} {path}: {_errno_text(_errno.EINVAL, str(e))}")
    return LocalFileError(f"{op} {path}: {_errno_text(e.errno, e.strerror or str(e))}")


def _abs(p: str) -> str:
    """Go `filepath.Abs` (lexical: clean, relative to the working directory)."""
    if p.startswith("/"):
        return gopath.clean(p)
    return gopath.join(os.getcwd(), p)


def ensure_within(path: str, files_dir: str) -> None:
    """Raise unless `path` is the files dir or lies (lexically) below it."""
    base = _abs(files_dir)
    target = _abs(path)
    if target != base and not target.startswith(base + "/"):
        raise LocalFileError(msg.FILES_DIR_ESCAPE)


def local_path(local: str, files_dir: str | None) -> str:
    """The joined path of `local` inside the files dir, after the checks."""
    if not files_dir:
        raise LocalFileError(msg.NO_FILES_DIR)
    joined = gopath.join(files_dir, local)
    ensure_within(joined, files_dir)
    return joined


def read_file(path: str) -> bytes:
    """Go `os.ReadFile`: `open` errors and `read` errors are told apart."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except (OSError, ValueError) as e:
        raise go_error("open", path, e) from None
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError as e:
        raise go_error("read", path, e) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_local(local: str, files_dir: str | None) -> bytes:
    """The contents of a `local` file (resources, contents_local, SSH keys)."""
    return read_file(local_path(local, files_dir))


def stat(path: str) -> os.stat_result:
    """Go `os.Stat` (follows symlinks)."""
    try:
        return os.stat(path)
    except (OSError, ValueError) as e:
        raise go_error("stat", path, e) from None


def readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except (OSError, ValueError) as e:
        raise go_error("readlink", path, e) from None


# (path on disk, path relative to the root ("." for the root), lstat result or
# None, error text or None)
WalkItem = tuple[str, str, os.stat_result | None, str | None]


def walk(root: str) -> Iterator[WalkItem]:
    """Go `filepath.Walk` from `root`: `lstat` semantics (links are reported,
    never followed, the root included), names in byte order, a directory that
    cannot be listed is reported once (with its error) and not descended."""
    try:
        st = os.lstat(root)
    except (OSError, ValueError) as e:
        yield root, ".", None, str(go_error("lstat", root, e))
        return
    yield from _walk(root, "", st)


def _sort_key(entry: os.DirEntry[str]) -> bytes:
    return os.fsencode(entry.name)


def _walk(path: str, rel: str, st: os.stat_result) -> Iterator[WalkItem]:
    here = rel or "."
    if not _stat.S_ISDIR(st.st_mode):
        yield path, here, st, None
        return
    try:
        with os.scandir(path) as it:
            children = sorted(it, key=_sort_key)
    except OSError as e:
        yield path, here, st, str(go_error("open", path, e))
        return
    yield path, here, st, None
    # Go `filepath.Join(path, name)`; `path` is already clean
    prefix = "" if path == "." else path if path.endswith("/") else path + "/"
    rel_prefix = rel + "/" if rel else ""
    for entry in children:
        child = prefix + entry.name
        child_rel = rel_prefix + entry.name
        try:
            child_st = entry.stat(follow_symlinks=False)
        except OSError as e:
            yield child, child_rel, None, str(go_error("lstat", child, e))
            continue
        yield from _walk(child, child_rel, child_st)
