"""Writing the output file: through a temporary file and a rename, so a failed
run never leaves a partial file and a reader never sees half of one.

A symlink is followed (the file it names is replaced, as the reference writes
through it); a target that exists but is not a regular file (`/dev/stdout`,
`/dev/null`, a FIFO) is written directly, never renamed over.
"""

from __future__ import annotations

import os
import stat
import tempfile


class WriteFailed(OSError):
    """Writing failed after the output was opened (the reference's "Failed to
    write config to X: write X: ..." case, where open failures are "failed to
    open X: open X: ...")."""


def write_atomic(path: str, data: bytes) -> None:
    """Raises OSError (WriteFailed once the temporary file is open); the target
    is untouched unless the whole write succeeded."""
    real = os.path.realpath(path) if os.path.islink(path) else path
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a directory", path)
        _write_direct(real, data)
        return
    if st is not None:
        mode = st.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o644 & ~umask
    directory = os.path.dirname(real) or "."
    fd, tmp = tempfile.mkstemp(prefix=".butane-py-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
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


def _write_direct(path: str, data: bytes) -> None:
    """A device, FIFO or socket: open and write, as Go's os.Create would."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            try:
                n = os.write(fd, view)
            except OSError as e:
                raise WriteFailed(e.errno, e.strerror, path) from e
            view = view[n:]
    finally:
        os.close(fd)
