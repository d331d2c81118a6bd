"""The README's command examples run: every ```yaml file=NAME block is written to a
scratch directory, and every `$ butane-py ...` line of a ```console block runs there
(in-process, colour off) and must print exactly the lines that follow it (standard
error, then standard output) and exit 0."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

README = ROOT / "README.md"
_FENCE = re.compile(r"^```(\w+)( file=(\S+))?\n(.*?)^```$", re.M | re.S)


def _blocks() -> tuple[dict[str, str], list[tuple[str, str]]]:
    files: dict[str, str] = {}
    commands: list[tuple[str, str]] = []
    for m in _FENCE.finditer(README.read_text()):
        lang, name, body = m.group(1), m.group(3), m.group(4)
        if name:
            files[name] = body
        elif lang == "console":
            for chunk in re.split(r"^(?=\$ )", body, flags=re.M):
                if chunk.startswith("$ "):
                    command, _, output = chunk.partition("\n")
                    commands.append((command[2:], output))
    return files, commands


FILES, COMMANDS = _blocks()


def test_the_readme_has_examples() -> None:
    assert len(COMMANDS) >= 5 and "node.bu" in FILES


@pytest.mark.parametrize(("command", "output"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_command(command: str, output: str, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for name, body in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    argv = shlex.split(command)
    assert argv[0] == "butane-py"
    r = run_cli(argv[1:], cwd=tmp_path)
    assert r.rc == 0, r.err.decode()
    assert (r.err + r.out).decode() == output
