"""storage.trees: node reuse, modes, ownership, symlinks, errors and translations
(expectations from the conformance cases fcos-*/storage-trees*, errors/tree-*)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

import pytest

from butane_py.desugar.trees import process_trees
from butane_py.report import Entry
from butane_py.translation import TranslationSet

NODE_EXISTS = "matching filesystem node has existing contents or different type"


def stub_url(data: bytes, compression: str | None, auto: bool) -> tuple[str, str | None]:
    return "data:," + quote_from_bytes(data, safe="!*'()"), (None if compression else "")


def run(cfg: dict[str, Any], ign: dict[str, Any] | None = None, base: int = 5,
        files_dir: str | None = "files") -> tuple[dict[str, Any], TranslationSet, list[Entry]]:
    out = ign if ign is not None else {"ignition": {"version": "3.4.0"}}
    ts = TranslationSet()
    entries: list[Entry] = []
    process_trees(cfg, out, ts, entries, files_dir, base, stub_url)
    return out, ts, entries


def errors(entries: list[Entry]) -> list[tuple[str, tuple[Any, ...], str]]:
    return [(e.kind, e.path, e.message) for e in entries]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tree of fcos-1.1.0/storage-trees."""
    monkeypatch.chdir(tmp_path)
    files = tmp_path / "files"
    (files / "other").mkdir(parents=True)
    (files / "other" / "readme.txt").write_text("other tree\n")
    site = files / "site"
    (site / "bin").mkdir(parents=True)
    (site / "conf.d").mkdir()
    (site / "app.conf").write_text("listen = 8080\n")
    (site / "bin" / "start").write_text("#!/bin/sh\nexec /usr/bin/app\n")
    (site / "conf.d" / "10-log.conf").write_text("level = info\n")
    os.chmod(site / "app.conf", 0o444)
    os.chmod(site / "bin" / "start", 0o555)
    os.chmod(site / "conf.d" / "10-log.conf", 0o444)
    os.symlink("10-log.conf", site / "conf.d" / "current")
    return files


def test_v0_2_trees(site: Path) -> None:
    cfg = {"storage": {"trees": [{"local": "site", "path": "/etc/app"}, {"local": "other"}]}}
    ign = {"storage": {"files": [{"path": "/etc/app/app.conf", "user": {"id": 500}, "mode": 384}]}}
    out, ts, entries = run(cfg, ign, base=2)
    assert entries == []
    assert out["storage"] == {
        "files": [
            {"path": "/etc/app/app.conf", "user": {"id": 500},
             "contents": {"compression": "", "source": "data:,listen%20%3D%208080%0A"},
             "mode": 384},
            {"path": "/etc/app/bin/start",
             "contents": {"compression": "",
                          "source": "data:,%23!%2Fbin%2Fsh%0Aexec%20%2Fusr%2Fbin%2Fapp%0A"},
             "mode": 493},
            {"path": "/etc/app/conf.d/10-log.conf",
             "contents": {"compression": "", "source": "data:,level%20%3D%20info%0A"},
             "mode": 420},
            {"path": "/readme.txt",
             "contents": {"compression": "", "source": "data:,other%20tree%0A"}, "mode": 420},
        ],
        "links": [{"path": "/etc/app/conf.d/current", "target": "10-log.conf"}],
    }
    t0, t1 = ("storage", "trees", 0), ("storage", "trees", 1)
    m = ts.map
    # reused entry: contents and its parts map to the tree; mode stays the user's
    assert m[("storage", "files", 0, "contents", "source")] == t0
    assert m[("storage", "files", 0, "contents")] == t0
    assert ("storage", "files", 0, "mode") not in m
    # new entries: common source, zero fields included (Ignition 3.1 File)
    for sub in ((), ("path",), ("mode",), ("user",), ("user", "id"), ("group", "name"),
                ("overwrite",), ("append",), ("contents", "httpHeaders"),
                ("contents", "verification", "hash")):
        assert m[("storage", "files", 1) + sub] == t0
    assert m[("storage", "files", 3, "contents", "compression")] == t1
    assert m[("storage", "links")] == t0 and m[("storage", "links", 0, "target")] == t0
    assert ("storage", "files") not in m  # the first file was the user's
    assert ("storage", "directories", 0) not in m


def test_v0_7_modes_and_ownership(site: Path) -> None:
    cfg = {"storage": {"trees": [
        {"local": "site", "path": "/opt/site", "file_mode": 0o640, "dir_mode": 0o750,
         "user": {"name": "app"}, "group": {"id": 990}},
        {"local": "other", "path": "/srv/other", "user": {"id": 991}, "group": {"name": "app"}},
    ]}}
    out, ts, entries = run(cfg, base=7)
    assert entries == []
    st = out["storage"]
    own = {"user": {"name": "app"}, "group": {"id": 990}}
    assert st["directories"] == [
        {"path": "/opt/site", "mode": 488, **own},
        {"path": "/opt/site/bin", "mode": 488, **own},
        {"path": "/opt/site/conf.d", "mode": 488, **own},
        {"path": "/srv/other", "mode": 493, "user": {"id": 991}, "group": {"name": "app"}},
    ]
    assert [(f["path"], f["mode"]) for f in st["files"]] == [
        ("/opt/site/app.conf", 416), ("/opt/site/bin/start", 416),
        ("/opt/site/conf.d/10-log.conf", 416), ("/srv/other/readme.txt", 420)]
    assert st["files"][0]["user"] == {"name": "app"}
    assert st["links"] == [{"path": "/opt/site/conf.d/current", "target": "10-log.conf", **own}]
    # each node has its own owner dicts
    assert st["files"][0]["user"] is not st["files"][1]["user"]
    assert ts.map[("storage", "directories")] == ("storage", "trees", 0)
    assert ts.map[("storage", "directories", 3, "mode")] == ("storage", "trees", 1)


def test_v0_7_root_directory_without_path(site: Path) -> None:
    out, _, entries = run({"storage": {"trees": [{"local": "other", "dir_mode": 0o700}]}}, base=7)
    assert entries == []
    assert out["storage"]["directories"] == [{"path": "/", "mode": 0o700}]
    assert out["storage"]["files"][0]["path"] == "/readme.txt"


def test_v0_6_ignores_dirs(site: Path) -> None:
    out, _, _ = run({"storage": {"trees": [{"local": "other", "dir_mode": 0o700}]}}, base=6)
    assert "directories" not in out["storage"]


def test_conflicts_walk_on(site: Path) -> None:
    """errors/tree-conflicts-with-file-contents: two errors, both at the tree."""
    (site / "t" / "sub").mkdir(parents=True)
    (site / "t" / "a.conf").write_text("a")
    (site / "t" / "sub" / "b.conf").write_text("b")
    (site / "t" / "z.conf").write_text("z")
    ign = {"storage": {
        "files": [{"path": "/etc/a.conf", "contents": {"source": "data:,clash"}}],
        "directories": [{"path": "/etc/sub/b.conf"}]}}
    out, _, entries = run({"storage": {"trees": [{"local": "t", "path": "/etc"}]}}, ign)
    assert errors(entries) == [("error", ("storage", "trees", 0), NODE_EXISTS)] * 2
    assert out["storage"]["files"][-1]["path"] == "/etc/z.conf"


def test_override_without_contents(site: Path) -> None:
    """errors/tree-override-without-contents: entries without contents/target are reused."""
    (site / "t").mkdir()
    (site / "t" / "a.conf").write_text("a\n")
    os.symlink("a.conf", site / "t" / "lnk")
    ign = {"storage": {
        "files": [{"path": "/etc/a.conf", "mode": 384, "user": {"name": "core"}}],
        "links": [{"path": "/etc/lnk", "user": {"name": "core"}}]}}
    out, _, entries = run({"storage": {"trees": [{"local": "t", "path": "/etc"}]}}, ign)
    assert entries == []
    assert out["storage"] == {
        "files": [{"path": "/etc/a.conf", "mode": 384, "user": {"name": "core"},
                   "contents": {"compression": "", "source": "data:,a%0A"}}],
        "links": [{"path": "/etc/lnk", "user": {"name": "core"}, "target": "a.conf"}]}


def test_link_with_target_or_other_kind_conflicts(site: Path) -> None:
    (site / "t").mkdir()
    os.symlink("x", site / "t" / "l1")
    os.symlink("x", site / "t" / "l2")
    ign = {"storage": {"links": [{"path": "/l1", "target": "y"}],
                       "files": [{"path": "/l2"}]}}
    _, _, entries = run({"storage": {"trees": [{"local": "t"}]}}, ign)
    assert errors(entries) == [("error", ("storage", "trees", 0), NODE_EXISTS)] * 2


def test_v0_3_link_empty_target_reused(site: Path) -> None:
    (site / "t").mkdir()
    os.symlink("x", site / "t" / "l")
    ign = {"storage": {"links": [{"path": "/l", "target": ""}]}}
    out, _, entries = run({"storage": {"trees": [{"local": "t"}]}}, ign, base=3)
    assert entries == [] and out["storage"]["links"] == [{"path": "/l", "target": "x"}]


def test_tree_errors(site: Path) -> None:
    (site / "file.txt").write_text("f")
    cfg = {"storage": {"trees": [{"local": "nothere"}, {"local": "file.txt"}, {"local": "../"},
                                 {"local": "other", "path": "/o"}]}}
    out, _, entries = run(cfg)
    assert errors(entries) == [
        ("error", ("storage", "trees", 0), "stat files/nothere: no such file or directory"),
        ("error", ("storage", "trees", 1), "root of tree must be a directory"),
        ("error", ("storage", "trees", 2), "local file path traverses outside the files directory"),
    ]
    assert out["storage"]["files"][0]["path"] == "/o/readme.txt"


def test_no_files_dir_stops_everything(site: Path) -> None:
    cfg = {"storage": {"trees": [{"local": "t"}, {"local": "u"}]}}
    out, _, entries = run(cfg, files_dir=None)
    assert errors(entries) == [("error", ("storage", "trees", 0),
                                "local file paths are relative to a files directory that must be "
                                "specified with -d/--files-dir")]
    assert "storage" not in out


def test_special_file_rejected(site: Path) -> None:
    (site / "t").mkdir()
    os.mkfifo(site / "t" / "fifo")
    _, _, entries = run({"storage": {"trees": [{"local": "t"}]}})
    assert errors(entries) == [("error", ("storage", "trees", 0),
                                "trees may only contain files, directories, and symlinks")]


def test_root_symlink_is_one_link(site: Path) -> None:
    os.symlink("other", site / "alias")
    out, _, entries = run({"storage": {"trees": [{"local": "alias", "path": "/x"}]}})
    assert entries == [] and out["storage"] == {"links": [{"path": "/x", "target": "other"}]}


def test_existing_compression_kept(site: Path) -> None:
    ign = {"storage": {"files": [{"path": "/readme.txt", "contents": {"compression": "gzip"}}]}}
    out, ts, _ = run({"storage": {"trees": [{"local": "other"}]}}, ign)
    assert out["storage"]["files"][0]["contents"]["compression"] == "gzip"
    assert ("storage", "files", 0, "contents", "compression") not in ts.map


def test_many_files_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "files" / "big"
    for d in range(50):
        sub = root / f"d{d:02}"
        sub.mkdir(parents=True)
        for f in range(100):
            (sub / f"f{f:03}").write_bytes(b"x")
    start = time.perf_counter()
    out, ts, entries = run({"storage": {"trees": [{"local": "big", "path": "/big"}]}})
    elapsed = time.perf_counter() - start
    assert entries == [] and len(out["storage"]["files"]) == 5000
    assert out["storage"]["files"][0]["path"] == "/big/d00/f000"
    assert elapsed < 0.5, elapsed


@pytest.mark.parametrize("dest", ["/", "/opt/tree", "/opt//tree/", "/opt/./x/../tree", "rel/dir",
                                  ".", "..", "a/..", "/.."])
@pytest.mark.parametrize("rel", [".", "a", "a/b", "...", "a b/c"])
def test_node_path_below_tree_destination_is_go_path_join(dest: str, rel: str) -> None:
    from butane_py.desugar.trees import _below
    from butane_py.ignition import gopath

    assert _below(gopath.clean(dest), rel) == gopath.join(dest, rel)
