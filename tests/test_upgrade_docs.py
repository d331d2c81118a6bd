"""The examples in docs/upgrade-decompile.md run: file blocks are written to a
scratch directory and each `$ butane-py ...` line must print what follows it."""

from __future__ import annotations

import io
import re
import shlex
from pathlib import Path

import pytest

from butane_py.cli.main import run
from butane_py.decompile import main_decompile
from butane_py.upgrade import main_upgrade

DOC = Path(__file__).resolve().parents[1] / "docs" / "upgrade-decompile.md"
_BLOCK = re.compile(r"^```(\w+)(?: file=(\S+))?\n(.*?)^```$", re.M | re.S)
_EXIT = re.compile(r"\s+# exits (\d+)$")


def _commands(body: str) -> list[tuple[str, int, str]]:
    """(command, exit status, expected output) for each `$` line of a console block."""
    found: list[tuple[str, int, str]] = []
    for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
        line, _, expected = chunk.partition("\n")
        m = _EXIT.search(line)
        found.append((line[: m.start()] if m else line, int(m.group(1)) if m else 0, expected))
    return found


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.BytesIO(), io.BytesIO()
    assert argv[0] == "butane-py"
    if argv[1:2] == ["upgrade"]:
        rc = main_upgrade(argv[2:], out, err)
    elif argv[1:2] == ["decompile"]:
        rc = main_decompile(argv[2:], out, err)
    else:
        rc = run(argv[1:], io.BytesIO(), out, err)
    return rc, err.getvalue().decode() + out.getvalue().decode()


def test_doc_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = 0
    for m in _BLOCK.finditer(DOC.read_text()):
        lang, name, body = m.groups()
        if name:
            (tmp_path / name).write_text(body)
        elif lang == "console":
            for command, status, expected in _commands(body):
                rc, printed = _run(shlex.split(command))
                assert (rc, printed) == (status, expected), command
                ran += 1
    assert ran >= 6


def test_refused_in_place_upgrade_leaves_the_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = "variant: fcos\nversion: 1.3.0\nkernel_arguments:\n  should_exist: [a]\n"
    (tmp_path / "old.bu").write_text(text)
    assert _run(["butane-py", "upgrade", "old.bu", "--to", "1.4.0", "--in-place"])[0] == 1
    assert (tmp_path / "old.bu").read_text() == text
