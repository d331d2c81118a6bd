"""Ignition-level validation: semantic checks, duplicates, inline child configs."""

from __future__ import annotations

import collections
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPORA

from butane_py.ignition.child import check_child_config
from butane_py.ignition.validate import duplicates, validate

V34 = "3.4.0"


def files(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"ignition": {"version": V34}, "storage": {"files": list(entries)}}


def run(cfg: dict[str, Any], version: str = V34) -> list[tuple[str, tuple[str | int, ...], str]]:
    return duplicates(cfg, version) + validate(cfg, version)


def test_bad_hashes() -> None:
    cfg = files(
        {"path": "/etc/a", "contents": {"source": "https://e.com/a", "verification": {"hash": "md5-d41d8cd98f00b204e9800998ecf8427e"}}},
        {"path": "/etc/b", "contents": {"source": "https://e.com/b", "verification": {"hash": "sha512-tooshort"}}},
        {"path": "/etc/c", "contents": {"source": "https://e.com/c", "verification": {"hash": "nodash"}}},
    )
    h = ("contents", "verification", "hash")
    assert run(cfg) == [
        ("error", ("storage", "files", 0, *h), "unrecognized hash function"),
        ("error", ("storage", "files", 1, *h), "incorrect size for hash sum"),
        ("error", ("storage", "files", 2, *h), "malformed hash specifier"),
    ]


def test_sha256_only_from_3_1() -> None:
    cfg = files({"path": "/a", "contents": {"source": "https://e/", "verification": {"hash": "sha256-" + "0" * 64}}})
    assert run(cfg) == []
    cfg["ignition"]["version"] = "3.0.0"
    assert [m for _, _, m in run(cfg, "3.0.0")] == ["unrecognized hash function"]


def test_bad_source_urls() -> None:
    cfg = files(
        {"path": "/etc/a", "contents": {"source": "ht!tp://bad url"}},
        {"path": "/etc/b", "contents": {"source": "ftp://example.com/file"}},
        {"path": "/etc/c", "contents": {"source": "example.com/no-scheme"}},
    )
    assert [(p[2], m) for _, p, m in run(cfg)] == [
        (0, "unable to parse url"),
        (1, "invalid url scheme"),
        (2, "invalid url scheme"),
    ]


@pytest.mark.parametrize(
    ("source", "minor", "msg"),
    [
        ("gs://b/o", 1, "invalid url scheme"),
        ("gs://b/o", 2, None),
        ("HTTP://x/", 0, None),
        ("s3://b/k?versionId=", 0, "invalid S3 object VersionId"),
        ("s3://b/k?versionId=1", 0, None),
        ("arn:aws:s3:us-east-1:123:bucket/obj", 3, "invalid url scheme"),
        ("arn:aws:s3:us-east-1:123:bucket/obj", 4, None),
        ("arn:aws:s3:us-east-1:123:bucket", 4, "invalid S3 ARN format"),
        ("arn:aws:ec2:us-east-1:123:bucket/x", 4, "invalid S3 ARN format"),
        ("arn:aws:s3:us-east-1:123:accesspoint/x", 4, "invalid S3 ARN format"),
        ("arn:aws:s3:us-east-1:123:accesspoint/x/y?versionId=", 4, "invalid S3 object VersionId"),
        ("data:,hello", 0, None),
        ("data:text/plain;base64,aGk=", 0, None),
        ("data:;base64,a", 0, "illegal base64 data at input byte 0"),
        ("data:;base64,aGk", 0, "illegal base64 data at input byte 0"),
        ("data:;base64,a!==", 0, "invalid data character"),
        ("data:text,x", 0, "invalid character for media type"),
        ("data:foo/bar,x", 0, "invalid media type"),
        ("data:hello", 0, "missing media type slash"),
        ("data:,a b", 0, "invalid data character"),
        ("data:,%zz", 0, "rfc2396: invalid char 0x25 in unescape sequence"),
        ("DATA:,x", 0, "missing data prefix"),
        ("1a:b", 0, "unable to parse url"),
        ("http://[::1]:80/", 0, None),
        ("http://[1.2.3.4]/", 0, "unable to parse url"),
        ("http://host:port/", 0, "unable to parse url"),
        ("http://a\x01/", 0, "unable to parse url"),
        ("/abs/path", 0, "invalid url scheme"),
    ],
)
def test_url_rules(source: str, minor: int, msg: str | None) -> None:
    version = f"3.{minor}.0"
    cfg = {"ignition": {"version": version}, "storage": {"files": [{"path": "/a", "contents": {"source": source}}]}}
    got = [m for _, _, m in validate(cfg, version)]
    assert got == ([msg] if msg else [])


def test_bad_modes_3_4_and_3_6() -> None:
    cfg = {
        "ignition": {"version": V34},
        "storage": {
            "files": [{"path": "/etc/a", "mode": 888}, {"path": "/etc/b", "mode": 755},
                      {"path": "/etc/c", "mode": 99999}, {"path": "/etc/d", "mode": -1}],
            "directories": [{"path": "/etc/e", "mode": 700}],
        },
    }
    special = "setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0"
    assert run(cfg) == [
        ("warning", ("storage", "directories", 0, "mode"), special),
        ("warning", ("storage", "files", 0, "mode"), special),
        ("warning", ("storage", "files", 1, "mode"), special),
        ("error", ("storage", "files", 2, "mode"), "illegal file mode"),
        ("warning", ("storage", "files", 2, "mode"), special),
        ("error", ("storage", "files", 3, "mode"), "illegal file mode"),
        ("warning", ("storage", "files", 3, "mode"), special),
    ]
    cfg["ignition"]["version"] = "3.6.0"
    assert [m for _, _, m in run(cfg, "3.6.0")] == ["illegal file mode"] * 2


def test_relative_paths_and_duplicates_across_kinds() -> None:
    cfg = {"ignition": {"version": V34}, "storage": {
        "files": [{"path": "etc/relative"}], "directories": [{"path": "var/dir"}],
        "links": [{"path": "/etc/link", "target": "relative/target"}]}}
    assert run(cfg) == [
        ("error", ("storage", "directories", 0, "path"), "path not absolute"),
        ("error", ("storage", "files", 0, "path"), "path not absolute"),
    ]
    cfg = {"ignition": {"version": V34}, "storage": {
        "files": [{"path": "/etc/node"}], "directories": [{"path": "/etc/node"}],
        "links": [{"path": "/etc/node", "target": "/x"}]}}
    assert duplicates(cfg, V34) == [
        ("error", ("storage", "files", 0), "duplicate entry defined"),
        ("error", ("storage", "links", 0), "duplicate entry defined"),
    ]


def test_links() -> None:
    cfg = {"ignition": {"version": V34}, "storage": {
        "directories": [{"path": "/l/d"}, {"path": "/t"}],
        "files": [{"path": "/l/f"}],
        "links": [{"path": "/l"}, {"path": "/h", "target": "/t", "hard": True, "user": {"id": 0}}, {"path": "/a/./b", "target": "x"}]}}
    assert run(cfg) == [
        ("error", ("storage", "directories", 0), "directory path includes link in config"),
        ("error", ("storage", "files", 0), "file path includes link in config"),
        ("error", ("storage", "links", 0, "target"), "link target is required"),
        ("error", ("storage", "links", 1), "hard link target is a directory"),
        ("warning", ("storage", "links", 1, "user", "id"), "user/group ignored for hard link"),
        ("error", ("storage", "links", 2, "path"), "path is not fully simplified"),
    ]
    cfg["ignition"]["version"] = "3.2.0"
    assert ("error", ("storage", "links", 0, "target"), "link target is required") not in run(cfg, "3.2.0")


def test_unit_contents_and_install() -> None:
    cfg = {"ignition": {"version": V34}, "systemd": {"units": [
        {"name": "a.service", "contents": "[Unit\nFoo=bar\n"},
        {"name": "b.service", "enabled": True, "contents": "[Unit]\nA=b\n"},
        {"name": "c.bogus", "dropins": [{"name": "x.txt", "contents": "[X]\nFoo"}]},
        {"name": "t@.service", "contents": "[Service]\nA=b\n"},
        {"name": "t@x.service", "enabled": True},
    ]}}
    assert run(cfg) == [
        ("warning", ("systemd", "units", 4, "contents"), 'template unit "t@.service" for "t@x.service" doesn\'t have Install section'),
        ("error", ("systemd", "units", 0, "contents"), "invalid unit content: unable to find end of section"),
        ("warning", ("systemd", "units", 1, "contents"), 'unit "b.service" is enabled, but has no install section so enable does nothing'),
        ("error", ("systemd", "units", 2, "name"), "invalid systemd unit extension"),
        ("error", ("systemd", "units", 2, "dropins", 0, "contents"), "invalid unit content: EOF"),
        ("error", ("systemd", "units", 2, "dropins", 0, "name"), "invalid systemd drop-in extension"),
    ]


@pytest.mark.parametrize(
    ("contents", "err"),
    [
        ("Foo=bar\n[Unit]\nA=b", None),
        ("[Unit] x\n", 'found garbage after section name : "x"'),
        ("[Unit]\nFoo\nBar=1\n", "unexpected newline encountered while parsing option name"),
        ("[Unit]\nA=" + "x" * 3000 + "\n", "line too long (max 2048 bytes)"),
        ("[Unit]\n" + "# c\n" * 800 + "A=" + "x" * 2100 + "\n", None),
        ("[Unit]\nA=b \\\n c\n# x \\\n y\n", None),
    ],
)
def test_unit_parser(contents: str, err: str | None) -> None:
    cfg = {"systemd": {"units": [{"name": "a.service", "contents": contents}]}}
    got = [m for _, _, m in validate(cfg, V34)]
    assert got == ([f"invalid unit content: {err}"] if err else [])


def test_path_conflicts_with_systemd() -> None:
    cfg = {"storage": {"files": [{"path": "/etc/systemd/system/a.service"}],
                       "links": [{"path": "/etc/systemd/system/a.service.d/x.conf", "target": "/y"}]},
           "systemd": {"units": [{"name": "a.service", "contents": "[Unit]\n",
                                  "dropins": [{"name": "x.conf", "contents": "[Unit]\n"}]}]}}
    got = validate(cfg, V34)
    assert got[:2] == [
        ("error", ("storage", "files", 0, "path"), "path conflicts with systemd unit or dropin"),
        ("error", ("storage", "links", 0, "path"), "path conflicts with systemd unit or dropin"),
    ]


def test_headers_and_proxy() -> None:
    cfg = files(
        {"path": "/etc/a", "contents": {"source": "s3://bucket/key", "httpHeaders": [{"name": "X", "value": "y"}]}},
        {"path": "/etc/b", "contents": {"source": "https://e.com/b", "httpHeaders": [{"name": "X"}, {"name": "X"}]}},
    )
    assert run(cfg) == [
        ("error", ("storage", "files", 1, "contents", "httpHeaders", 1), "duplicate entry defined"),
        ("error", ("storage", "files", 0, "contents", "httpHeaders"), "cannot use HTTP headers with this source scheme"),
    ]
    cfg = {"ignition": {"version": V34, "proxy": {"httpProxy": "://nope", "httpsProxy": "ftp://p"}}}
    assert validate(cfg, V34) == [
        ("error", ("ignition", "proxy", "httpProxy"), "unable to parse url"),
        ("error", ("ignition", "proxy", "httpsProxy"), "proxies must be http(s)"),
    ]
    cfg = {"ignition": {"version": V34, "proxy": {"httpsProxy": "http://p"}}}
    assert validate(cfg, V34) == [("warning", ("ignition", "proxy", "httpsProxy"), "insecure plaintext HTTP proxy specified for HTTPS resources")]


def test_merge_sources_reported_twice() -> None:
    cfg = {"ignition": {"version": V34, "config": {"merge": [{"source": "ftp://x"}, {}]}}}
    assert validate(cfg, V34) == [
        ("error", ("ignition", "config", "merge", 0), "invalid url scheme"),
        ("error", ("ignition", "config", "merge", 1), "source is required"),
        ("error", ("ignition", "config", "merge", 0, "source"), "invalid url scheme"),
    ]


def test_luks() -> None:
    cfg = {"storage": {"luks": [{"name": "x", "device": "/dev/vdb",
                                 "clevis": {"tpm2": True, "custom": {"pin": "tang", "config": "{}"}}}]}}
    assert validate(cfg, V34) == [("error", ("storage", "luks", 0, "clevis"), "cannot use custom clevis config with tpm2, tang, or threshold")]
    cfg = {"storage": {"luks": [{"name": "a/b", "keyFile": {"source": "ftp://x"}, "cex": {"enabled": True},
                                 "clevis": {"custom": {"pin": "foo"}, "tang": [{"url": "x://y", "advertisement": "{"}]}}]}}
    assert validate(cfg, "3.5.0") == [
        ("error", ("storage", "luks", 0, "name"), "device names cannot contain slashes"),
        ("error", ("storage", "luks", 0, "device"), "disk device is required"),
        ("error", ("storage", "luks", 0, "clevis"), "cannot use custom clevis config with tpm2, tang, or threshold"),
        ("error", ("storage", "luks", 0, "keys"), "invalid key-file source"),
        ("error", ("storage", "luks", 0, "cex"), "cannot use cex with clevis"),
        ("error", ("storage", "luks", 0, "cex"), "cannot use key file with cex"),
        ("error", ("storage", "luks", 0, "clevis", "custom", "pin"), "unsupported clevis pin"),
        ("error", ("storage", "luks", 0, "clevis", "custom", "config"), "missing required custom clevis config"),
        ("error", ("storage", "luks", 0, "clevis", "tang", 0, "url"), "invalid url scheme"),
        ("error", ("storage", "luks", 0, "clevis", "tang", 0, "thumbprint"), "thumbprint is required"),
        ("error", ("storage", "luks", 0, "clevis", "tang", 0, "advertisement"), "advertisement is not valid JSON"),
        ("error", ("storage", "luks", 0, "keyFile", "source"), "invalid url scheme"),
    ]
    got36 = [m for _, _, m in validate(cfg, "3.6.0")]
    assert "unsupported clevis pin" not in got36


def test_disks_filesystems_raid() -> None:
    cfg = {"storage": {
        "disks": [{"device": "/dev/sda", "partitions": [
            {"number": 1, "startMiB": 1, "sizeMiB": 10}, {"number": 1, "label": "a:b", "startMiB": 5, "sizeMiB": 10},
            {"shouldExist": False, "label": "a:b", "guid": "nope"}]}],
        "filesystems": [{"device": "/dev/sda", "format": "ext4", "label": "x" * 17},
                        {"device": "/dev/sdb", "path": "rel", "label": "l"}],
        "raid": [{"name": "md", "level": "raid0", "spares": 1}, {"name": "md2"}],
    }}
    assert validate(cfg, V34) == [
        ("warning", ("storage", "filesystems", 0, "device"), "filesystem overwrites partitioned device"),
        ("error", ("storage", "disks", 0, "partitions", 1), "partition numbers collide"),
        ("error", ("storage", "disks", 0, "partitions", 1), "partitions overlap"),
        ("error", ("storage", "disks", 0, "partitions"), "shouldExist is false for a partition and other partition(s) has start or size 0"),
        ("error", ("storage", "disks", 0, "partitions", 2), "cannot use the same partition label twice"),
        ("error", ("storage", "disks", 0, "partitions", 1, "label"), "partition label will be truncated to text before the colon"),
        ("error", ("storage", "disks", 0, "partitions", 2), "shouldExist specified false with other options also specified"),
        ("error", ("storage", "disks", 0, "partitions", 2, "label"), "partition label will be truncated to text before the colon"),
        ("error", ("storage", "disks", 0, "partitions", 2, "guid"), 'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"'),
        ("error", ("storage", "filesystems", 0, "label"), "filesystem labels cannot be longer than 16 characters when using ext4"),
        ("error", ("storage", "filesystems", 1, "path"), "path not absolute"),
        ("error", ("storage", "filesystems", 1, "format"), "format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified"),
        ("error", ("storage", "filesystems", 1, "label"), "filesystem must specify format if label is specified"),
        ("error", ("storage", "raid", 0, "level"), "spares unsupported for linear and raid0 arrays"),
        ("error", ("storage", "raid", 0, "devices"), "raid devices required"),
        ("error", ("storage", "raid", 1, "level"), "raid level is required"),
        ("error", ("storage", "raid", 1, "devices"), "raid devices required"),
    ]
    assert [m for _, p, m in validate(cfg, "3.2.0") if p[:2] == ("storage", "raid")][2] == "unrecognized raid level"


def test_version_field_checked_when_present() -> None:
    assert validate({"ignition": {"version": "3.3.0"}}, V34) == [("error", ("ignition", "version"), "unsupported config version")]
    assert validate({"ignition": {"version": "3.7.0-experimental"}}, "3.7.0-experimental") == []
    assert validate({}, V34) == []


# --- inline child configs ----------------------------------------------------------------------


def test_child_invalid_json() -> None:
    res = check_child_config("{not json", V34)
    assert res.not_valid and not res.version_mismatch
    assert res.entries == [("error", (), "invalid character 'n' looking for beginning of object key string")]


@pytest.mark.parametrize(
    ("text", "msg"),
    [
        ("", "unexpected end of JSON input"),
        ('{"a":1,}', "invalid character '}' looking for beginning of object key string"),
        ("[1 2]", "invalid character '2' after array element"),
        ("nul", "unexpected end of JSON input"),
        ("nulx", "invalid character 'x' in literal null (expecting 'l')"),
        ("{} x", "invalid character 'x' after top-level value"),
        ("[]", "json: cannot unmarshal array into Go value of type types.Config"),
        ('{"ignition": {"version": 3}}', "json: cannot unmarshal number into Go struct field Ignition.ignition.version of type string"),
        ('{"storage": {"files": [{"path": 1}]}}', "json: cannot unmarshal number into Go struct field File.storage.files.Node.path of type string"),
        ('{"storage": {"files": [{"mode": 1.5}]}}', "json: cannot unmarshal number 1.5 into Go struct field File.storage.files.FileEmbedded1.mode of type int"),
    ],
)
def test_child_parse_errors(text: str, msg: str) -> None:
    res = check_child_config(text, V34)
    assert res.not_valid
    assert res.entries == [("error", (), msg)]


def test_child_version_mismatch_and_validation() -> None:
    res = check_child_config('{"ignition": {"version": "3.0.0"}}', V34)
    assert res.version_mismatch and res.entries == []
    res = check_child_config('{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "relative"}]}}', V34)
    assert res.entries == [("error", ("storage", "files", 0, "path"), "path not absolute")]
    res = check_child_config('{"bogus": 1, "storage": {"files": [{"path": "/a"}, {"path": "/a"}]}}', V34)
    assert res.entries == [
        ("error", ("ignition", "version"), "invalid config version (couldn't parse)"),
        ("error", ("storage", "files", 1), "duplicate entry defined"),
        ("warning", ("bogus",), "unused key bogus"),
    ]


# --- corpus -------------------------------------------------------------------------------------

_BUTANE_LEVEL = ("unused key", "unreasonable mode", "incorrect partition number", "root should have",
                 "partitions cannot be reused", "root partition cannot expand", "context tree does not match",
                 "skipping validation for the merge", "boot_device.layout should", "field ignored in raw mode")
_LINE = re.compile(r"^(error|warning)(?: at [^:]*)?: (.*)$")


def _corpus() -> list[Path]:
    out = []
    for root in CORPORA.values():
        for rc in sorted(root.rglob("expected.rc")):
            if rc.read_text().strip() == "0":
                out.append(rc.parent)
    return out


def test_corpus_ignition_warnings() -> None:
    mismatches = []
    checked = 0
    for case in _corpus():
        try:
            cfg = json.loads((case / "expected.json").read_text())
        except (ValueError, OSError):
            continue
        if not isinstance(cfg, dict) or "ignition" not in cfg:
            continue
        checked += 1
        version = cfg["ignition"]["version"]
        want: collections.Counter[tuple[str, str]] = collections.Counter()
        for line in (case / "expected.stderr").read_text().splitlines():
            m = _LINE.match(line)
            if m and not m.group(2).startswith(_BUTANE_LEVEL):
                want[(m.group(1), m.group(2))] += 1
        got = collections.Counter((k, msg) for k, _, msg in run(cfg, version))
        if got != want:
            mismatches.append((str(case), dict(want - got), dict(got - want)))
    # every accepted JSON output: 248 conformance ones, plus 556 real-world ones where present
    assert checked >= (800 if CORPORA["realworld"].is_dir() else 240)
    assert mismatches == []


def test_speed_20000_files() -> None:
    cfg = {"ignition": {"version": V34}, "storage": {
        "files": [{"path": f"/etc/f{i}", "mode": 0o644, "contents": {"source": "data:,x", "compression": ""}} for i in range(20000)],
        "directories": [{"path": f"/d{i}"} for i in range(100)],
        "links": [{"path": f"/l{i}", "target": "/x"} for i in range(100)],
    }}
    start = time.perf_counter()
    assert run(cfg) == []
    assert time.perf_counter() - start < 1.0
