"""The Terraform external data source protocol of `butane-py-terraform`."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from test_precommit import console_script

from butane_py.cli.terraform import run

CONFIG = "variant: fcos\nversion: 1.6.0\npasswd:\n  users:\n    - name: core\n"
WARNS = "variant: fcos\nversion: 1.6.0\nfoo: 1\n"


def _command() -> list[str]:
    return console_script("butane-py-terraform", "butane_py.cli.terraform:main")


def call(stdin: bytes) -> tuple[int, str, str]:
    """The real program, as Terraform runs it."""
    proc = subprocess.run(_command(), input=stdin, capture_output=True)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def call_in_process(query: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(io.BytesIO(json.dumps(query).encode()), out, err)
    return code, out.getvalue(), err.getvalue()


def assert_result(code: int, out: str, err: str) -> dict[str, str]:
    assert code == 0, err
    result = json.loads(out)
    assert isinstance(result, dict) and set(result) == {"rendered", "warnings"}
    assert all(isinstance(v, str) for v in result.values())
    return result


def assert_failed(code: int, out: str, err: str) -> str:
    assert code == 1
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1 and err.strip(), err
    return err


def test_valid_query_through_the_real_program() -> None:
    result = assert_result(*call(json.dumps({"content": CONFIG}).encode()))
    assert json.loads(result["rendered"])["passwd"]["users"] == [{"name": "core"}]
    assert result["warnings"] == ""


def test_path_files_dir_and_flags(tmp_path: Path) -> None:
    (tmp_path / "motd").write_text("hi\n")
    bu = tmp_path / "node.bu"
    bu.write_text("variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: /etc/motd\n"
                  "      contents:\n        local: motd\n")
    result = assert_result(*call_in_process({"path": str(bu), "pretty": "true"}))
    assert result["rendered"].startswith("{\n")
    files = json.loads(result["rendered"])["storage"]["files"]
    assert files[0]["contents"]["source"] == "data:,hi%0A"
    # an explicit files_dir replaces the default (the file's directory)
    err = assert_failed(*call_in_process({"path": str(bu), "files_dir": str(tmp_path / "no")}))
    assert f"{bu}:7:16: error at $.storage.files.0.contents.local" in err


def test_warnings_and_strict() -> None:
    result = assert_result(*call_in_process({"content": WARNS, "strict": "false"}))
    assert result["warnings"] == "<content>:3:1: warning at $.foo: unused key foo\n"
    err = assert_failed(*call_in_process({"content": WARNS, "strict": "true"}))
    assert "<content>:3:1: warning at $.foo: unused key foo" in err
    assert "--strict" in err


def test_empty_and_null_values_are_absent() -> None:
    assert_result(*call_in_process({"content": CONFIG, "path": "", "files_dir": None,
                                    "pretty": ""}))


@pytest.mark.parametrize("stdin, reason", [
    (json.dumps({"content": "variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: x\n"}),
     "<content>:5:13: error at $.storage.files.0.path: path not absolute"),
    (json.dumps({"content": "variant: fcos\nversion: 1.6.0\nx: [\n"}), "<content>:3: error:"),
    (json.dumps({"content": CONFIG, "extra": "1"}), "unknown query key 'extra'"),
    (json.dumps({"content": CONFIG, "pretty": True}), "must be a string"),
    (json.dumps({"content": CONFIG, "pretty": "yes"}), 'must be "true" or "false"'),
    ('{"content": "\\ud800"}', "yaml: invalid Unicode character"),  # a lone surrogate
    ('{"content": ', "not valid JSON"),
    ("", "not valid JSON"),
    ("[]", "must be a JSON object"),
    ("{}", 'exactly one of "content" and "path"'),
    (json.dumps({"content": CONFIG, "path": "x.bu"}), 'exactly one of "content" and "path"'),
    (json.dumps({"path": "/nonexistent/x.bu"}), "failed to open /nonexistent/x.bu"),
])
def test_failures_through_the_real_program(stdin: str, reason: str) -> None:
    assert reason in assert_failed(*call(stdin.encode()))


def test_invalid_utf8() -> None:
    assert "not valid JSON" in assert_failed(*call(b'{"content": "\xff"}'))


def test_arguments_are_refused() -> None:
    proc = subprocess.run([*_command(), "--help"], input=b"{}", capture_output=True)
    assert proc.returncode == 1 and proc.stdout == b"" and proc.stderr.count(b"\n") == 1
