"""Base-layer source validation (spec 6.1, 6.4, 6.5), expectations from errors/* and
fcos-1.8.0-experimental/systemd-quadlets-invalid."""

from __future__ import annotations

import random
from typing import Any

import pytest
from strategies import random_butane

from butane_py.paths import Path
from butane_py.schema import Type, butane_config
from butane_py.validate_butane import (
    _checks,
    _Context,
    _decimal_mode_to_octal,
    _is_typical_mode,
    decimal_mode_suspect,
    validate,
)

DECIMAL = ("unreasonable mode would be reasonable if specified in octal; remember to add a "
           "leading zero")
TOO_MANY = "only one of the following can be set: inline, local, source"
SYSTEMD_TOO_MANY = "only one of the following can be set: contents, contents_local"
NO_PATH = "path is required if with_mount_unit is true and format is not swap"
NO_FORMAT = "format is required if with_mount_unit is true"


def diags(cfg: dict[str, Any], base: int = 5, minor: int = 4) -> list[tuple[str, Any, str, str]]:
    return [(e.kind, e.path, e.message, e.tag) for e in validate(cfg, base, minor)]


@pytest.mark.parametrize(("mode", "directory", "warn"), [
    (644, False, True), (755, False, True), (600, False, True), (440, False, True),
    (777, False, True), (755, True, True), (0, False, False), (1000, False, False),
    (420, False, False), (0o644, False, False), (493, True, False), (7777, False, False),
    (8000, False, False), (-1, False, False), (4755, False, True), (1777, True, True),
    (1777, False, False), (4755, True, False),
])
def test_decimal_mode(mode: int, directory: bool, warn: bool) -> None:
    assert decimal_mode_suspect(mode, directory) is warn


def test_modes_and_sources_in_walk_order() -> None:
    cfg = {"storage": {
        "directories": [{"path": "/d", "mode": 755}],
        "files": [
            {"path": "/a", "mode": 644, "append": [{"inline": "x", "local": "y"}],
             "contents": {"inline": "x", "source": "https://e.com/a"}},
            {"path": "/b", "contents": {"local": "a", "source": "s", "inline": "i"}},
            {"path": "/c", "mode": 420, "contents": {"inline": "x"}},
        ]}}
    assert diags(cfg) == [
        ("warning", ("storage", "directories", 0, "mode"), DECIMAL, "yaml"),
        ("warning", ("storage", "files", 0, "mode"), DECIMAL, "yaml"),
        ("error", ("storage", "files", 0, "append", 0, "inline"), TOO_MANY, "yaml"),
        ("error", ("storage", "files", 0, "contents", "source"), TOO_MANY, "yaml"),
        ("error", ("storage", "files", 1, "contents", "source"), TOO_MANY, "yaml"),
    ]


def test_other_resources() -> None:
    cfg = {"ignition": {"security": {"tls": {"certificate_authorities": [
        {"source": "s", "local": "l"}]}}},
        "storage": {"luks": [{"name": "x", "key_file": {"inline": "a", "local": "b"}}]}}
    assert diags(cfg) == [
        ("error", ("ignition", "security", "tls", "certificate_authorities", 0, "source"),
         TOO_MANY, "yaml"),
        ("error", ("storage", "luks", 0, "key_file", "inline"), TOO_MANY, "yaml"),
    ]


def test_v0_1_file_contents() -> None:
    cfg = {"storage": {"files": [{"path": "/a", "contents": {"inline": "x", "source": "y"}}]}}
    assert diags(cfg, base=1, minor=0) == [
        ("error", ("storage", "files", 0, "contents", "inline"), TOO_MANY, "yaml")]


def test_tree_local_required() -> None:
    cfg = {"storage": {"trees": [{"path": "/etc"}, {"local": ""}, {"local": "t"}]}}
    assert diags(cfg) == [("error", ("storage", "trees", 0), "local is required", "yaml"),
                          ("error", ("storage", "trees", 1), "local is required", "yaml")]


def test_mount_units_by_version() -> None:
    cfg = {"storage": {"filesystems": [
        {"device": "/dev/vdb1", "format": "ext4", "path": "/opt/data", "with_mount_unit": True},
        {"device": "/dev/vdc1", "format": "ext4", "with_mount_unit": True},
        {"device": "/dev/vdd1", "path": "/var/x", "with_mount_unit": True},
        {"device": "/dev/vde1", "with_mount_unit": True},
        {"device": "/dev/vdf1", "format": "swap", "with_mount_unit": True},
        {"device": "/dev/vdg1", "with_mount_unit": False},
    ]}}
    fs = ("storage", "filesystems")
    # fcos-1.4.0/mount-unit-forbidden-path
    assert diags(cfg, base=4, minor=3) == [
        ("error", fs + (1, "path"), NO_PATH, "yaml"),
        ("error", fs + (2, "format"), NO_FORMAT, "yaml"),
        ("error", fs + (3, "format"), NO_FORMAT, "yaml"),
    ]
    assert diags(cfg, base=3, minor=2) == [
        ("error", fs + (1, "path"), NO_PATH, "yaml"),
        ("error", fs + (2, "format"), NO_FORMAT, "yaml"),
        ("error", fs + (3, "path"), NO_PATH, "yaml"),
        ("error", fs + (3, "format"), NO_FORMAT, "yaml"),
        ("error", fs + (4, "path"), NO_PATH, "yaml"),
    ]


def test_units_and_dropins() -> None:
    """errors/contents-and-contents-local."""
    cfg = {"systemd": {"units": [{"name": "a.service", "contents": "x", "contents_local": "a",
                                  "dropins": [{"name": "d.conf", "contents": "y",
                                               "contents_local": ""}]}]}}
    assert diags(cfg) == [
        ("error", ("systemd", "units", 0, "contents_local"), SYSTEMD_TOO_MANY, "yaml"),
        ("error", ("systemd", "units", 0, "dropins", 0, "contents_local"), SYSTEMD_TOO_MANY,
         "yaml"),
    ]


def test_quadlets() -> None:
    cfg = {"systemd": {"quadlets": [
        {"name": "broken.service", "contents": "x", "contents_local": "y"},
        {"name": "tmpl@7.pod", "contents": "[Pod]", "contents_local": "p"},
        {"name": "both.network", "contents": "[Network]", "contents_local": "n.network",
         "dropins": [{"name": "x.conf", "contents": "a", "contents_local": "b"}]},
        {"name": "tmpl@.pod", "contents": "[Pod]"},
    ]}}
    q = ("systemd", "quadlets")
    assert diags(cfg, base=8, minor=7) == [
        ("error", q + (0, "name"),
         "unsupported file extension for quadlet: must be one of .container, .volume, .network, "
         ".kube, .image, .build, .pod, or .artifact", "yaml"),
        ("error", q + (1, "contents"), "template instances cannot have contents or contents_local",
         "yaml"),
        ("error", q + (1, "contents_local"),
         "template instances cannot have contents or contents_local", "yaml"),
        ("error", q + (2, "contents_local"), SYSTEMD_TOO_MANY, "yaml"),
        ("error", q + (2, "dropins", 0, "contents_local"), SYSTEMD_TOO_MANY, "yaml"),
    ]


def test_inline_child_configs() -> None:
    merge = ("ignition", "config", "merge")
    # errors/merge-inline-invalid-json
    got = diags({"ignition": {"config": {"merge": [{"inline": "{not json"}]}}})
    assert got == [
        ("error", (), "invalid character 'n' looking for beginning of object key string", "json"),
        ("error", merge + (0, "inline"), "config is not valid", "yaml"),
    ]
    # errors/merge-inline-unknown-version
    got = diags({"ignition": {"config": {"merge": [
        {"inline": '{"ignition": {"version": "3.0.0"}}'},
        {"inline": '{"ignition": {"version": "3.4.0"}}'}]}}})
    assert got == [("warning", merge + (0, "version"),
                    "skipping validation for the merge/replace ignition config due to an unkown "
                    "version", "yaml")]
    # errors/merge-inline-invalid-config: the child's own JSON path
    text = '{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "relative"}]}}\n'
    got = diags({"ignition": {"config": {"replace": {"inline": text}}}})
    assert got == [("error", ("storage", "files", 0, "path"), "path not absolute", "json")]
    # the target version follows the emitted spec
    assert diags({"ignition": {"config": {"replace": {"inline": text.replace("3.4.0", "3.7.0-experimental")}}}},
                 base=8, minor=7) == got


def test_local_and_other_inline_not_checked() -> None:
    cfg = {"ignition": {"config": {"merge": [{"local": "bad.ign"}]}},
           "storage": {"files": [{"path": "/a", "contents": {"inline": "{not json"}}]}}
    assert diags(cfg) == []
    # two sources: only the source error, no child check
    cfg = {"ignition": {"config": {"replace": {"inline": "{", "source": "x"}}}}
    assert diags(cfg) == [("error", ("ignition", "config", "replace", "source"), TOO_MANY, "yaml")]


def test_mode_verdicts_remembered_per_kind() -> None:
    """The verdicts are remembered by mode and kind of node: a directory's verdict
    never answers for a file's."""
    for first in (True, False):
        for mode in (755, 1777, 4755):
            assert decimal_mode_suspect(mode, first) == _mode_verdict(mode, first)
            assert decimal_mode_suspect(mode, not first) == _mode_verdict(mode, not first)
    for mode in range(-2, 8002):
        for directory in (False, True):
            assert decimal_mode_suspect(mode, directory) == _mode_verdict(mode, directory), mode


def _mode_verdict(mode: int, directory: bool) -> bool:
    octal = _decimal_mode_to_octal(mode)
    return (octal is not None and not _is_typical_mode(mode, directory)
            and _is_typical_mode(octal, directory))


def _every_node(t: Type, value: Any, path: Path, checks: dict[str, Any], ctx: Any) -> None:
    """The walk with nothing left out: every struct, in struct order, its check first."""
    check = checks.get(t.name)
    if check is not None:
        check(value, path, ctx)
    for name, f in t.fields.items():
        sub = value.get(name)
        if sub is None:
            continue
        if f.type.kind == "struct" and isinstance(sub, dict):
            _every_node(f.type, sub, path + (name,), checks, ctx)
        elif f.type.kind == "list" and f.type.elem is not None and f.type.elem.kind == "struct":
            for i, item in enumerate(sub):
                if isinstance(item, dict):
                    _every_node(f.type.elem, item, path + (name, i), checks, ctx)


_TEXTS = ["", "a", "x.container", "t@.container", "t@i.container", "/m", "swap", "xfs",
          '{"ignition": {"version": "3.4.0"}}']


def _random_butane(rng: random.Random, t: Type, depth: int) -> Any:
    return random_butane(rng, t, _TEXTS, [0, 420, 644, 755, 1777, 4755, 493], (0.8, 0.4), depth)


def test_pruned_walk_reports_what_the_whole_walk_does() -> None:
    """Subtrees where no check can fire are skipped; nothing else changes."""
    rng = random.Random(3)
    fired = 0
    for n in range(300):
        base = 1 + n % 8
        cfg = _random_butane(rng, butane_config(base), 0)
        ctx = _Context(base, "3.4.0")
        _every_node(butane_config(base), cfg, (), _checks(base), ctx)
        got = validate(cfg, base, 4)
        assert got == ctx.out, n
        fired += len(got)
    assert fired > 300
