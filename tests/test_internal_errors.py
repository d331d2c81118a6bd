"""A bug (an exception no input should cause) is one line of apology with the
version and how to report it, exit status 2; BUTANE_PY_TRACEBACK=1 shows the
traceback. Problems in the input are diagnostics, never exceptions (see
test_fuzz.py for the generated inputs)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from butane_py.version import REFERENCE_VERSION

_BOOM = """
import sys
import butane_py.api as api
def boom(*args, **kwargs):
    raise {exc}
api.translate = boom
from butane_py.cli.{module} import {func}
sys.argv = ["{prog}"]
{func}()
"""

def _run(exc: str, module: str, func: str, prog: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = _BOOM.format(exc=exc, module=module, func=func, prog=prog)
    return subprocess.run([sys.executable, "-c", code], input="variant: fcos\nversion: 1.6.0\n",
                          capture_output=True, text=True, cwd=ROOT,
                          env={k: v for k, v in {**os.environ, **env}.items()
                               if k != "BUTANE_PY_TRACEBACK" or k in env})


@pytest.mark.parametrize("exc", ["RuntimeError('kaboom\\nsecond line')", "RecursionError()",
                                 "MemoryError()", "KeyError('x')"])
def test_internal_error_is_one_line_and_exit_2(exc: str) -> None:
    p = _run(exc, "main", "main", "butane-py")
    assert p.returncode == 2, p.stderr
    assert p.stdout == ""
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    line = lines[0]
    assert line.startswith("butane-py: internal error (")
    assert "Traceback" not in p.stderr
    assert REFERENCE_VERSION in line and "report" in line and "BUTANE_PY_TRACEBACK=1" in line


def test_traceback_behind_the_environment_variable() -> None:
    p = _run("RuntimeError('kaboom')", "main", "main", "butane-py", BUTANE_PY_TRACEBACK="1")
    assert "Traceback (most recent call last)" in p.stderr
    assert "RuntimeError: kaboom" in p.stderr
    assert p.returncode != 0


def test_input_problems_are_diagnostics_not_exceptions() -> None:
    """A sample of the ways input goes wrong: each exits 1 with a message."""
    cases = [b"\xff\xfe\x00", b"variant: fcos\nversion: 1.6.0\n\x00", b"[" * 20000,
             b"variant: fcos\nversion: 1.6.0\nstorage: {files: [{path: /a, mode: 1e999}]}",
             b"variant: fcos\nversion: 1.6.0\nignition: {<<: 5}", b"a: *b",
             b"variant: fcos\nversion: 99999999999999999999.0.0", b"variant: [x]",
             b"variant: fcos\nversion: 1.6.0\nstorage: {files: [{path: /a, contents: "
             b"{local: x}}]}", b"variant: fcos\nversion: 1.6.0\npasswd: {users: [{name: !!binary x}]}"]
    for data in cases:
        r = run_cli([], stdin=data)
        assert r.rc == 1, (data, r.err)
        assert r.err.strip() and b"Traceback" not in r.err and b"internal error" not in r.err
