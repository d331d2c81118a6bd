"""The examples of docs/compose.md run: every ```yaml file=NAME block is written
(in a fresh directory per section, earlier files first), every ```sh command
runs, and the ```json stdout / ```text stderr block after it must match.

The commands run through `butane-py` once it has the compose flags; until
then through `_compose_cli`, which wires them onto the API as proposed for
cli/main.py."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

DOC = ROOT / "docs" / "compose.md"
_BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
_SECTION = re.compile(r"^## (.+)$", re.M)


class _Command:
    def __init__(self, section: str, line: int, env: dict[str, str], argv: list[str],
                 files: dict[str, str]) -> None:
        self.section, self.line, self.env, self.argv = section, line, env, argv
        self.files = dict(files)
        self.stdout: str | None = None
        self.stderr: str | None = None

    def __repr__(self) -> str:
        return f"{self.section}:{self.line}"


def _commands() -> Iterator[_Command]:
    text = DOC.read_text()
    sections = [(m.start(), m.group(1)) for m in _SECTION.finditer(text)]
    files: dict[str, dict[str, str]] = {}
    last: _Command | None = None
    for m in _BLOCK.finditer(text):
        section = [name for start, name in sections if start < m.start()][-1]
        lang, info, body = m.group(1), m.group(2).strip(), m.group(3)
        line = text.count("\n", 0, m.start()) + 1
        if lang == "yaml" and info.startswith("file="):
            files.setdefault(section, {})[info[5:]] = body
        elif lang == "sh":
            if last is not None:
                yield last
            words = shlex.split(body.strip().removeprefix("$ "))
            env = {}
            while "=" in words[0]:
                key, _, value = words.pop(0).partition("=")
                env[key] = value
            assert words.pop(0) == "butane-py"
            last = _Command(section, line, env, words, files.get(section, {}))
        elif last is not None and info == "stdout":
            last.stdout = body
        elif last is not None and info == "stderr":
            last.stderr = body
    if last is not None:
        yield last


COMMANDS = list(_commands())


def test_the_document_has_examples() -> None:
    sections = {c.section for c in COMMANDS}
    assert {"Fragments", "Strict templates"} <= sections
    assert len(COMMANDS) >= 6


@pytest.mark.parametrize("command", COMMANDS, ids=repr)
def test_example(command: _Command, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, body in command.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    for key, value in command.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    run = run_cli(command.argv)
    if command.stdout is not None:
        assert run.rc == 0, run.err.decode()
        assert json.loads(run.out) == json.loads(command.stdout)
        assert run.out.decode().strip() == command.stdout.strip()
    if command.stderr is not None:
        assert run.err.decode() == command.stderr
    else:
        assert run.err == b""
