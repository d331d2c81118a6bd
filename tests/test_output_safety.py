"""`-o`: a temporary file and a rename, so a failed run leaves the previous file
byte-identical and a successful one never exposes a half-written file."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from butane_py.cli import output

GOOD = b"variant: fcos\nversion: 1.6.0\n"
BAD = b"variant: fcos\nversion: 1.6.0\nstorage: {files: [{path: relative}]}\n"
OLD = b"previous output, must survive\n"
WANT = b'{"ignition":{"version":"3.5.0"}}\n'


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith(".butane-py-"))


def test_failed_translation_leaves_previous_file_byte_identical(cwd: Path) -> None:
    (cwd / "out.ign").write_bytes(OLD)
    r = run_cli(["-o", "out.ign"], stdin=BAD)
    assert r.rc == 1
    assert (cwd / "out.ign").read_bytes() == OLD
    assert leftovers(cwd) == []


def test_strict_failure_leaves_previous_file(cwd: Path) -> None:
    (cwd / "out.ign").write_bytes(OLD)
    r = run_cli(["--strict", "-o", "out.ign"], stdin=GOOD + b"unknown: 1\n")
    assert r.rc == 1 and (cwd / "out.ign").read_bytes() == OLD


def test_success_replaces_and_keeps_mode(cwd: Path) -> None:
    (cwd / "out.ign").write_bytes(OLD)
    os.chmod(cwd / "out.ign", 0o600)
    r = run_cli(["-o", "out.ign"], stdin=GOOD)
    assert r.rc == 0 and r.out == b""
    assert (cwd / "out.ign").read_bytes() == WANT
    assert stat.S_IMODE(os.stat(cwd / "out.ign").st_mode) == 0o600
    assert leftovers(cwd) == []


def test_new_file_gets_umask_mode(cwd: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run_cli(["-o", "new.ign"], stdin=GOOD).rc == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(cwd / "new.ign").st_mode) == 0o640


def test_success_never_exposes_a_half_written_file(cwd: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """While the new bytes are being written and synced, the target still holds the
    old file; at the rename the temporary file is complete."""
    (cwd / "out.ign").write_bytes(OLD)
    seen: list[tuple[str, bytes]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        seen.append(("fsync", (cwd / "out.ign").read_bytes()))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        seen.append(("replace-src", Path(src).read_bytes()))
        seen.append(("replace-dst", Path(dst).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    big = GOOD + b"storage:\n  files:\n" + b"".join(
        b"    - path: /f%d\n      contents: {inline: %s}\n" % (i, b"x" * 1000) for i in range(300))
    assert run_cli(["-o", "out.ign"], stdin=big).rc == 0
    final = (cwd / "out.ign").read_bytes()
    assert seen == [("fsync", OLD), ("replace-src", final), ("replace-dst", OLD)]
    json.loads(final)


def test_output_onto_the_input_file(cwd: Path) -> None:
    (cwd / "config.bu").write_bytes(GOOD)
    r = run_cli(["-o", "config.bu", "config.bu"])
    assert r.rc == 0
    assert (cwd / "config.bu").read_bytes() == WANT


def test_output_onto_the_input_file_failing_keeps_the_input(cwd: Path) -> None:
    (cwd / "config.bu").write_bytes(BAD)
    assert run_cli(["-o", "config.bu", "config.bu"]).rc == 1
    assert (cwd / "config.bu").read_bytes() == BAD


def _enospc(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_keeps_previous_file_and_says_so(cwd: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (cwd / "out.ign").write_bytes(OLD)
    monkeypatch.setattr(os, "fsync", _enospc)
    r = run_cli(["-o", "out.ign"], stdin=GOOD)
    assert r.rc == 1
    assert b"out.ign: no space left on device\n" in r.err
    assert b"Traceback" not in r.err
    assert (cwd / "out.ign").read_bytes() == OLD
    assert leftovers(cwd) == []


def test_disk_full_on_rename(cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cwd / "out.ign").write_bytes(OLD)
    monkeypatch.setattr(os, "replace", _enospc)
    r = run_cli(["-o", "out.ign"], stdin=GOOD)
    assert r.rc == 1 and b"no space left on device" in r.err
    assert (cwd / "out.ign").read_bytes() == OLD and leftovers(cwd) == []


@pytest.mark.parametrize("code,text", [(errno.EROFS, b"read-only file system"),
                                       (errno.EACCES, b"permission denied")])
def test_read_only_directory(cwd: Path, monkeypatch: pytest.MonkeyPatch, code: int,
                             text: bytes) -> None:
    """As root a mode-0555 directory is writable; make the temporary file fail
    to open, as a read-only mount or directory does."""
    (cwd / "out.ign").write_bytes(OLD)

    def create_temp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output, "_create_temp", create_temp)
    r = run_cli(["-o", "out.ign"], stdin=GOOD)
    assert r.rc == 1
    assert r.err == b"failed to open out.ign: open out.ign: " + text + b"\n"
    assert (cwd / "out.ign").read_bytes() == OLD


def test_missing_directory(cwd: Path) -> None:
    r = run_cli(["-o", "nodir/out.ign"], stdin=GOOD)
    assert r.rc == 1
    assert r.err == (b"failed to open nodir/out.ign: open nodir/out.ign: no such file or "
                     b"directory\n")


def test_directory_as_output(cwd: Path) -> None:
    (cwd / "d").mkdir()
    r = run_cli(["-o", "d"], stdin=GOOD)
    assert r.rc == 1 and r.err == b"failed to open d: open d: is a directory\n"


def test_write_failure_is_a_write_failed_error(cwd: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", _enospc)
    with pytest.raises(output.WriteFailed) as e:
        output.write_atomic("x", b"data")
    assert e.value.errno == errno.ENOSPC


def test_symlinked_output_writes_through_the_link(cwd: Path) -> None:
    (cwd / "real.ign").write_bytes(OLD)
    os.symlink("real.ign", cwd / "link.ign")
    assert run_cli(["-o", "link.ign"], stdin=GOOD).rc == 0
    assert os.path.islink(cwd / "link.ign")
    assert (cwd / "real.ign").read_bytes() == WANT


def test_device_output_is_written_not_replaced() -> None:
    before = os.stat("/dev/null")
    assert run_cli(["-o", "/dev/null"], stdin=GOOD).rc == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_fifo_output_is_written_not_replaced(cwd: Path) -> None:
    os.mkfifo(cwd / "pipe")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append((cwd / "pipe").read_bytes()))
    reader.start()
    try:
        assert run_cli(["-o", "pipe"], stdin=GOOD).rc == 0
    finally:
        reader.join(10)
    assert got == [WANT]
    assert stat.S_ISFIFO(os.stat(cwd / "pipe").st_mode)


def test_temporary_file_is_new_private_and_never_a_followed_link(
        cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = iter([b"\x01" * 6, b"\x01" * 6, b"\x02" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(names))
    fd, name = output._create_temp(str(cwd))
    os.close(fd)
    assert name == str(cwd / ".butane-py-010101010101")
    assert os.stat(name).st_mode & 0o777 == 0o600
    os.unlink(name)
    os.symlink("elsewhere", name)  # the same name again, now a dangling link: skipped
    fd2, name2 = output._create_temp(str(cwd))
    os.close(fd2)
    assert name2 == str(cwd / ".butane-py-020202020202") and not (cwd / "elsewhere").exists()


def test_output_does_not_load_tempfile(cwd: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from butane_py.cli.output import write_atomic; write_atomic('o', b'x');"
            "print('tempfile' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True)
    assert out.stdout.strip() == "False" and (cwd / "o").read_bytes() == b"x"


BIG = ("variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n"
       + "".join(f"    - path: /f{i}é€😀\n      contents:\n        inline: x\n"
                 for i in range(40)))


@pytest.mark.parametrize("to_file", [False, True])
def test_output_written_in_pieces_is_the_whole_output(cwd: Path, monkeypatch: pytest.MonkeyPatch,
                                                      to_file: bool) -> None:
    """Pieces split multi-byte characters' neighbours at every offset; the bytes
    written are exactly the output and its newline."""
    from butane_py import translate
    from butane_py.cli import common

    expected = (translate(BIG).output or "") + "\n"
    monkeypatch.setattr(common, "_CHUNK", 7)
    r = run_cli(["-o", "out.ign"] if to_file else [], stdin=BIG.encode())
    assert r.rc == 0
    written = (cwd / "out.ign").read_bytes() if to_file else r.out
    assert written == expected.encode("utf-8") and len(list(common.rendered_chunks(
        translate(BIG)))) > 100
