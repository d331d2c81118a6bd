""""Did you mean": the nearest valid key of the mapping, for that spec version."""

from __future__ import annotations

import pytest
from conftest import CORPORA

from butane_py.api import translate
from butane_py.registry import lookup
from butane_py.report import Entry, Report
from butane_py.suggest import (
    butane_type_for,
    distance,
    keys_at,
    nearest,
    suggest,
    suggest_result,
    with_suggestions,
)

FCOS16 = butane_type_for(lookup("fcos", "1.6.0"))


def _unused(*path: str | int) -> Entry:
    return Entry("warning", f"unused key {path[-1]}", path, 3, 5)


@pytest.mark.parametrize(("path", "expected"), [
    (("passwd", "users", 0, "ssh_authorised_keys"), "ssh_authorized_keys"),
    (("storage", "files", 2, "Path"), "path"),
    (("storage", "filesystems", 0, "mount-options"), "mount_options"),
    (("storage", "filesystems", 0, "Mount-Options"), "mount_options"),
    (("sotrage",), "storage"),
    (("storage", "files", 0, "mod"), "mode"),
    (("storage", "files", 0, "contents", "inlined"), "inline"),
    (("systemd", "units", 0, "dropins", 0, "content"), "contents"),
    (("ignition", "timeout"), "timeouts"),
    (("storage", "files ",), "files"),
    (("passwd", "users", 0, "ssh_keys"), None),
    (("x-extra",), None),
    (("<<",), None),
    (("storage", "files", 0, "permissions"), None),
])
def test_suggest(path: tuple[str | int, ...], expected: str | None) -> None:
    assert suggest(_unused(*path), FCOS16) == expected


def test_version_matters() -> None:
    # fcos 1.0 has no trees (added in 1.1): nothing near "tree" there
    fcos10 = butane_type_for(lookup("fcos", "1.0.0"))
    assert suggest(_unused("storage", "tree"), fcos10) is None
    assert suggest(_unused("storage", "tree"), FCOS16) == "trees"
    # openshift sections
    ocp = butane_type_for(lookup("openshift", "4.14.0"))
    assert suggest(_unused("openshift", "kernel_argument"), ocp) == "kernel_arguments"
    assert suggest(_unused("metadata", "label"), ocp) == "labels"


def test_only_unused_key_warnings() -> None:
    assert suggest(Entry("error", "unused key mod", ("storage", "files", 0, "mod")), FCOS16) is None
    assert suggest(Entry("warning", "unused key mod", ("storage", "files", 0, "mode")), FCOS16) is None
    assert suggest(Entry("warning", "something else", ("sotrage",)), FCOS16) is None
    # a path that leads nowhere (into a scalar or an unknown section)
    assert suggest(_unused("variant", "x"), FCOS16) is None
    assert suggest(_unused("nope", "modes"), FCOS16) is None


def test_rule() -> None:
    assert distance("sotrage", "storage") == 1
    assert distance("kitten", "sitting") == 3
    assert distance("", "abc") == 3
    assert nearest("luks", ["links"]) is None  # 2 edits in 4 letters is too far
    assert nearest("uid", ["gid", "uid"]) is None  # valid keys are not typos
    assert nearest("gidd", ["gid", "uid"]) == "gid"
    assert keys_at(FCOS16, ("storage", "files", 0, "user")) == ["id", "name"]
    assert keys_at(FCOS16, ("storage", "files", "x")) is None


def test_with_suggestions_copies() -> None:
    report = Report([_unused("sotrage"), _unused("x-extra"),
                     Entry("error", "unused key mod", ("storage", "files", 0, "mod"))])
    out = with_suggestions(report, FCOS16)
    assert [e.message for e in out] == ["unused key sotrage; did you mean storage?",
                                        "unused key x-extra", "unused key mod"]
    assert [e.message for e in report][0] == "unused key sotrage"  # the original is untouched
    assert [(e.path, e.line, e.col) for e in out] == [(e.path, e.line, e.col) for e in report]


def test_suggest_result() -> None:
    r = translate("variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: /a\n      Mode: 0644\n")
    assert [e.message for e in suggest_result(r)] == ["unused key Mode; did you mean mode?"]
    bad = translate("variant: fcos\nversion: 9.9.9\n")
    assert suggest_result(bad) is bad.report


def _cases_with_suggestions() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for case in sorted(p.parent for p in CORPORA["conformance"].glob("*/*/input.bu")):
        r = translate((case / "input.bu").read_bytes())
        if r.spec is None:
            continue
        sugg = [e.message for e in with_suggestions(r.report, butane_type_for(r.spec))
                if "did you mean" in e.message]
        if sugg:
            out[f"{case.parent.name}/{case.name}"] = sugg
    return out


def test_corpus_impact() -> None:
    """The conformance cases whose report a suggestion would change: why the
    CLI shows suggestions only on request (their expected.pretty is the
    reference's text)."""
    assert _cases_with_suggestions() == {
        "errors/unused-key-strict": ["unused key mod; did you mean mode?"],
        "errors/unused-key-top-level": ["unused key sotrage; did you mean storage?"],
        "errors/unused-keys-nested": ["unused key timeout; did you mean timeouts?",
                                      "unused key inlined; did you mean inline?",
                                      "unused key content; did you mean contents?"],
        "yaml/key-with-colon-unused": ["unused key files ; did you mean files?"],
    }

