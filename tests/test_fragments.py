"""Fragments: merge-local and include composition with Ignition's merge rules,
diagnostics per file, cycles, the files-dir boundary, version checks, and the
default mode's warning about a Butane file embedded as an Ignition config."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from butane_py.api import TranslateOptions, translate
from butane_py.fragments import ComposedResult, check_merge_locals, compose_file

HEAD = "variant: fcos\nversion: 1.6.0\n"


def _bu(body: str) -> str:
    return HEAD + textwrap.dedent(body)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main.bu -> files/base.bu -> files/deep.bu, plus files/users.bu to include."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, {
        "main.bu": _bu("""\
            ignition:
              config:
                merge:
                  - local: base.bu
            passwd:
              users:
                - name: core
                  ssh_authorized_keys: [ssh-ed25519 MAIN]
            storage:
              files:
                - path: /etc/motd
                  contents: {inline: main}
                - path: /etc/main-only
                  contents: {inline: m}
            """),
        "files/base.bu": _bu("""\
            ignition:
              config:
                merge:
                  - local: deep.bu
            storage:
              files:
                - path: /etc/motd
                  mode: 0600
                  contents: {inline: base}
            systemd:
              units:
                - name: app.service
                  enabled: true
                  contents: "[Install]\\nWantedBy=multi-user.target\\n"
            """),
        "files/deep.bu": _bu("""\
            passwd:
              users:
                - name: core
                  groups: [wheel]
            systemd:
              units:
                - name: app.service
                  enabled: false
            storage:
              files:
                - path: /etc/deep
                  contents: {inline: deep}
            """),
        "files/users.bu": _bu("""\
            passwd:
              users:
                - name: core
                  groups: [docker]
                - name: ops
            storage:
              files:
                - path: /etc/motd
                  contents: {inline: users}
            """),
    })
    return tmp_path


def _compose(path: str, includes: list[str] | None = None, fragments: bool = True,
             **opts: Any) -> ComposedResult:
    return compose_file(path, TranslateOptions(files_dir="files", **opts), includes or [],
                        fragments)


def _files(config: dict[str, Any]) -> dict[str, str]:
    return {f["path"]: f["contents"]["source"] for f in config["storage"]["files"]}


def test_two_level_merge_follows_ignitions_order(tree: Path) -> None:
    r = _compose("main.bu")
    assert r.ok, r.render_report(raw=True)
    assert r.config is not None
    # merged configs win over the config naming them, like Ignition at boot
    assert _files(r.config) == {"/etc/motd": "data:,base", "/etc/main-only": "data:,m",
                                "/etc/deep": "data:,deep"}
    assert r.config["storage"]["files"][0]["mode"] == 0o600
    [unit] = r.config["systemd"]["units"]
    assert (unit["name"], unit["enabled"]) == ("app.service", False)
    [user] = r.config["passwd"]["users"]
    assert user == {"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 MAIN"], "groups": ["wheel"]}
    # the merge entry is gone: one config
    assert "config" not in r.config["ignition"]
    assert r.output is not None and '"merge"' not in r.output
    assert [s.filename for s in r.sections] == ["main.bu", "files/base.bu", "files/deep.bu"]


def test_includes_are_parents_and_later_wins(tree: Path) -> None:
    (tree / "files" / "motd.bu").write_text(
        HEAD + "storage:\n  files:\n    - path: /etc/motd\n      contents: {inline: second}\n"
        "    - path: /etc/second\n      contents: {inline: s}\n")
    (tree / "plain.bu").write_text(HEAD + "passwd:\n  users:\n    - name: ops\n"
                                   "      groups: [adm]\n")
    r = _compose("plain.bu", ["users.bu", "motd.bu"])
    assert r.ok and r.config is not None
    assert _files(r.config) == {"/etc/motd": "data:,second", "/etc/second": "data:,s"}
    users = {u["name"]: u for u in r.config["passwd"]["users"]}
    assert users["core"]["groups"] == ["docker"]
    assert users["ops"]["groups"] == ["adm"]  # the main config wins over its includes
    r = _compose("main.bu", ["users.bu"])
    assert r.config is not None and _files(r.config)["/etc/motd"] == "data:,base"


def test_without_fragments_output_is_the_plain_translation(tree: Path) -> None:
    (tree / "plain.bu").write_text(HEAD + "storage:\n  files:\n    - path: /a\n")
    plain = translate((tree / "plain.bu").read_bytes(), files_dir="files", pretty=True)
    r = _compose("plain.bu", pretty=True)
    assert r.output == plain.output and r.config == plain.config and not r.report


def test_pretty_output(tree: Path) -> None:
    r = _compose("main.bu", pretty=True)
    assert r.output is not None and r.output.startswith('{\n  "ignition": {\n')


def test_diagnostics_point_into_the_fragment(tree: Path) -> None:
    deep = tree / "files" / "deep.bu"
    deep.write_text(deep.read_text() + "      mode: 0644\n      bogus: 1\n")
    r = _compose("main.bu")
    assert r.ok
    assert r.sections[0].report.entries == [] and r.sections[1].report.entries == []
    entries = r.sections[2].report.entries
    assert [(e.kind, e.line, e.col) for e in entries] == [("warning", 16, 7)]
    raw = r.render_report(raw=True).decode()
    assert "files/deep.bu: warning at $.storage.files.0.bogus, line 16 col 7: unused key bogus" in raw
    assert "--> files/deep.bu:16:7" in r.render_report(raw=False).decode()
    assert "files/deep.bu:16:7: warning at $.storage.files.0.bogus: unused key bogus" in (
        r.diagnostics())
    strict = _compose("main.bu", strict=True)
    assert strict.output is None and strict.error == (
        "Config produced warnings and --strict was specified")


def test_error_in_a_fragment_fails_with_its_name(tree: Path) -> None:
    (tree / "files" / "deep.bu").write_text(HEAD + "storage:\n  files:\n    - path: relative\n")
    r = _compose("main.bu")
    assert r.error == "files/deep.bu: config generated was invalid"
    [entry] = r.sections[2].report
    assert (entry.kind, entry.line, entry.col) == ("error", 5, 13)


def test_cycle_is_an_error(tree: Path) -> None:
    (tree / "files" / "deep.bu").write_text(
        HEAD + "ignition:\n  config:\n    merge:\n      - local: base.bu\n")
    r = _compose("main.bu")
    assert r.error == "source config is invalid"
    [entry] = r.sections[2].report
    assert entry.message == "fragment cycle: main.bu -> files/base.bu -> files/deep.bu -> files/base.bu"
    assert (entry.path, entry.line, entry.col) == (
        ("ignition", "config", "merge", 0, "local"), 6, 16)


def test_self_include_is_a_cycle(tree: Path) -> None:
    r = compose_file("files/users.bu", TranslateOptions(files_dir="files"), ["users.bu"])
    assert r.error == "source config is invalid"
    assert "fragment cycle: files/users.bu -> files/users.bu" in r.render_report(True).decode()


def test_fragment_outside_the_files_dir(tree: Path) -> None:
    (tree / "outside.bu").write_text(HEAD)
    (tree / "escape.bu").write_text(HEAD + "ignition:\n  config:\n    merge:\n"
                                    "      - local: ../outside.bu\n")
    r = _compose("escape.bu")
    assert r.error == "source config is invalid"
    [entry] = r.sections[0].report
    assert entry.message == "local file path traverses outside the files directory"
    assert (entry.line, entry.col) == (6, 16)
    r = _compose("main.bu", ["../outside.bu"])
    assert "include ../outside.bu: local file path traverses outside the files directory" in (
        r.render_report(raw=True).decode())
    r = compose_file("main.bu", TranslateOptions(), ["users.bu"])
    assert r.error is not None and not r.ok


def test_variant_and_version_must_agree(tree: Path) -> None:
    (tree / "files" / "old.bu").write_text("variant: fcos\nversion: 1.4.0\n")
    (tree / "files" / "flat.bu").write_text("variant: flatcar\nversion: 1.1.0\n")
    r = _compose("main.bu", ["old.bu"])
    assert "include files/old.bu (fcos 1.4.0) translates to Ignition 3.3.0, but main.bu " \
        "(fcos 1.6.0) translates to Ignition 3.5.0" in r.render_report(True).decode()
    r = _compose("main.bu", ["flat.bu"])
    assert "has variant flatcar, but main.bu has variant fcos" in r.render_report(True).decode()
    # 1.2.0 and 1.3.0 both translate to Ignition 3.2.0: they mix
    (tree / "files" / "a.bu").write_text("variant: fcos\nversion: 1.2.0\n")
    (tree / "b.bu").write_text("variant: fcos\nversion: 1.3.0\n")
    assert _compose("b.bu", ["a.bu"]).ok


def test_butane_detected_by_contents(tree: Path) -> None:
    (tree / "files" / "part.yaml").write_text(
        HEAD + "storage:\n  files:\n    - path: /etc/part\n")
    (tree / "yaml.bu").write_text(HEAD + "ignition:\n  config:\n    merge:\n"
                                  "      - local: part.yaml\n")
    r = _compose("yaml.bu")
    assert r.ok and r.config is not None and r.config["storage"]["files"][0]["path"] == "/etc/part"


def test_ignition_merge_entries_stay(tree: Path) -> None:
    (tree / "files" / "real.ign").write_text('{"ignition": {"version": "3.5.0"}}')
    (tree / "mixed.bu").write_text(HEAD + "ignition:\n  config:\n    merge:\n"
                                   "      - local: users.bu\n      - local: real.ign\n"
                                   "      - source: https://example.com/x.ign\n")
    r = _compose("mixed.bu")
    assert r.ok and r.config is not None and not r.report
    merges = r.config["ignition"]["config"]["merge"]
    assert [m["source"][:5] for m in merges] == ["data:", "https"]
    # a fragment after an Ignition merge entry changes the order: warned
    (tree / "late.bu").write_text(HEAD + "ignition:\n  config:\n    merge:\n"
                                  "      - local: real.ign\n      - local: users.bu\n")
    r = _compose("late.bu")
    [entry] = r.report
    assert entry.kind == "warning" and "list fragments first" in entry.message
    assert (entry.line, entry.col) == (7, 16)


def test_openshift_fragments_are_refused(tree: Path) -> None:
    (tree / "files" / "o.bu").write_text("variant: openshift\nversion: 4.16.0\n")
    (tree / "ocp.bu").write_text("variant: openshift\nversion: 4.16.0\nmetadata:\n  name: x\n"
                                 "  labels:\n    machineconfiguration.openshift.io/role: worker\n"
                                 "ignition:\n  config:\n    merge:\n      - local: o.bu\n")
    r = _compose("ocp.bu")
    assert r.error == "source config is invalid"
    assert "not supported for the openshift variant" in r.render_report(True).decode()


def test_default_mode_warns_of_embedded_butane(tree: Path) -> None:
    r = _compose("main.bu", fragments=False)
    assert r.ok
    [entry] = r.report
    assert entry.kind == "warning" and entry.path == ("ignition", "config", "merge", 0, "local")
    assert (entry.line, entry.col) == (6, 16)
    assert entry.message.startswith("local config base.bu is a Butane config, not Ignition")
    plain = translate((tree / "main.bu").read_bytes(), files_dir="files")
    assert r.output == plain.output  # embedded as the reference does
    strict = _compose("main.bu", fragments=False, strict=True)
    assert strict.error == "Config produced warnings and --strict was specified"


def test_default_mode_warns_of_non_json_and_replace(tree: Path) -> None:
    _write(tree, {"files/notes.txt": "hello\n", "files/ok.ign": '{"ignition":{"version":"3.5.0"}}',
                  "files/gz.ign": "not json but compressed\n"})
    data = (HEAD + "ignition:\n  config:\n    merge:\n      - local: notes.txt\n"
            "      - local: ok.ign\n      - local: gz.ign\n        compression: gzip\n"
            "    replace:\n      local: base.bu\n").encode()
    entries = check_merge_locals(data, "files")
    assert [(e.path, e.line) for e in entries] == [
        (("ignition", "config", "merge", 0, "local"), 6),
        (("ignition", "config", "replace", "local"), 11)]
    assert "notes.txt is not JSON" in entries[0].message
    assert check_merge_locals(HEAD.encode(), "files") == []
    assert check_merge_locals(data, None) == []  # unreadable: the translation says why


def test_source_parsed_again_only_when_it_references_configs(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A config whose output has no merge/replace entries is not parsed a second
    time for them (a large config with `local:` files paid for two parses)."""
    import butane_py.fragments as fragments

    calls: list[bytes] = []
    real = fragments.check_merge_locals
    monkeypatch.setattr(fragments, "check_merge_locals",
                        lambda data, *a, **k: calls.append(data) or real(data, *a, **k))
    _write(tree, {"files/motd": "hi\n", "plain.bu": _bu("""\
        storage:
          files:
            - path: /etc/motd
              contents:
                local: motd
        """)})
    assert _compose("plain.bu", fragments=False).ok and calls == []
    r = _compose("main.bu", fragments=False)
    assert len(calls) == 1 and [e.path for e in r.report] == [
        ("ignition", "config", "merge", 0, "local")]


def test_openshift_machineconfig_merge_entries_still_warn(tree: Path) -> None:
    _write(tree, {"ocp.bu": "variant: openshift\nversion: 4.14.0\nmetadata:\n  name: x\n  labels:\n"
                            "    machineconfiguration.openshift.io/role: worker\n"
                            "ignition:\n  config:\n    merge:\n      - local: base.bu\n"})
    r = _compose("ocp.bu", fragments=False)
    assert [e.path for e in r.report] == [("ignition", "config", "merge", 0, "local")]
