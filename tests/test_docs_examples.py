"""The examples in README.md run: the Python generator is executed,
the pre-commit snippet names real hooks, and the HCL's query goes through
`butane-py-terraform` as Terraform would send it."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from test_precommit import console_script

from butane_py.api import translate_file

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "README.md"


def _block(lang: str, contains: str = "") -> str:
    """The first ```lang block of the document that contains `contains`, after
    as many blank lines as precede it (so line numbers in errors are the doc's)."""
    text = DOC.read_text()
    for m in re.finditer(rf"^```{lang}\n(.*?)^```$", text, re.M | re.S):
        if contains in m.group(1):
            return "\n" * text.count("\n", 0, m.start(1)) + m.group(1)
    raise AssertionError(f"no ```{lang} block with {contains!r} in {DOC}")


def test_python_generator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code = compile(_block("python"), str(DOC), "exec")
    exec(code, {"__name__": "__docs__"})
    written = sorted(p.name for p in (tmp_path / "ignition").iterdir())
    assert written == ["db1.ign", "web1.ign", "web2.ign"]
    web2 = json.loads((tmp_path / "ignition" / "web2.ign").read_text())
    assert web2["storage"]["files"][0]["contents"]["source"] == "data:,web2"
    assert web2["storage"]["files"][1]["mode"] == 0o600
    out = capsys.readouterr().out
    assert "web1 -> data:,web1" in out
    assert "warning at $.pasword: unused key pasword" in out


def test_pre_commit_snippet_names_the_hooks() -> None:
    yaml = YAML(typ="safe")
    config = yaml.load(_block("yaml", "repos:"))
    hooks = {h["id"] for h in yaml.load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    used = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert used and used <= hooks


def _hcl_data_source() -> tuple[list[str], dict[str, str]]:
    """`program` and `query` of the HCL example (string literals only)."""
    hcl = _block("hcl", 'data "external"')
    program = re.search(r"^\s*program\s*=\s*\[(.*?)\]\s*$", hcl, re.M)
    query = re.search(r"^\s*query\s*=\s*\{\n(.*?)^\s*\}\s*$", hcl, re.M | re.S)
    assert program and query, hcl
    values: dict[str, str] = {}
    for line in query.group(1).splitlines():
        if line.strip():
            m = re.fullmatch(r'\s*(\w+)\s*=\s*"([^"]*)"\s*', line)
            assert m, f"not a plain string in the HCL query: {line!r}"
            values[m.group(1)] = m.group(2)
    return json.loads(f"[{program.group(1)}]"), values


def test_hcl_query_through_the_program() -> None:
    program, query = _hcl_data_source()
    # Terraform would run it from the module's directory; here path.module is examples/
    query = {k: v.replace("${path.module}", str(ROOT / "examples")) for k, v in query.items()}
    assert program == ["butane-py-terraform"]
    cmd = console_script("butane-py-terraform", "butane_py.cli.terraform:main")
    proc = subprocess.run(cmd, input=json.dumps(query).encode(),
                          capture_output=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert all(isinstance(v, str) for v in result.values())
    expected = translate_file(query["path"], files_dir=str(ROOT / "examples"), strict=True)
    assert result["rendered"] == expected.output and result["warnings"] == ""
