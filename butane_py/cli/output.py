"""Writing the output file: through a temporary file and a rename, so a failed
run never leaves a partial file and a reader never sees half of one.

A symlink is followed (the file it names is replaced, as the reference writes
through it); a target that exists but is not a regular file (`/dev/stdout`,
`/dev/null`, a FIFO) is written directly, never renamed over.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


class WriteFailed(OSError):
    """Writing failed after the output was opened (the reference's "Failed to
    write config to X: write X: ..." case, where open failures are "failed to
    open X: open X: ...")."""


def write_atomic(path: str, data: bytes | Iterable[bytes]) -> None:
    """Raises OSError (WriteFailed once the temporary file is open); the target
    is untouched unless the whole write succeeded.  `data` may come in chunks
    (a large output is then never held encoded as a whole)."""
    chunks = (data,) if isinstance(data, bytes) else data
    real = os.path.realpath(path) if os.path.islink(path) else path
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a directory", path)
        _write_direct(real, chunks)
        return
    if st is not None:
        mode = st.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o644 & ~umask
    directory = os.path.dirname(real) or "."
    fd, tmp = _create_temp(directory)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and not isinstance(e, WriteFailed):
            raise WriteFailed(e.errno, e.strerror, path) from e
        raise


def _create_temp(directory: str) -> tuple[int, str]:
    """tempfile.mkstemp's guarantees (a new file, mode 0600, never a followed link)
    without loading tempfile, which costs milliseconds of every start."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    for _ in range(100):
        name = os.path.join(directory, ".butane-py-" + os.urandom(6).hex())
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", directory)


def _write_direct(path: str, chunks: Iterable[bytes]) -> None:
    """A device, FIFO or socket: open and write, as Go's os.Create would."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                try:
                    n = os.write(fd, view)
                except OSError as e:
                    raise WriteFailed(e.errno, e.strerror, path) from e
                view = view[n:]
    finally:
        os.close(fd)
