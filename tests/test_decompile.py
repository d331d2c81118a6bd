"""`butane-py decompile`: Ignition back to Butane, checked by round trip."""

from __future__ import annotations

import base64
import gzip
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import CORPORA

from butane_py.api import translate
from butane_py.decompile import DecompileError, decompile, main_decompile
from butane_py.equivalence import describe_difference
from butane_py.source import parse, sniff


def _ign(version: str = "3.4.0", **sections: Any) -> dict[str, Any]:
    return {"ignition": {"version": version}, **sections}


def _file(path: str, source: str, **more: Any) -> dict[str, Any]:
    return {"storage": {"files": [{"path": path, "contents": {"source": source, **more}}]}}


def _round_trip(ign: dict[str, Any], **kw: Any) -> str:
    text = decompile(ign, **kw).text
    result = translate(text)
    assert result.ok, (text, result.report.raw())
    assert describe_difference(ign, result.config) is None, text
    return text


# ---------------------------------------------------------------------------
# The acceptance figure: every accepted case of both corpora


def _accepted(root: Path) -> list[tuple[Path, dict[str, Any]]]:
    cases = []
    for inp in sorted(root.glob("**/input.bu")):
        case = inp.parent
        out = case / "expected.json"
        if (case / "expected.rc").read_text().strip() != "0" or not out.exists():
            continue
        try:
            cases.append((case, json.loads(out.read_bytes())))
        except ValueError:
            continue  # an openshift MachineConfig (YAML), not Ignition JSON
    return cases


@pytest.mark.parametrize("corpus", ["conformance", "realworld"])
def test_corpus_round_trip(corpus: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = CORPORA[corpus]
    if not root.exists():
        pytest.skip(f"{root} is absent")
    cases = _accepted(root)
    assert cases
    failed = []
    for case, ign in cases:
        variant, version = sniff(parse((case / "input.bu").read_bytes()))
        kw = {"variant": variant, "version": version} if variant in ("flatcar", "r4e", "fiot") else {}
        try:
            _round_trip(ign, **kw)
        except (DecompileError, AssertionError) as e:
            failed.append(f"{case.name}: {e}")
    ok = len(cases) - len(failed)
    with capsys.disabled():
        print(f"\ndecompile round trip, {corpus}: {ok}/{len(cases)} "
              f"({100 * ok / len(cases):.1f}%)")
    assert ok >= 0.95 * len(cases), failed[:20]


# ---------------------------------------------------------------------------
# Contents


def test_printable_data_url_becomes_inline_text() -> None:
    text = _round_trip(_ign(**_file("/etc/motd", "data:,hello%0Aworld%0A", compression="")))
    assert "inline: |\n          hello\n          world\n" in text
    assert "source" not in text and "compression" not in text


def test_gzip_contents_are_inflated() -> None:
    gz = base64.b64encode(gzip.compress(b"x = 1\n" * 50)).decode()
    text = _round_trip(_ign(**_file("/etc/x.conf", "data:;base64," + gz, compression="gzip")))
    assert "inline: |" in text and "gzip" not in text


def test_binary_contents_stay_a_data_url() -> None:
    url = "data:;base64," + base64.b64encode(b"\x00\x01\xff").decode()
    text = _round_trip(_ign(**_file("/bin/blob", url)))
    assert "source: data:;base64,AAH/" in text


def test_verified_contents_stay_a_data_url() -> None:
    url = "data:,hi"
    text = _round_trip(_ign(**_file("/etc/hi", url, verification={"hash": "sha512-" + "0" * 128})))
    assert "source: data:,hi" in text and "inline" not in text


@pytest.mark.parametrize("payload", [
    "yes", "123", "0644", "a: b", " leading space", "trailing space ", "#hash", "- dash",
    "tab\tinside", "no newline\nat end", "two trailing\n\n", "\nleading newline\n",
    "  indented first\nsecond\n", "quotes ' and \"", "null", "~", "@at", "ünïcödé ✓\n",
    "trailing spaces   \non a line\n", "",
])
def test_awkward_text_round_trips(payload: str) -> None:
    url = "data:," + quote(payload.encode(), safe="")
    text = _round_trip(_ign(**_file("/etc/t", url)))
    assert "inline" in text, text


def test_merged_configs_become_inline() -> None:
    child = json.dumps({"ignition": {"version": "3.4.0"}})
    merge = {"config": {"merge": [{"source": "data:," + quote(child)}]}, "version": "3.4.0"}
    text = _round_trip({"ignition": merge})
    assert "inline: '{\"ignition\"" in text


# ---------------------------------------------------------------------------
# Sugar and layout


def test_mount_unit_folds_into_with_mount_unit() -> None:
    bu = ("variant: fcos\nversion: 1.6.0\nstorage:\n  filesystems:\n    - device: /dev/vdb\n"
          "      path: /var/lib/data\n      format: xfs\n      with_mount_unit: true\n")
    ign = translate(bu).config
    assert ign is not None
    result = decompile(ign)
    assert "with_mount_unit" in result.steps
    assert "systemd" not in result.text and "with_mount_unit: true" in result.text


def test_mount_unit_with_user_dropin_keeps_the_dropin() -> None:
    bu = ("variant: fcos\nversion: 1.5.0\nstorage:\n  filesystems:\n    - device: /dev/vdb\n"
          "      path: /var/d\n      format: ext4\n      with_mount_unit: true\nsystemd:\n  units:\n"
          "    - name: var-d.mount\n      dropins:\n        - name: x.conf\n"
          "          contents: \"[Mount]\\nOptions=ro\\n\"\n")
    ign = translate(bu).config
    assert ign is not None
    text = decompile(ign).text
    assert "with_mount_unit: true" in text and "name: var-d.mount" in text
    assert "Generated" not in text


def test_grub_users_are_reconstructed() -> None:
    bu = ("variant: fcos\nversion: 1.5.0\ngrub:\n  users:\n    - name: root\n"
          "      password_hash: grub.pbkdf2.sha512.10000.AB\n")
    ign = translate(bu).config
    assert ign is not None
    result = decompile(ign)
    assert "grub.users" in result.steps
    assert result.text == bu


def test_modes_are_octal_and_keys_snake_case() -> None:
    ign = _ign("3.3.0", storage={"directories": [{"path": "/var/x", "mode": 493}],
                                 "disks": [{"device": "/dev/vdb", "wipeTable": True,
                                            "partitions": [{"label": "d", "sizeMiB": 100}]}]})
    text = _round_trip(ign)
    assert "mode: 0755" in text and "wipe_table: true" in text and "size_mib: 100" in text
    assert text.startswith("variant: fcos\nversion: 1.4.0\n")


def test_output_is_stable() -> None:
    ign = _ign(passwd={"users": [{"sshAuthorizedKeys": ["k"], "name": "core", "groups": ["wheel"]}]})
    assert decompile(ign).text == decompile(json.loads(json.dumps(ign))).text
    assert decompile(ign).text.index("name: core") < decompile(ign).text.index("groups")


# ---------------------------------------------------------------------------
# Targets and refusals


def test_default_version_is_the_lowest_with_that_ignition_version() -> None:
    assert decompile(_ign("3.2.0")).spec.version == "1.2.0"
    assert decompile(_ign("3.7.0-experimental")).spec.version == "1.8.0-experimental"
    assert decompile(_ign("3.3.0"), "flatcar").spec.version == "1.0.0"


def test_a_newer_target_is_allowed() -> None:
    assert decompile(_ign("3.0.0"), version="1.6.0").text == "variant: fcos\nversion: 1.6.0\n"


@pytest.mark.parametrize(("ign", "kw", "reason"), [
    (_ign("3.4.0"), {"version": "1.4.0"}, "older than the input's 3.4.0"),
    (_ign("3.9.0"), {}, "unsupported or missing ignition.version"),
    ({"storage": {}}, {}, "unsupported or missing ignition.version"),
    (_ign(bogus=1), {}, "$.bogus is not an Ignition field"),
    (_ign(storage={"files": "x"}), {}, "$.storage.files must be a list"),
    (_ign(), {"variant": "openshift"}, "cannot decompile to variant 'openshift'"),
    (_ign("3.2.0"), {"variant": "r4e"}, "no r4e spec version emits Ignition 3.2.0"),
    (_ign("3.3.0", storage={"disks": [{"device": "/dev/vdb"}]}), {"variant": "r4e"},
     "disk customization is not supported"),
])
def test_refusals(ign: dict[str, Any], kw: dict[str, str], reason: str) -> None:
    with pytest.raises(DecompileError) as e:
        decompile(ign, **kw)
    assert reason in str(e.value)


def test_not_json() -> None:
    with pytest.raises(DecompileError, match="not JSON"):
        decompile(b"variant: fcos\n")


def test_cli(tmp_path: Path) -> None:
    src = tmp_path / "c.ign"
    src.write_text(json.dumps(_ign(**_file("/etc/a", "data:,a"))))
    out, err = io.BytesIO(), io.BytesIO()
    assert main_decompile([str(src), "-o", str(tmp_path / "c.bu")], out, err) == 0
    assert out.getvalue() == b"" and err.getvalue() == b""
    assert translate((tmp_path / "c.bu").read_bytes()).ok
    out, err = io.BytesIO(), io.BytesIO()
    assert main_decompile([str(src), "--version", "1.0.0"], out, err) == 1
    assert err.getvalue().startswith(b"Error decompiling config: fcos 1.0.0 emits Ignition 3.0.0")
    assert main_decompile([str(tmp_path / "missing.ign")], out, err) == 1
    assert main_decompile(["--variant", "nope", str(src)], out, err) == 2
    out = io.BytesIO()
    assert main_decompile(["--help"], out, err) == 0 and b"--variant" in out.getvalue()
