"""Pieces every command-line front shares: reading a config file (with Go's
wording of the errors), the output bytes, one-line `file:line:col`
diagnostics, and the last line of defence against a bug."""

from __future__ import annotations

import gc
import os
import sys

from .. import messages as msg

TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import NoReturn

    from ..api import Result
    from ..report import Entry


class InputError(Exception):
    """A config file that cannot be read; str() is the reference's message."""


def read_config(path: str) -> bytes:
    """The bytes of `path`; raises InputError worded as the reference's CLI."""
    from ..goerrors import path_error

    try:
        with open(path, "rb") as f:
            try:
                return f.read()
            except OSError as e:
                raise InputError(f"failed to read {path}: {path_error('read', path, e)}") from e
    except IsADirectoryError as e:
        raise InputError(f"failed to read {path}: {path_error('read', path, e)}") from e
    except OSError as e:
        raise InputError(f"failed to open {path}: {path_error('open', path, e)}") from e


def rendered(result: Result) -> bytes:
    """What `butane-py` writes for a successful result (the output and a newline)."""
    return b"".join(rendered_chunks(result))


# a large output is encoded a piece at a time: its whole encoded copy (and the copy
# with the newline added) would raise the peak memory of a run by twice its size
_CHUNK = 1 << 20


def rendered_chunks(result: Result) -> Iterator[bytes]:
    """`rendered(result)` in encoded pieces of at most about 4 MiB."""
    out = result.output
    assert out is not None
    for start in range(0, len(out), _CHUNK):
        yield out[start:start + _CHUNK].encode("utf-8", "surrogateescape")
    yield b"\n"


# go-yaml puts the line (but no column) of a syntax or type error into its message
_YAML_LINE = r"\bline (\d+):"


def _where(filename: str, line: int, col: int) -> str:
    if line > 0 and col > 0:
        return f"{filename}:{line}:{col}"
    if line > 0:
        return f"{filename}:{line}"
    return filename


def diagnostic(filename: str, entry: Entry) -> str:
    """`file:line:col: kind at $.path: message` (the position when known)."""
    from ..paths import render

    at = f" at {render(entry.path)}" if entry.path else ""
    return f"{_where(filename, entry.line, entry.col)}: {entry.kind}{at}: {entry.message}"


def diagnostics(result: Result, filename: str) -> list[str]:
    """One line per report entry, then one for the failure (if the result failed)."""
    lines = [diagnostic(filename, e) for e in result.report]
    if result.error is not None:
        import re  # only for a failure: re costs milliseconds of every start

        m = re.search(_YAML_LINE, result.error)
        where = _where(filename, int(m.group(1)) if m else 0, 0)
        lines.append(f"{where}: error: {msg.TRANSLATE_FAILED.format(result.error)}")
    return [" ".join(part.strip() for part in line.splitlines()) for line in lines]


def run_main(body: Callable[[], int], prog: str, internal_code: int = 2) -> NoReturn:
    """Exit with `body()`'s status; a bug becomes one line on stderr, never a
    traceback (unless BUTANE_PY_TRACEBACK is set)."""
    # a translation builds no reference cycles worth collecting
    gc.disable()
    try:
        code = body()
        sys.stdout.flush()
    except BrokenPipeError:
        code = 1
    except Exception as e:  # noqa: BLE001 - the last line of defence against a bug
        if os.environ.get("BUTANE_PY_TRACEBACK"):
            raise
        from .. import __version__
        from ..version import REFERENCE_VERSION

        what = " ".join(str(e).split())
        sys.stderr.write(f"{prog}: internal error ({type(e).__name__}: {what}); this is a bug in "
                         f"butane-py {__version__} (Butane {REFERENCE_VERSION} compatible). Please "
                         "report it to the butane-py issue tracker with the input that caused it; "
                         "set BUTANE_PY_TRACEBACK=1 for details.\n")
        code = internal_code
    raise SystemExit(code)
