"""contents_local and ssh_authorized_keys_local (fcos-*/local-ssh-keys-and-units,
errors/ssh-keys-local-*)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_desugar_trees import errors

from butane_py.desugar.units_local import contents_local, ssh_keys_local
from butane_py.report import Entry
from butane_py.translation import TranslationSet

NO_DIR = ("local file paths are relative to a files directory that must be specified with "
          "-d/--files-dir")


@pytest.fixture
def fd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    files = tmp_path / "files"
    (files / "keys").mkdir(parents=True)
    (files / "keys" / "team.pub").write_bytes(
        b"ssh-ed25519 AAAAteamkey1 alice@team\n\nssh-rsa AAAAteamkey2 bob@team\n")
    (files / "keys" / "crlf.pub").write_bytes(
        b"ssh-ed25519 AAAAcrlf1 carol@win\r\nssh-ed25519 AAAAcrlf2 dave@win\r\n  \r\n")
    (files / "keys" / "empty.pub").write_bytes(b"\n\r\n")
    (files / "backup.service").write_text("[Unit]\nDescription=x\n")
    return files


def test_ssh_keys(fd: Path) -> None:
    data = {"ssh_authorized_keys": ["inline"],
            "ssh_authorized_keys_local": ["keys/team.pub", "keys/crlf.pub"]}
    out = {"name": "core", "sshAuthorizedKeys": ["inline"]}
    ts, entries = TranslationSet(), list[Entry]()
    ssh_keys_local(data, out, ts, entries, "files")
    assert entries == []
    assert out["sshAuthorizedKeys"] == [
        "inline", "ssh-ed25519 AAAAteamkey1 alice@team", "ssh-rsa AAAAteamkey2 bob@team",
        "ssh-ed25519 AAAAcrlf1 carol@win", "ssh-ed25519 AAAAcrlf2 dave@win", "  "]
    src = ("ssh_authorized_keys_local",)
    assert ts.map == {
        ("sshAuthorizedKeys",): src,
        ("sshAuthorizedKeys", 1): src + (0,), ("sshAuthorizedKeys", 2): src + (0,),
        ("sshAuthorizedKeys", 3): src + (1,), ("sshAuthorizedKeys", 4): src + (1,),
        ("sshAuthorizedKeys", 5): src + (1,)}


def test_ssh_keys_prefixed_and_errors(fd: Path) -> None:
    data = {"ssh_authorized_keys_local": ["keys/gone.pub", "keys/empty.pub", "keys/team.pub"]}
    out: dict[str, object] = {"name": "core"}
    ts, entries = TranslationSet(), list[Entry]()
    ssh_keys_local(data, out, ts, entries, "files", ("passwd", "users", 0), ("passwd", "users", 0))
    assert errors(entries) == [("error", ("passwd", "users", 0, "ssh_authorized_keys_local", 0),
                                "open files/keys/gone.pub: no such file or directory")]
    assert out["sshAuthorizedKeys"] == ["ssh-ed25519 AAAAteamkey1 alice@team",
                                        "ssh-rsa AAAAteamkey2 bob@team"]
    assert ts.map[("passwd", "users", 0, "sshAuthorizedKeys", 0)] == (
        "passwd", "users", 0, "ssh_authorized_keys_local", 2)


def test_ssh_keys_without_files_dir(fd: Path) -> None:
    out: dict[str, object] = {}
    ts, entries = TranslationSet(), list[Entry]()
    ssh_keys_local({"ssh_authorized_keys_local": ["keys/team.pub"]}, out, ts, entries, None)
    assert errors(entries) == [("error", ("ssh_authorized_keys_local",), NO_DIR)]
    assert out == {} and ts.map == {("sshAuthorizedKeys",): ("ssh_authorized_keys_local",)}


def test_empty_files_leave_keys_unset(fd: Path) -> None:
    out: dict[str, object] = {}
    ssh_keys_local({"ssh_authorized_keys_local": ["keys/empty.pub"]}, out, TranslationSet(), [],
                   "files")
    assert out == {}


def test_contents_local(fd: Path) -> None:
    out: dict[str, object] = {"name": "backup.service"}
    ts, entries = TranslationSet(), list[Entry]()
    contents_local({"contents_local": "backup.service"}, out, ts, entries, "files")
    assert entries == [] and out["contents"] == "[Unit]\nDescription=x\n"
    assert ts.map == {("contents",): ("contents_local",)}
    # empty: a no-op
    out = {"contents": "kept"}
    contents_local({"contents_local": "", "contents": "kept"}, out, ts, entries, None)
    assert out == {"contents": "kept"} and entries == []


def test_contents_local_errors(fd: Path) -> None:
    entries: list[Entry] = []
    contents_local({"contents_local": "x"}, {}, TranslationSet(), entries, None, ("a",), ("b",))
    contents_local({"contents_local": "../x"}, {}, TranslationSet(), entries, "files")
    assert errors(entries) == [
        ("error", ("a", "contents_local"), NO_DIR),
        ("error", ("contents_local",), "local file path traverses outside the files directory")]
