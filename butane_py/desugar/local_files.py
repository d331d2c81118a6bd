"""Files under the files directory (`-d/--files-dir`): path checks, reads and
tree walks with the reference's rules and Go's error texts.

Paths are joined and cleaned lexically (Go `filepath.Join`) and checked
lexically first, as the reference does.  Unlike the reference, nothing is ever
read outside the files directory: a path whose symlinks resolve outside it is
refused (docs/limits.md), and only regular files are read (opened without
blocking, so a FIFO or a device file never hangs or floods the run).  Errors
carry Go's `os` wording, e.g. `open files/missing.txt: no such file or
directory`, or say plainly what was refused.
"""

from __future__ import annotations

import errno as _errno
import os
import stat as _stat

from .. import messages as msg
from ..ignition import gopath

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

SYMLINK_ESCAPE = "local file path resolves outside the files directory through a symlink: {}"
NOT_REGULAR = "local file is not a regular file (a FIFO, socket or device is never read): {}"
TOO_LARGE = ("local file is larger than the limit of {} bytes (raise it with "
             "BUTANE_PY_MAX_LOCAL_FILE_BYTES): {}")
TOO_MANY_ENTRIES = ("tree has more than {} entries (raise the limit with "
                    "BUTANE_PY_MAX_TREE_ENTRIES): {}")


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


def _abs(p: str, cwd: str | None = None) -> str:
    """Go `filepath.Abs` (lexical: clean, relative to the working directory, which
    the caller may have read already)."""
    if p.startswith("/"):
        return gopath.clean(p)
    return gopath.join(cwd if cwd is not None else os.getcwd(), p)


def _inside(target: str, base: str) -> bool:
    return target == base or target.startswith(base.rstrip("/") + "/")


class PathCache:
    """What many `local` paths of one translation share: the absolute files dir,
    and the resolved form of each directory (a config with thousands of local
    files resolved every component of every path, twice)."""

    __slots__ = ("cwd", "real")

    def __init__(self) -> None:
        self.cwd = os.getcwd()
        self.real: dict[str, str] = {}

    def abs(self, p: str) -> str:
        """`_abs(p)` with the working directory read once."""
        return _abs(p, self.cwd)

    def real_dir(self, p: str) -> str:
        found = self.real.get(p)
        if found is None:
            found = self.real[p] = os.path.realpath(p)
        return found

    def realpath(self, p: str) -> str:
        """os.path.realpath(p): the parent resolved once, then the last name
        followed only if it is a link."""
        parent, name = os.path.split(p)
        if not parent or name in ("", ".", ".."):
            return os.path.realpath(p)
        joined = os.path.join(self.real_dir(parent), name)
        return os.path.realpath(joined) if os.path.islink(joined) else joined


def ensure_within(path: str, files_dir: str, cache: PathCache | None = None) -> None:
    """Raise unless `path` is the files dir or lies below it, both lexically
    (the reference's check and message) and once every symlink is resolved."""
    absolute = cache.abs if cache is not None else _abs
    if not _inside(absolute(path), absolute(files_dir)):
        raise LocalFileError(msg.FILES_DIR_ESCAPE)
    ensure_resolved_within(path, files_dir, cache)


def ensure_resolved_within(path: str, files_dir: str, cache: PathCache | None = None) -> None:
    """Raise unless `path`, with its symlinks resolved, lies inside the files
    dir (also resolved).  A path that does not exist resolves to itself."""
    try:
        if cache is None:
            base = os.path.realpath(files_dir)
            target = os.path.realpath(path)
        else:
            base = cache.real_dir(files_dir)
            target = cache.realpath(path)
    except (OSError, ValueError):
        return  # the open or stat that follows reports it in Go's words
    if not _inside(target, base):
        raise LocalFileError(SYMLINK_ESCAPE.format(path))


def local_path(local: str, files_dir: str | None, cache: PathCache | None = None) -> str:
    """The joined path of `local` inside the files dir, after the checks."""
    if not files_dir:
        raise LocalFileError(msg.NO_FILES_DIR)
    joined = gopath.join(files_dir, local)
    ensure_within(joined, files_dir, cache)
    return joined


def read_file(path: str, follow: bool = True, limit: int | None = None) -> bytes:
    """Go `os.ReadFile` for a regular file: `open` and `read` errors are told
    apart.  Never blocks on a FIFO; refuses anything but a regular file (a
    directory gives Go's `read ...: is a directory`) and files over the limit.
    With follow=False a symlink as the last component is not followed; `limit`
    (bytes) defaults to BUTANE_PY_MAX_LOCAL_FILE_BYTES."""

    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY
    if not follow:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError) as e:
        raise go_error("open", path, e) from None
    try:
        st = os.fstat(fd)
        if _stat.S_ISDIR(st.st_mode):
            raise go_error("read", path, IsADirectoryError(_errno.EISDIR, "is a directory"))
        if not _stat.S_ISREG(st.st_mode):
            raise LocalFileError(NOT_REGULAR.format(path))
        if limit is None:
            from ..limits import get

            limit = get("max_local_file_bytes")
        if st.st_size > limit:
            raise LocalFileError(TOO_LARGE.format(limit, path))
        chunks = []
        total = 0
        # ask for one byte more than the file has: a regular file reads short only at
        # its end, so one read usually settles it (a fixed large buffer costs more
        # than the read for the small files configs embed)
        want = st.st_size + 1
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # it grew while we read
                raise LocalFileError(TOO_LARGE.format(limit, path))
            chunks.append(chunk)
            if len(chunk) < want:
                break
            want = 1 << 16
    except OSError as e:
        raise go_error("read", path, e) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_local(local: str, files_dir: str | None, cache: PathCache | None = None) -> bytes:
    """The contents of a `local` file (resources, contents_local, SSH keys)."""
    return read_file(local_path(local, files_dir, cache))


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
    cannot be listed is reported once (with its error) and not descended.

    Iterative (any depth), and stops with an error item after
    BUTANE_PY_MAX_TREE_ENTRIES entries."""
    from ..limits import get

    try:
        st = os.lstat(root)
    except (OSError, ValueError) as e:
        yield root, ".", None, str(go_error("lstat", root, e))
        return
    limit = get("max_tree_entries")
    seen = 0
    # a stack of pending entries in reverse order: (path, rel, lstat or None, error)
    stack: list[WalkItem] = [(root, "", st, None)]
    while stack:
        path, rel, item_st, err = stack.pop()
        here = rel or "."
        if err is not None or item_st is None:
            yield path, here, None, err
            continue
        seen += 1
        if seen > limit:
            yield root, ".", None, TOO_MANY_ENTRIES.format(limit, root)
            return
        if not _stat.S_ISDIR(item_st.st_mode):
            yield path, here, item_st, None
            continue
        try:
            with os.scandir(path) as it:
                children = sorted(it, key=_sort_key)
        except OSError as e:
            yield path, here, item_st, str(go_error("open", path, e))
            continue
        yield path, here, item_st, None
        # Go `filepath.Join(path, name)`; `path` is already clean
        prefix = "" if path == "." else path if path.endswith("/") else path + "/"
        rel_prefix = rel + "/" if rel else ""
        pending: list[WalkItem] = []
        for entry in children:
            child = prefix + entry.name
            try:
                child_st = entry.stat(follow_symlinks=False)
            except OSError as e:
                pending.append((child, rel_prefix + entry.name, None,
                                str(go_error("lstat", child, e))))
                continue
            pending.append((child, rel_prefix + entry.name, child_st, None))
        stack.extend(reversed(pending))


def _sort_key(entry: os.DirEntry[str]) -> bytes:
    return os.fsencode(entry.name)
