"""`butane-py upgrade`: newer spec versions, same output, comments kept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import CORPORA, case_args

from butane_py.registry import Spec, all_specs
from butane_py.source import parse, sniff
from butane_py.upgrade import UpgradeError, main_upgrade, upgrade

OCP_HEAD = ("metadata:\n  name: x\n  labels:\n    machineconfiguration.openshift.io/role: worker\n")


def _up(text: str, to: str, **kw: object) -> str:
    return upgrade(text.encode(), to, **kw).text.decode()  # type: ignore[arg-type]


def _refused(text: str, to: str, **kw: object) -> str:
    with pytest.raises(UpgradeError) as e:
        upgrade(text.encode(), to, **kw)  # type: ignore[arg-type]
    return str(e.value)


def test_only_the_version_changes() -> None:
    text = ("# header comment\nvariant: fcos   # the variant\nversion: '1.1.0' # quoted\n"
            "storage:\n    files:   # odd indentation\n    -   path: /etc/a\n"
            "        contents: {inline: 'x'}\n")
    assert _up(text, "1.7.0") == text.replace("'1.1.0'", "'1.7.0'")
    assert _up(text.replace("'1.1.0'", '"1.1.0"'), "1.5.0").count('"1.5.0"') == 1


def test_version_written_unnormalised() -> None:
    assert _up("variant: fcos\nversion: 01.04.00\n", "1.5.0") == "variant: fcos\nversion: 1.5.0\n"


def test_same_version_is_a_no_op() -> None:
    r = upgrade(b"variant: fcos\nversion: 1.6.0\n", "1.6.0")
    assert r.text == b"variant: fcos\nversion: 1.6.0\n" and r.notes


@pytest.mark.parametrize("spec", [s for s in all_specs() if "experimental" not in s.version],
                         ids=lambda s: f"{s.variant}-{s.version}")
def test_every_newer_stable_version(spec: Spec) -> None:
    variant, version = spec.variant, spec.version
    head = OCP_HEAD if variant == "openshift" else ""
    text = f"variant: {variant}\nversion: {version}\n{head}"
    newer = [s for s in all_specs() if s.variant == variant and "experimental" not in s.version]
    for target in newer[newer.index(spec) + 1:]:
        assert _up(text, target.version) == text.replace(version, target.version)


def test_mirror_gets_the_old_default_layout() -> None:
    block = "variant: fcos\nversion: 1.5.0\nboot_device:\n  mirror:\n    devices: [/dev/a, /dev/b]\n"
    r = upgrade(block.encode(), "1.7.0")
    assert r.text.decode() == block.replace("1.5.0", "1.7.0").replace(
        "  mirror:", "  layout: x86_64\n  mirror:")
    assert any("layout" in n for n in r.notes)
    flow = "variant: fcos\nversion: 1.6.0\nboot_device: {mirror: {devices: [/dev/a, /dev/b]}}\n"
    assert "boot_device: {layout: x86_64, mirror:" in _up(flow, "1.7.0")
    with_layout = block.replace("  mirror:", "  layout: aarch64\n  mirror:")
    assert _up(with_layout, "1.6.0").count("layout") == 1


def test_openshift_auto_compression_is_equivalent() -> None:
    text = f"variant: openshift\nversion: 4.8.0\n{OCP_HEAD}storage:\n  files:\n    - path: /etc/a\n" \
           f"      contents:\n        inline: {'a' * 300}\n"
    assert "4.12.0" in _up(text, "4.12.0")


@pytest.mark.parametrize(("text", "to", "reason"), [
    ("variant: fcos\nversion: 1.6.0\n", "1.5.0", "downgrades are not supported"),
    ("variant: fcos\nversion: 1.6.0\n", "1.9.0", "No translator exists for variant fcos with version 1.9.0"),
    ("variant: fcos\nversion: 1.6.0\n", "1.6", "invalid target version"),
    ("variant: fcos\nversion: 1.6.0\n", "1.8.0-experimental", "pass --experimental"),
    ("variant: fcos\nversion: [\n", "1.6.0", "cannot read the config's variant and version"),
    ("variant: fcos\nversion: 1.6.0\nstorage: {files: [{path: rel}]}\n", "1.7.0",
     "does not translate at 1.6.0"),
    ("variant: fcos\nversion: 1.3.0\nkernel_arguments:\n  should_exist: [a]\n", "1.4.0",
     "$.kernel_arguments was ignored by 1.3.0 (unused key) but 1.4.0 reads it"),
    ("variant: fcos\nversion: 1.5.0\nstorage:\n  filesystems:\n    - device: /dev/b\n      path: /srv\n"
     "      format: ext4\n      with_mount_unit: true\n", "1.6.0",
     "path must be under /etc or /var if with_mount_unit is true"),
    ("variant: fcos\nversion: 1.6.0\nboot_device:\n  luks:\n    device: /dev/sda\n", "1.7.0",
     "remove it or add an unlock method"),
    (f"variant: openshift\nversion: 4.13.0\n{OCP_HEAD}kernel_arguments:\n  should_exist: [a]\n",
     "4.14.0", "use openshift.kernel_arguments instead"),
    (f"variant: openshift\nversion: 4.19.0\n{OCP_HEAD}openshift:\n  fips: true\nboot_device:\n"
     "  luks:\n    tpm2: true\n", "4.20.0", "no longer add '--cipher aes-cbc-essiv:sha256'"),
    (f"variant: openshift\nversion: 4.9.0\n{OCP_HEAD}storage:\n  files:\n    - path: /a\n"
     "      mode: 04755\n", "4.10.0", "special mode bits are not supported"),
])
def test_refusals(text: str, to: str, reason: str) -> None:
    assert reason in _refused(text, to)


def test_cross_variant_is_refused() -> None:
    assert "cannot move a fcos config to flatcar" in _refused(
        "variant: fcos\nversion: 1.4.0\n", "1.1.0", variant="flatcar")


def test_experimental_when_asked() -> None:
    assert "1.8.0-experimental" in _up("variant: fcos\nversion: 1.6.0\n", "1.8.0-experimental",
                                       allow_experimental=True)


def test_files_dir(tmp_path: Path) -> None:
    (tmp_path / "motd").write_text("hi\n")
    text = "variant: fcos\nversion: 1.4.0\nstorage:\n  files:\n    - path: /etc/motd\n" \
           "      contents:\n        local: motd\n"
    assert "not translate" in _refused(text, "1.5.0")
    assert "1.5.0" in _up(text, "1.5.0", files_dir=str(tmp_path))


def test_corpus_upgrades_to_the_newest_stable_version(capsys: pytest.CaptureFixture[str]) -> None:
    """Every accepted conformance input either upgrades (output equivalent, checked
    inside `upgrade`) or is refused with a reason; none crashes."""
    done = refused = 0
    for inp in sorted(CORPORA["conformance"].glob("*/*/input.bu")):
        case = inp.parent
        if (case / "expected.rc").read_text().strip() != "0":
            continue
        args = case_args(case)
        flag = next((a for a in ("-d", "--files-dir") if a in args), None)
        files_dir = str(case / args[args.index(flag) + 1]) if flag else None
        variant, version = sniff(parse(inp.read_bytes()))
        if "experimental" in version:
            continue  # no newer stable version
        stable = [s for s in all_specs() if s.variant == variant and "experimental" not in s.version]
        try:
            upgrade(inp.read_bytes(), stable[-1].version, files_dir=files_dir)
            done += 1
        except UpgradeError as e:
            assert str(e)
            refused += 1
    with capsys.disabled():
        print(f"\nupgrade to the newest stable version: {done} upgraded, {refused} refused")
    assert done > 10 * refused


def test_cli(tmp_path: Path) -> None:
    src = tmp_path / "a.bu"
    src.write_text("variant: fcos\nversion: 1.4.0 # c\n")
    out, err = io.BytesIO(), io.BytesIO()
    assert main_upgrade([str(src), "--to", "1.5.0", "-o", str(tmp_path / "b.bu")], out, err) == 0
    assert (tmp_path / "b.bu").read_text() == "variant: fcos\nversion: 1.5.0 # c\n"
    assert main_upgrade([str(src), "--to", "1.6.0", "--in-place"], out, err) == 0
    assert src.read_text() == "variant: fcos\nversion: 1.6.0 # c\n"
    assert out.getvalue() == b""
    assert main_upgrade([str(src), "--to", "1.5.0", "--in-place"], out, err) == 1
    assert src.read_text() == "variant: fcos\nversion: 1.6.0 # c\n"
    assert main_upgrade([str(src)], out, err) == 2
    assert main_upgrade([str(src), "--to", "1.7.0", "-o", "x", "--in-place"], out, err) == 2
    assert main_upgrade([str(tmp_path / "none.bu"), "--to", "1.7.0"], out, err) == 1
