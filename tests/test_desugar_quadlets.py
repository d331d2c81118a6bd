"""systemd.quadlets (fcos-1.8.0-experimental/systemd-quadlets*)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_desugar_trees import NODE_EXISTS, errors, stub_url

from butane_py.desugar.quadlets import process_quadlets, template_of
from butane_py.report import Entry
from butane_py.translation import TranslationSet


def run(cfg: dict[str, Any], ign: dict[str, Any] | None = None,
        files_dir: str | None = "files") -> tuple[dict[str, Any], TranslationSet, list[Entry]]:
    out = ign if ign is not None else {}
    ts = TranslationSet()
    entries: list[Entry] = []
    process_quadlets(cfg, out, ts, entries, files_dir, stub_url)
    return out, ts, entries


@pytest.mark.parametrize(("name", "want"), [
    ("worker@1.container", "worker@.container"),
    ("worker@.container", None),
    ("web.container", None),
    ("a@b", None),
    ("a@b.c.pod", "a@.pod"),
])
def test_template_of(name: str, want: str | None) -> None:
    assert template_of(name) == want


def test_quadlets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "files" / "quadlets").mkdir(parents=True)
    (tmp_path / "files" / "quadlets" / "db.kube").write_text("[Kube]\n")
    (tmp_path / "files" / "quadlets" / "20-net.conf").write_text("[Kube]\nNetwork=host\n")
    cfg = {"systemd": {"quadlets": [
        {"name": "web.container", "rootful": True, "contents": "[Container]\n",
         "dropins": [{"name": "10-env.conf", "contents": "[Container]\nEnvironment=A=b\n"}]},
        {"name": "cache.volume", "contents": "[Volume]\n"},
        {"name": "worker@1.container", "rootful": True},
        {"name": "db.kube", "contents_local": "quadlets/db.kube",
         "dropins": [{"name": "20-net.conf", "contents_local": "quadlets/20-net.conf"}]},
        {"name": "empty.pod"},
    ]}}
    out, ts, entries = run(cfg)
    assert entries == []

    def f(path: str, source: str) -> dict[str, Any]:
        return {"path": path, "contents": {"source": source, "compression": ""}, "mode": 420}

    assert out["storage"] == {
        "files": [
            f("/etc/containers/systemd/web.container", "data:,%5BContainer%5D%0A"),
            f("/etc/containers/systemd/web.container.d/10-env.conf",
              "data:,%5BContainer%5D%0AEnvironment%3DA%3Db%0A"),
            f("/etc/containers/systemd/users/cache.volume", "data:,%5BVolume%5D%0A"),
            f("/etc/containers/systemd/users/db.kube", "data:,%5BKube%5D%0A"),
            f("/etc/containers/systemd/users/db.kube.d/20-net.conf",
              "data:,%5BKube%5D%0ANetwork%3Dhost%0A"),
            f("/etc/containers/systemd/users/empty.pod", "data:,"),
        ],
        "links": [{"path": "/etc/containers/systemd/worker@1.container",
                   "target": "worker@.container"}],
    }
    m = ts.map
    q0, q2, q3 = (("systemd", "quadlets", n) for n in (0, 2, 3))
    assert m[("storage",)] == ("systemd", "quadlets")
    assert m[("storage", "files")] == q0
    assert m[("storage", "files", 0, "path")] == q0 + ("name",)
    assert m[("storage", "files", 0, "contents", "source")] == q0 + ("contents",)
    assert m[("storage", "files", 0, "contents")] == q0 + ("contents",)
    assert m[("storage", "files", 0, "contents", "compression")] == q0
    assert m[("storage", "files", 0, "mode")] == q0
    assert m[("storage", "files", 0, "user", "id")] == q0
    assert m[("storage", "files", 1, "path")] == q0 + ("dropins", 0, "name")
    assert m[("storage", "files", 3, "contents")] == q3 + ("contents_local",)
    assert m[("storage", "files", 4, "contents", "source")] == q3 + ("dropins", 0, "contents_local")
    assert m[("storage", "files", 5, "contents", "source")] == ()
    assert m[("storage", "links")] == q2
    assert m[("storage", "links", 0, "path")] == q2 + ("name",)
    assert m[("storage", "links", 0, "target")] == q2


def test_conflicts() -> None:
    ign = {"storage": {"files": [{"path": "/etc/containers/systemd/app.container",
                                  "contents": {"source": "data:,existing"}}],
                       "directories": [{"path": "/etc/containers/systemd/t@1.pod"}]}}
    cfg = {"systemd": {"quadlets": [
        {"name": "app.container", "rootful": True, "contents": "[Container]"},
        {"name": "t@1.pod", "rootful": True},
        {"name": "x.pod", "dropins": [{"name": "a.conf"}, {"name": "a.conf"}]},
    ]}}
    out, _, entries = run(cfg, ign)
    assert errors(entries) == [
        ("error", ("systemd", "quadlets", 0), NODE_EXISTS),
        ("error", ("systemd", "quadlets", 1), NODE_EXISTS),
        ("error", ("systemd", "quadlets", 2, "dropins", 1), NODE_EXISTS),
    ]
    # an existing file without contents is not reused either
    _, _, entries = run({"systemd": {"quadlets": [{"name": "a.pod"}]}},
                        {"storage": {"files": [{"path": "/etc/containers/systemd/users/a.pod"}]}})
    assert errors(entries) == [("error", ("systemd", "quadlets", 0), NODE_EXISTS)]


def test_local_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = {"systemd": {"quadlets": [{"name": "a.pod", "contents_local": "a.pod"}]}}
    _, _, entries = run(cfg, files_dir=None)
    assert errors(entries) == [("error", ("systemd", "quadlets", 0, "contents_local"),
                                "local file paths are relative to a files directory that must be "
                                "specified with -d/--files-dir")]
    (tmp_path / "files").mkdir()
    _, _, entries = run(cfg)
    assert errors(entries) == [("error", ("systemd", "quadlets", 0, "contents_local"),
                                "open files/a.pod: no such file or directory")]
