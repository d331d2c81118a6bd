"""Per-object local-file sugar (v0_5+): systemd unit and dropin
`contents_local`, and `ssh_authorized_keys_local` of users.

Each function takes one decoded Butane object, its translated Ignition object
(mutated), the TranslationSet and the entry list; paths are relative to the
object unless the `fp`/`tp` prefixes (input/output path of the object) are
given.  The `*_hook` wrappers fit the base walker's hook signature.
"""

from __future__ import annotations

import re

from .. import messages as msg
from ..paths import Path
from ..report import ERROR, Entry
from ..translation import TranslationSet
from .local_files import LocalFileError, read_local

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any, TypeAlias


Obj: TypeAlias = "dict[str, Any]"

_LINE_BREAK = re.compile(rb"\r?\n")


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def contents_local(data: Obj, out: Obj, ts: TranslationSet, entries: list[Entry],
                   files_dir: str | None, fp: Path = (), tp: Path = ()) -> None:
    """A non-empty `contents_local` replaces `contents` with the file's text."""
    local = data.get("contents_local")
    if not local:
        return
    try:
        contents = read_local(local, files_dir)
    except LocalFileError as e:
        entries.append(Entry(ERROR, str(e), fp + ("contents_local",)))
        return
    ts.add(fp + ("contents_local",), tp + ("contents",))
    out["contents"] = _text(contents)


def ssh_keys_local(data: Obj, out: Obj, ts: TranslationSet, entries: list[Entry],
                   files_dir: str | None, fp: Path = (), tp: Path = ()) -> None:
    """Each file's non-empty lines (split on `\\r?\\n`) become keys after the
    inline ones; a failed read is reported at its index and the rest go on."""
    files: list[str] = data.get("ssh_authorized_keys_local") or []
    if not files:
        return
    src = fp + ("ssh_authorized_keys_local",)
    ts.add(src, tp + ("sshAuthorizedKeys",))
    if not files_dir:
        entries.append(Entry(ERROR, msg.NO_FILES_DIR, src))
        return
    keys: list[str] | None = out.get("sshAuthorizedKeys")
    for i, local in enumerate(files):
        try:
            raw = read_local(local, files_dir)
        except LocalFileError as e:
            entries.append(Entry(ERROR, str(e), src + (i,)))
            continue
        for line in _LINE_BREAK.split(raw):
            if not line:
                continue
            if keys is None:
                keys = out["sshAuthorizedKeys"] = []
            ts.add(src + (i,), tp + ("sshAuthorizedKeys", len(keys)))
            keys.append(_text(line))
