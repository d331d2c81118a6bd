from __future__ import annotations

import io
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# the shared folder beside the project (absent on a machine without it: those tests skip)
SHARED = ROOT.parent / "shared"
# the recorded corpora: the conformance cases from our own copy, the real-world ones from shared/
CORPORA = {"conformance": FIXTURES / "cases", "realworld": SHARED / "realworld" / "cases"}
sys.path.insert(0, str(ROOT))


@dataclass
class Run:
    rc: int
    out: bytes
    err: bytes


def run_cli(args: list[str], cwd: Path | None = None, stdin: bytes = b"") -> Run:
    """Run the butane-py command in-process (the same code path as the console script)."""
    from butane_py.cli.main import run

    out, err = io.BytesIO(), io.BytesIO()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        rc = run(args, io.BytesIO(stdin), out, err)
    finally:
        os.chdir(old)
    return Run(rc, out.getvalue(), err.getvalue())


def case_args(case: Path) -> list[str]:
    f = case / "args"
    return shlex.split(f.read_text().strip()) if f.exists() else []
