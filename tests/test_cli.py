"""The command line: flags, exit codes, files, and the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

MINIMAL = b"variant: fcos\nversion: 1.6.0\n"
INVALID = b"variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: relative\n"


def test_stdin_to_stdout() -> None:
    r = run_cli([], stdin=MINIMAL)
    assert (r.rc, r.out, r.err) == (0, b'{"ignition":{"version":"3.5.0"}}\n', b"")


def test_pretty() -> None:
    r = run_cli(["-p"], stdin=MINIMAL)
    assert r.out == b'{\n  "ignition": {\n    "version": "3.5.0"\n  }\n}\n'


def test_version_and_help() -> None:
    assert run_cli(["-V"]).out == b"Butane v0.29.0\n"
    r = run_cli(["--help"])
    assert r.rc == 0 and r.out.startswith(b"Usage: butane-py [options] [input-file]\n") and r.err == b""


def test_usage_errors_exit_2() -> None:
    r = run_cli(["--bogus"])
    assert r.rc == 2 and r.err.endswith(b"unknown flag: --bogus\n") and r.err.startswith(b"Usage:")
    r = run_cli(["a.bu", "b.bu"])
    assert r.rc == 2 and r.err.startswith(b"Usage:")


def test_missing_input(tmp_path: Path) -> None:
    r = run_cli(["nope.bu"], cwd=tmp_path)
    assert r.rc == 1 and r.err == b"failed to open nope.bu: open nope.bu: no such file or directory\n"


def test_directory_input(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    r = run_cli(["d"], cwd=tmp_path)
    assert r.rc == 1 and r.err == b"failed to read d: read d: is a directory\n"


def test_check_writes_nothing() -> None:
    r = run_cli(["--check"], stdin=MINIMAL)
    assert (r.rc, r.out) == (0, b"")


def test_strict_fails_on_warnings() -> None:
    r = run_cli(["--strict", "--raw-errors"], stdin=MINIMAL + b"bogus: 1\n")
    assert r.rc == 1
    assert r.err == (b"warning at $.bogus, line 3 col 1: unused key bogus\n"
                     b"Config produced warnings and --strict was specified\n")


def test_output_file_written_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "out.ign"
    out.write_bytes(b"previous")
    r = run_cli(["-o", str(out), "--raw-errors"], stdin=INVALID)
    assert r.rc == 1 and out.read_bytes() == b"previous"
    r = run_cli(["-o", str(out)], stdin=MINIMAL)
    assert r.rc == 0 and r.out == b"" and out.read_bytes() == b'{"ignition":{"version":"3.5.0"}}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["out.ign"]


def test_output_onto_input(tmp_path: Path) -> None:
    f = tmp_path / "x.bu"
    f.write_bytes(MINIMAL)
    r = run_cli(["x.bu", "-o", "x.bu"], cwd=tmp_path)
    assert r.rc == 0 and f.read_bytes() == b'{"ignition":{"version":"3.5.0"}}\n'


def test_output_into_missing_directory(tmp_path: Path) -> None:
    r = run_cli(["-o", "no/such/out.ign"], cwd=tmp_path, stdin=MINIMAL)
    assert r.rc == 1 and r.err.startswith(b"failed to open no/such/out.ign: ")


def test_fatal_error_message() -> None:
    r = run_cli([], stdin=b"version: 1.6.0\n")
    assert (r.rc, r.err) == (1, b"Error translating config: error parsing variant; must be specified\n")


def test_console_script_and_module() -> None:
    """The installed entry point and `python -m butane_py` run the same command."""
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([sys.executable, "-m", "butane_py", "--raw-errors"], input=INVALID,
                       capture_output=True, cwd=ROOT, env=env)
    assert p.returncode == 1
    assert p.stderr == (b"error at $.storage.files.0.path, line 5 col 13: path not absolute\n"
                        b"Error translating config: config generated was invalid\n")
    assert b"Traceback" not in p.stderr


def test_colour_always() -> None:
    r = run_cli(["--color=always"], stdin=MINIMAL + b"bogus: 1\n")
    assert b"\x1b[1;33mwarning\x1b[0m[$.bogus]:\n" in r.err
