"""The reference's recorded cases (fixtures/cases, synced by `make fixtures`).

Cases we do not pass yet are listed in fixtures/expected-failures.txt; the list
is strict: a listed case that passes fails the run, so the list only shrinks."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from conftest import CORPORA, FIXTURES, case_args, run_cli

CASES = sorted(p.parent for p in CORPORA["conformance"].glob("*/*/input.bu"))
# the real-world corpus is not copied into the project; its tests run where ../shared is
REALWORLD = sorted(p.parent for p in CORPORA["realworld"].glob("*/input.bu"))
_spec = importlib.util.spec_from_file_location("check", FIXTURES / "check.py")
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)


def _expected_failures() -> set[str]:
    f = FIXTURES / "expected-failures.txt"
    if not f.exists():
        return set()
    return {line.split("#")[0].strip() for line in f.read_text().splitlines()} - {""}


XFAIL = _expected_failures()


def _id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def _verdict(name: str, passed: bool, detail: object) -> None:
    if name in XFAIL:
        if passed:
            pytest.fail(f"{name} passes now: remove it from fixtures/expected-failures.txt")
        pytest.xfail(f"known failure: {name}")
    assert passed, detail


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_raw_errors(case: Path) -> None:
    r = run_cli(["--raw-errors", *case_args(case), "input.bu"], cwd=case)
    res, detail, _ = check.score_case(str(case), r.rc, r.out, r.err, None)
    _verdict(_id(case), res["passed"], (detail, r.err.decode(errors="replace"), r.out[:300]))


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_pretty_report(case: Path) -> None:
    r = run_cli([*case_args(case), "input.bu"], cwd=case)
    expected_file = case / "expected.pretty"
    expected = expected_file.read_bytes() if expected_file.exists() else b""
    _verdict("pretty:" + _id(case), r.err == expected,
             (expected.decode(errors="replace"), r.err.decode(errors="replace")))


@pytest.mark.parametrize("case", REALWORLD, ids=lambda p: f"realworld/{p.name}")
def test_realworld(case: Path) -> None:
    r = run_cli(["--raw-errors", *case_args(case), "input.bu"], cwd=case)
    res, detail, _ = check.score_case(str(case), r.rc, r.out, r.err, None)
    _verdict(f"realworld/{case.name}", res["passed"], (detail, r.err.decode(errors="replace")))


def test_case_count() -> None:
    assert len(CASES) == 388, "fixtures out of sync: run `make fixtures`"
    assert os.path.isdir(FIXTURES / "cases")
