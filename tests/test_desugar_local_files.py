"""Local files: the files-dir checks, Go's error texts, and the tree walk order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from butane_py.desugar.local_files import LocalFileError, read_local, walk


@pytest.fixture
def fd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    files = tmp_path / "files"
    (files / "sub").mkdir(parents=True)
    (files / "sub" / "x").write_text("x")
    (files / "present.txt").write_text("present\n")
    (files / "etc").mkdir()
    (files / "etc" / "conf.txt").write_text("inside the files dir\n")
    return files


def _err(local: str, files_dir: str | None) -> str:
    with pytest.raises(LocalFileError) as e:
        read_local(local, files_dir)
    return str(e.value)


def test_reads_inside(fd: Path) -> None:
    assert read_local("present.txt", "files") == b"present\n"
    # errors/local-absolute-path-stays-inside: a leading slash is just joined
    assert read_local("/etc/conf.txt", "files") == b"inside the files dir\n"
    # errors/local-escape-nested-dotdot, second file: stays inside
    assert read_local("sub/../present.txt", "files") == b"present\n"


def test_no_files_dir(fd: Path) -> None:
    want = ("local file paths are relative to a files directory that must be specified with "
            "-d/--files-dir")
    assert _err("a.txt", None) == want
    assert _err("a.txt", "") == want


@pytest.mark.parametrize("local", ["../input.bu", "sub/../../input.bu", "..", "/../x"])
def test_escape(fd: Path, local: str) -> None:
    assert _err(local, "files") == "local file path traverses outside the files directory"


def test_symlink_out_of_the_files_dir_is_refused(fd: Path, tmp_path: Path) -> None:
    """The reference follows it (its check is lexical); butane-py never reads outside
    the files directory (docs/limits.md)."""
    (tmp_path / "outside.txt").write_text("out")
    os.symlink(tmp_path / "outside.txt", fd / "link")
    assert _err("link", "files") == (
        "local file path resolves outside the files directory through a symlink: files/link")


def test_go_error_texts(fd: Path) -> None:
    assert _err("missing.txt", "files") == "open files/missing.txt: no such file or directory"
    assert _err("sub", "files") == "read files/sub: is a directory"
    assert _err("a", "nonexistent") == "open nonexistent/a: no such file or directory"
    assert _err("present.txt/x", "files") == "open files/present.txt/x: not a directory"
    # paths are cleaned before use and in messages
    assert read_local("./sub//x/", "./files/") == b"x"
    assert _err("./sub//nope/", "./files/") == "open files/sub/nope: no such file or directory"


def test_files_dir_itself(fd: Path) -> None:
    assert _err(".", "files") == "read files: is a directory"


def test_walk_order_and_lstat(tmp_path: Path) -> None:
    root = tmp_path / "t"
    for name in ("b", "a/z", "a/y", "B", "a.b", "é"):
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(name)
    os.symlink("a", root / "lnk")
    got = [(rel, err) for _, rel, _, err in walk(str(root))]
    # byte order: "B" < "a" < "a.b" < "b" < "lnk" < "é"; "a" is walked before "a.b"
    assert [r for r, _ in got] == [".", "B", "a", "a/y", "a/z", "a.b", "b", "lnk", "é"]
    assert all(err is None for _, err in got)
    kinds = {rel: st for _, rel, st, _ in walk(str(root))}
    import stat

    assert kinds["lnk"] is not None and stat.S_ISLNK(kinds["lnk"].st_mode)


def test_walk_root_symlink_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f").write_text("f")
    os.symlink("real", tmp_path / "alias")
    items = list(walk(str(tmp_path / "alias")))
    assert len(items) == 1
    _, rel, st, err = items[0]
    import stat

    assert rel == "." and err is None and st is not None and stat.S_ISLNK(st.st_mode)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_walk_unreadable_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t" / "locked").mkdir(parents=True)
    (tmp_path / "t" / "locked" / "f").write_text("f")
    os.chmod(tmp_path / "t" / "locked", 0)
    try:
        items = [(rel, err) for _, rel, _, err in walk("t")]
    finally:
        os.chmod(tmp_path / "t" / "locked", 0o755)
    assert items == [(".", None), ("locked", "open t/locked: permission denied")]


def test_path_cache_resolves_as_realpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache's resolution equals os.path.realpath through directory links, file
    links (absolute, relative, dangling, looping), '..' and missing names."""
    import os

    from butane_py.desugar.local_files import PathCache

    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "sub" / "f").write_text("x")
    (tmp_path / "outside").mkdir()
    os.symlink("sub", tmp_path / "d" / "dirlink")
    os.symlink(tmp_path / "outside", tmp_path / "d" / "abslink")
    os.symlink("../outside/none", tmp_path / "d" / "sub" / "dangling")
    os.symlink("loop", tmp_path / "d" / "loop")
    os.symlink("f", tmp_path / "d" / "sub" / "flink")
    cache = PathCache()
    for p in ["d", "d/sub/f", "d/dirlink/f", "d/dirlink/flink", "d/abslink", "d/abslink/x",
              "d/sub/dangling", "d/loop", "d/loop/x", "d/missing/y", "d/sub/..", "..", "d/./sub",
              str(tmp_path / "d" / "dirlink" / "f"), "d/dirlink/../sub/f"]:
        assert cache.realpath(p) == os.path.realpath(p), p
        assert cache.abs(p) == os.path.normpath(os.path.join(os.getcwd(), p)), p
