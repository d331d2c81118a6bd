"""The examples of docs/beyond.md run: the reports and documents shown are
what the code produces, the doctests pass, the schema commands write the
schemas the editor examples name, and the example config validates."""

from __future__ import annotations

import doctest
import io
import json
import os
import re
import shlex
from pathlib import Path

import pytest
from conftest import run_cli
from ruamel.yaml import YAML

from butane_py.api import translate
from butane_py.editor_schema import main_schema
from butane_py.render.machine import render_json
from butane_py.render.pretty import render_pretty
from butane_py.suggest import butane_type_for, suggest_result

DOC = Path(__file__).resolve().parents[1] / "docs" / "beyond.md"


def _blocks(section: str, lang: str) -> list[str]:
    text = DOC.read_text()
    m = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"no section {section!r} in {DOC}"
    return [b.group(1) for b in re.finditer(rf"^```{lang}\n(.*?)^```$", m.group(1), re.M | re.S)]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").split("\n")]


def _doctests(section: str) -> None:
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for i, block in enumerate(_blocks(section, "pycon")):
        test = parser.get_doctest(block, {}, f"{section} #{i}", str(DOC), 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def _cli(line: str, cwd: Path) -> tuple[int, bytes] | None:
    """Run a `butane-py ...` line of the doc; None while the CLI does not know
    its flags yet (the lead wires --suggest and --diagnostics)."""
    argv = shlex.split(line.split(">")[0].split("||")[0])[1:]
    r = run_cli(argv, cwd=cwd)
    if r.rc == 2:
        return None
    return r.rc, r.err


def test_sections() -> None:
    text = DOC.read_text()
    for heading in ("Did you mean", "Editor schemas", "Machine-readable diagnostics"):
        assert f"\n## {heading}\n" in text


def test_did_you_mean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    (config,) = _blocks("Did you mean", "yaml")
    (shown,) = _blocks("Did you mean", "text")
    data = config.encode()
    result = translate(data)
    pretty = render_pretty(suggest_result(result), "node.bu", data, False).decode()
    assert _lines(pretty) == _lines(shown)
    (node,) = [line for line in _blocks("Did you mean", "sh")[0].splitlines() if line]
    (tmp_path / "node.bu").write_bytes(data)
    ran = _cli(node, tmp_path)
    if ran is None:
        pytest.skip("butane-py --suggest is not wired into the CLI yet")
    assert ran[0] == 0 and _lines(ran[1].decode()) == _lines(shown)


def test_did_you_mean_doctest() -> None:
    _doctests("Did you mean")


def test_editor_schemas(tmp_path: Path) -> None:
    for line in _blocks("Editor schemas", "sh")[0].splitlines():
        argv = shlex.split(line)
        assert argv[:2] == ["butane-py", "schema"]
        out, err = io.BytesIO(), io.BytesIO()
        old = os.getcwd()
        os.chdir(tmp_path)
        try:
            assert main_schema(argv[2:], out, err) == 0, err.getvalue()
        finally:
            os.chdir(old)
    assert (tmp_path / "fcos-1.6.0.json").is_file()
    (config,) = _blocks("Editor schemas", "yaml")
    modeline = config.splitlines()[0]
    m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", modeline)
    assert m, modeline
    schema = json.loads((tmp_path / m.group(1)).read_text())
    jsonschema = pytest.importorskip("jsonschema")
    data = YAML(typ="safe", pure=True).load(config)
    assert not list(jsonschema.Draft7Validator(schema).iter_errors(data))
    result = translate(config)
    assert result.ok and not result.report
    (settings,) = _blocks("Editor schemas", "json")
    for target in json.loads(settings)["yaml.schemas"]:
        assert (tmp_path / target).is_file()


def test_machine_readable(tmp_path: Path) -> None:
    (config, workflow) = _blocks("Machine-readable diagnostics", "yaml")
    (shown,) = _blocks("Machine-readable diagnostics", "json")
    result = translate(config)
    assert result.spec is not None
    produced = render_json(result.report, "node.bu", result.error, butane_type_for(result.spec))
    assert json.loads(produced) == json.loads(shown)
    steps = YAML(typ="safe", pure=True).load(workflow)
    assert "--diagnostics sarif" in steps[0]["run"]
    (tmp_path / "node.bu").write_text(config)
    line = _blocks("Machine-readable diagnostics", "sh")[0].splitlines()[0]
    ran = _cli(line, tmp_path)
    if ran is None:
        pytest.skip("butane-py --diagnostics is not wired into the CLI yet")
    assert ran[0] == 1


def test_machine_readable_doctest() -> None:
    _doctests("Machine-readable diagnostics")
