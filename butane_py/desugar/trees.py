"""`storage.trees` (v0_2+): every file, symlink and (v0_7+, on request)
directory under a local directory becomes an output node.

Runs after the field copy and the mount units.  Existing nodes are reused
only when they carry no contents (files) or no target (links); anything else
at a tree path is `matching filesystem node has existing contents or
different type`.  All errors sit at `$.storage.trees.N` and the walk goes on
after each one.
"""

from __future__ import annotations

import stat as _stat
from collections.abc import Callable

from .. import messages as msg
from ..ignition import gopath
from ..limits import get as get_limit
from ..paths import Path
from ..records import NamedTuple
from ..report import ERROR, Entry
from ..schema import Type
from ..translation import TranslationSet
from .local_files import LocalFileError, ensure_within, read_file, readlink, stat, walk
from .nodes import NodeTracker, Obj, add_common_source, ignition_type

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MakeDataUrl = Callable[[bytes, str | None, bool], tuple[str, str | None]]


class _Tree(NamedTuple):
    """One tree being walked, with what every node it adds shares."""

    path: Path  # ("storage", "trees", N)
    dest_base: str
    owner: Obj  # {"user": {...}, "group": {...}} for new nodes (v0_7+), may be empty
    file_mode: int | None
    dir_mode: int | None
    make_dirs: bool


class _Walker:
    __slots__ = ("ts", "entries", "tracker", "make_data_url", "auto_compress", "types",
                 "max_bytes")

    def __init__(self, ign: Obj, ts: TranslationSet, entries: list[Entry], base: int,
                 make_data_url: MakeDataUrl, auto_compress: bool) -> None:
        self.ts = ts
        self.entries = entries
        self.tracker = NodeTracker(ign)
        self.make_data_url = make_data_url
        self.auto_compress = auto_compress
        self.max_bytes = get_limit("max_local_file_bytes")  # once, not per file
        self.types: dict[str, Type] = {
            kind: ignition_type(base, "storage", kind) for kind in ("files", "directories", "links")
        }

    def error(self, tree: _Tree, message: str) -> None:
        self.entries.append(Entry(ERROR, message, tree.path))

    def new_node(self, tree: _Tree, kind: str, node: Obj) -> int:
        """Append a node to the output and record its common source."""
        node.update((k, dict(v)) for k, v in tree.owner.items())
        i = self.tracker.add(kind, node)
        add_common_source(self.ts, tree.path, ("storage", kind, i), node, self.types[kind])
        if i == 0:
            self.ts.add(tree.path, ("storage", kind))
        return i

    def reusable(self, tree: _Tree, kind: str, dest: str, filled: str) -> tuple[int, Obj] | None:
        """An existing node of `kind` at `dest` without `filled` contents, or
        a new one; None (after reporting) if something else is there."""
        found = self.tracker.get(kind, dest)
        if found is not None:
            if _not_empty(found[1], filled):
                self.error(tree, msg.NODE_EXISTS)
                return None
            return found
        if self.tracker.exists(dest):
            self.error(tree, msg.NODE_EXISTS)
            return None
        node: Obj = {"path": dest}
        return self.new_node(tree, kind, node), node

    def directory(self, tree: _Tree, dest: str) -> None:
        if not tree.make_dirs:
            return
        if self.tracker.exists(dest):
            self.error(tree, msg.NODE_EXISTS)
            return
        mode = tree.dir_mode if tree.dir_mode is not None else 0o755
        self.new_node(tree, "directories", {"path": dest, "mode": mode})

    def file(self, tree: _Tree, src: str, dest: str, exec_bits: bool) -> None:
        found = self.reusable(tree, "files", dest, "contents.source")
        if found is None:
            return
        i, node = found
        try:
            data = read_file(src, follow=False, limit=self.max_bytes)
        except LocalFileError as e:
            self.error(tree, str(e))
            return
        contents = node.setdefault("contents", {})
        url, compression = self.make_data_url(data, contents.get("compression"), self.auto_compress)
        prefix = ("storage", "files", i)
        add = self.ts.add
        contents["source"] = url
        add(tree.path, prefix + ("contents", "source"))
        if compression is not None:
            contents["compression"] = compression
            add(tree.path, prefix + ("contents", "compression"))
        add(tree.path, prefix + ("contents",))
        if node.get("mode") is None:
            mode = 0o755 if exec_bits else 0o644
            if tree.file_mode is not None:
                mode = tree.file_mode
            node["mode"] = mode
            add(tree.path, prefix + ("mode",))

    def link(self, tree: _Tree, src: str, dest: str) -> None:
        found = self.reusable(tree, "links", dest, "target")
        if found is None:
            return
        i, node = found
        try:
            target = readlink(src)
        except LocalFileError as e:
            self.error(tree, str(e))
            return
        node["target"] = target
        self.ts.add(tree.path, ("storage", "links", i, "target"))

    def walk(self, tree: _Tree, src_base: str) -> None:
        for src, rel, st, err in walk(src_base):
            if err is not None or st is None:
                self.error(tree, err or "")
                continue
            dest = _below(tree.dest_base, rel)
            mode = st.st_mode
            if _stat.S_ISDIR(mode):
                self.directory(tree, dest)
            elif _stat.S_ISREG(mode):
                self.file(tree, src, dest, bool(mode & 0o111))
            elif _stat.S_ISLNK(mode):
                self.link(tree, src, dest)
            else:
                self.error(tree, msg.FILE_TYPE)


def _below(dest_base: str, rel: str) -> str:
    """Go `path.Join(dest_base, rel)` for a clean `dest_base` and a `rel` made of
    directory entry names (never empty, "." or ".."): nothing left to clean."""
    if rel == ".":
        return dest_base
    if dest_base == "/":
        return "/" + rel
    if dest_base == ".":
        return rel
    return dest_base + "/" + rel


def _not_empty(node: Obj, dotted: str) -> bool:
    """Go `util.NotEmpty` on a (possibly nested) string field."""
    value: Any = node
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return bool(value)


def _owner(tree: Obj) -> Obj:
    """`user`/`group` of new nodes: the tree's members that are set."""
    out: Obj = {}
    for key in ("user", "group"):
        members = {k: v for k, v in (tree.get(key) or {}).items() if k in ("id", "name")}
        if members:
            out[key] = members
    return out


def process_trees(cfg: Obj, ign: Obj, ts: TranslationSet, entries: list[Entry],
                  files_dir: str | None, base: int, make_data_url: MakeDataUrl,
                  auto_compress: bool = True) -> None:
    """Add the nodes of `storage.trees` to `ign` (mutated), their translations
    to `ts` and any errors to `entries` (YAML paths)."""
    trees = (cfg.get("storage") or {}).get("trees") or []
    if not trees:
        return
    walker = _Walker(ign, ts, entries, base, make_data_url, auto_compress)
    for n, tree in enumerate(trees):
        path: Path = ("storage", "trees", n)
        if not files_dir:
            entries.append(Entry(ERROR, msg.NO_FILES_DIR, path))
            return
        src_base = gopath.join(files_dir, tree.get("local") or "")
        try:
            ensure_within(src_base, files_dir)
            is_dir = _stat.S_ISDIR(stat(src_base).st_mode)
        except LocalFileError as e:
            entries.append(Entry(ERROR, str(e), path))
            continue
        if not is_dir:
            entries.append(Entry(ERROR, msg.TREE_NOT_DIRECTORY, path))
            continue
        owner = _owner(tree) if base >= 7 else {}
        dir_mode = tree.get("dir_mode") if base >= 7 else None
        file_mode = tree.get("file_mode") if base >= 7 else None
        walker.walk(_Tree(path, gopath.clean(tree.get("path") or "/"), owner, file_mode, dir_mode,
                          base >= 7 and (dir_mode is not None or bool(owner))), src_base)
