"""`local:` and `storage.trees` never read outside --files-dir, never hang on a
FIFO or a device, and say clearly what they refused (docs/limits.md)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from test_bombs import within

from butane_py import translate
from butane_py.api import Result

HEAD = "variant: fcos\nversion: 1.6.0\n"
ESCAPE = "local file path traverses outside the files directory"
SYMLINK_OUT = "local file path resolves outside the files directory through a symlink: {}"
NOT_REGULAR = "local file is not a regular file (a FIFO, socket or device is never read): {}"
FILE_TYPE = "trees may only contain files, directories, and symlinks"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.txt").write_text("outside the files dir\n")
    (tmp_path / "secret-dir").mkdir()
    (tmp_path / "secret-dir" / "key").write_text("outside too\n")
    f = tmp_path / "files"
    (f / "tree").mkdir(parents=True)
    (f / "a.txt").write_text("hello\n")
    (f / "tree" / "inside.txt").write_text("in\n")
    return f


def local(name: str) -> str:
    return HEAD + "storage:\n  files:\n    - path: /x\n      contents:\n        local: " + \
        json.dumps(name) + "\n"


def tree(name: str, extra: str = "") -> str:
    return HEAD + "storage:\n  trees:\n    - local: " + json.dumps(name) + "\n" + extra


def messages(r: Result) -> list[str]:
    return [e.message for e in r.report if e.kind == "error"]


def go(data: str) -> Result:
    with within(10):
        return translate(data, files_dir="files")


def contents(r: Result) -> list[Any]:
    assert r.ok, (r.error, r.report)
    cfg = json.loads(r.output or "")
    return [f["contents"]["source"] for f in cfg["storage"]["files"]]


# --- lexical escapes (the reference's check and message) ----------------------


@pytest.mark.parametrize("name", ["../secret.txt", "tree/../../secret.txt", "..", "/../secret.txt"])
def test_dotdot_segments_refused(files: Path, name: str) -> None:
    assert messages(go(local(name))) == [ESCAPE]


def test_dotdot_tree_refused(files: Path) -> None:
    assert messages(go(tree("../secret-dir"))) == [ESCAPE]


def test_absolute_path_stays_inside(files: Path) -> None:
    # joined under the files dir, never read from the root
    assert messages(go(local("/etc/passwd"))) == ["open files/etc/passwd: no such file or directory"]
    assert contents(go(local("/a.txt"))) == ["data:,hello%0A"]


# --- symlinks (a deviation: the reference follows them outside) --------------


def test_symlink_to_outside_file_refused(files: Path) -> None:
    os.symlink("../secret.txt", files / "link")
    assert messages(go(local("link"))) == [SYMLINK_OUT.format("files/link")]


def test_absolute_symlink_to_outside_refused(files: Path) -> None:
    os.symlink("/etc/hostname", files / "abs")
    assert messages(go(local("abs"))) == [SYMLINK_OUT.format("files/abs")]


def test_symlinked_directory_to_outside_refused_for_local(files: Path) -> None:
    os.symlink(files.parent / "secret-dir", files / "dirlink")
    assert messages(go(local("dirlink/key"))) == [SYMLINK_OUT.format("files/dirlink/key")]


def test_symlinked_directory_to_outside_refused_as_tree_root(files: Path) -> None:
    os.symlink(files.parent / "secret-dir", files / "dirlink")
    (files / "real").mkdir()
    os.symlink(files.parent / "secret-dir", files / "real" / "sub")
    assert messages(go(tree("dirlink"))) == [SYMLINK_OUT.format("files/dirlink")]
    assert messages(go(tree("real/sub"))) == [SYMLINK_OUT.format("files/real/sub")]


def test_symlink_inside_a_tree_is_a_link_not_followed(files: Path) -> None:
    os.symlink("../../secret.txt", files / "tree" / "out")
    r = go(tree("tree"))
    assert r.ok
    cfg = json.loads(r.output or "")
    assert cfg["storage"]["links"] == [{"path": "/out", "target": "../../secret.txt"}]
    assert "outside" not in (r.output or "")


def test_symlink_within_files_dir_still_followed(files: Path) -> None:
    os.symlink("a.txt", files / "alias")
    assert contents(go(local("alias"))) == ["data:,hello%0A"]


def test_symlink_loop_is_an_error(files: Path) -> None:
    os.symlink("loop", files / "loop")
    os.symlink("b", files / "a")
    os.symlink("a", files / "b")
    assert messages(go(local("loop"))) == ["open files/loop: too many levels of symbolic links"]
    assert messages(go(local("a"))) == ["open files/a: too many levels of symbolic links"]


# --- FIFOs, devices, unreadable files ------------------------------------------


def test_fifo_as_local_file_does_not_hang(files: Path) -> None:
    os.mkfifo(files / "fifo")
    assert messages(go(local("fifo"))) == [NOT_REGULAR.format("files/fifo")]


def test_fifo_in_tree_does_not_hang(files: Path) -> None:
    os.mkfifo(files / "tree" / "fifo")
    assert messages(go(tree("tree"))) == [FILE_TYPE]


def test_fifo_through_the_cli_does_not_hang(files: Path) -> None:
    os.mkfifo(files / "fifo")
    with within(10):
        r = run_cli(["-d", "files"], stdin=local("fifo").encode())
    assert r.rc == 1 and NOT_REGULAR.format("files/fifo").encode() in r.err


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")


def test_device_file_as_local_is_refused(files: Path) -> None:
    _device(files / "zero")
    assert messages(go(local("zero"))) == [NOT_REGULAR.format("files/zero")]


def test_device_file_in_tree_is_refused(files: Path) -> None:
    _device(files / "tree" / "zero")
    assert messages(go(tree("tree"))) == [FILE_TYPE]


def test_symlink_to_a_device_is_refused(files: Path) -> None:
    os.symlink("/dev/zero", files / "zero")
    assert messages(go(local("zero"))) == [SYMLINK_OUT.format("files/zero")]


def _deny(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Root reads anything; make one file unreadable the way a user sees it."""
    real_open = os.open

    def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.path.basename(os.fsdecode(path)) == name:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


def test_unreadable_local_file(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, "a.txt")
    assert messages(go(local("a.txt"))) == ["open files/a.txt: permission denied"]


def test_unreadable_file_in_tree(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _deny(monkeypatch, "inside.txt")
    assert messages(go(tree("tree"))) == ["open files/tree/inside.txt: permission denied"]


# --- odd names -------------------------------------------------------------------


def test_name_with_newline(files: Path) -> None:
    (files / "tree" / "a\nb").write_text("nl\n")
    (files / "c\nd").write_text("nl\n")
    r = go(tree("tree"))
    assert r.ok
    paths = [f["path"] for f in json.loads(r.output or "")["storage"]["files"]]
    assert paths == ["/a\nb", "/inside.txt"]
    assert contents(go(local("c\nd"))) == ["data:,nl%0A"]


def test_name_with_newline_through_the_cli(files: Path) -> None:
    (files / "tree" / "a\nb").write_text("nl\n")
    r = run_cli(["-d", "files"], stdin=tree("tree").encode())
    assert r.rc == 0 and b'"path":"/a\\nb"' in r.out


def test_name_with_invalid_utf8_is_read(files: Path) -> None:
    os.makedirs(b"files/tree2")
    with open(b"files/tree2/\xff.txt", "wb") as f:
        f.write(b"x")
    r = go(tree("tree2"))
    assert r.ok and contents(r) == ["data:,x"]


def test_name_with_invalid_utf8_gives_valid_utf8_output(files: Path) -> None:
    os.makedirs(b"files/tree2")
    with open(b"files/tree2/\xff.txt", "wb") as f:
        f.write(b"x")
    r = run_cli(["-d", "files"], stdin=tree("tree2").encode())
    assert r.rc == 0
    r.out.decode("utf-8")
    assert b'"path":"/\\ufffd.txt"' in r.out


# --- limits ------------------------------------------------------------------------


def test_local_file_size_limit(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUTANE_PY_MAX_LOCAL_FILE_BYTES", "4")
    assert messages(go(local("a.txt"))) == [
        "local file is larger than the limit of 4 bytes (raise it with "
        "BUTANE_PY_MAX_LOCAL_FILE_BYTES): files/a.txt"]
    monkeypatch.setenv("BUTANE_PY_MAX_LOCAL_FILE_BYTES", "6")
    assert contents(go(local("a.txt"))) == ["data:,hello%0A"]


def test_tree_entry_limit(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(10):
        (files / "tree" / f"f{i}").write_text("x")
    monkeypatch.setenv("BUTANE_PY_MAX_TREE_ENTRIES", "5")
    assert messages(go(tree("tree"))) == [
        "tree has more than 5 entries (raise the limit with BUTANE_PY_MAX_TREE_ENTRIES): "
        "files/tree"]


def test_deep_directory_tree_walks_without_recursion_error(files: Path) -> None:
    deep = files / "deep"
    deep.mkdir()
    os.chdir(deep)
    for _ in range(1500):  # beyond Python's default recursion limit of 1000
        os.mkdir("d")
        os.chdir("d")
    with open("leaf", "w") as f:
        f.write("deep")
    os.chdir(files.parent)
    try:
        r = go(tree("deep"))
    finally:
        _remove_deep(deep, 1500)
    assert r.ok, (r.error, r.report)
    paths = [f["path"] for f in json.loads(r.output or "")["storage"]["files"]]
    assert paths == ["/" + "d/" * 1500 + "leaf"]


def _remove_deep(deep: Path, levels: int) -> None:
    """shutil.rmtree (and so pytest's clean-up) recurses once per level."""
    old = os.getcwd()
    os.chdir(deep)
    try:
        for _ in range(levels):
            os.chdir("d")
        os.unlink("leaf")
        for _ in range(levels):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(old)
