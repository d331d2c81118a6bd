"""`systemd.quadlets` (v0_8_exp): podman quadlet files under
/etc/containers/systemd[/users], their dropins, and template instances as
symlinks to their template.  Runs after trees, with a fresh node tracker;
every output node maps back to `$.systemd.quadlets.N`.
"""

from __future__ import annotations

from .. import messages as msg
from ..ignition import gopath
from ..paths import Path
from ..report import ERROR, Entry
from ..translation import TranslationSet
from .local_files import LocalFileError, read_local
from .nodes import NodeTracker, Obj, add_common_source, ignition_type
from .trees import MakeDataUrl

_ROOTFUL_DIR = "/etc/containers/systemd"
_USER_DIR = "/etc/containers/systemd/users"
_BASE = 8  # quadlets exist in v0_8_exp only


def quadlet_path(rootful: bool, name: str) -> str:
    return gopath.join(_ROOTFUL_DIR if rootful else _USER_DIR, name)


def template_of(name: str) -> str | None:
    """The template (`foo@.container`) of a template instance
    (`foo@100.container`), or None if `name` is not an instance."""
    at = name.find("@")
    if at == -1:
        return None
    dot = name.rfind(".")
    if dot == -1 or at + 1 == dot:
        return None
    return f"{name[:at]}@.{name[dot + 1:]}"


class _Quadlets:
    __slots__ = ("ts", "entries", "tracker", "files_dir", "make_data_url", "auto_compress")

    def __init__(self, ign: Obj, ts: TranslationSet, entries: list[Entry], files_dir: str | None,
                 make_data_url: MakeDataUrl, auto_compress: bool) -> None:
        self.ts = ts
        self.entries = entries
        self.tracker = NodeTracker(ign)
        self.files_dir = files_dir
        self.make_data_url = make_data_url
        self.auto_compress = auto_compress

    def taken(self, dest: str, at: Path) -> bool:
        """Quadlets never reuse a node: anything at `dest` is an error."""
        if self.tracker.exists(dest):
            self.entries.append(Entry(ERROR, msg.NODE_EXISTS, at))
            return True
        return False

    def add(self, kind: str, node: Obj, at: Path) -> Path:
        i = self.tracker.add(kind, node)
        prefix: Path = ("storage", kind, i)
        if i == 0:
            self.ts.add(at, ("storage", kind))
        add_common_source(self.ts, at, prefix, node, ignition_type(_BASE, "storage", kind))
        self.ts.add(at + ("name",), prefix + ("path",))
        return prefix

    def link(self, dest: str, target: str, at: Path) -> None:
        if self.taken(dest, at):
            return
        prefix = self.add("links", {"path": dest, "target": target}, at)
        self.ts.add(at, prefix + ("target",))

    def file(self, obj: Obj, dest: str, at: Path) -> None:
        """A quadlet or dropin file from `contents_local` or `contents`."""
        if self.taken(dest, at):
            return
        node: Obj = {"path": dest}
        prefix = self.add("files", node, at)
        data = b""
        source: Path = ()  # the reference records an empty path when neither is set
        local = obj.get("contents_local")
        if local:
            source = at + ("contents_local",)
            try:
                data = read_local(local, self.files_dir)
            except LocalFileError as e:
                self.entries.append(Entry(ERROR, str(e), source))
                return
        inline = obj.get("contents")
        if inline:
            source = at + ("contents",)
            data = inline.encode("utf-8", "surrogateescape")
        url, compression = self.make_data_url(data, None, self.auto_compress)
        contents: Obj = {"source": url}
        node["contents"] = contents
        self.ts.add(source, prefix + ("contents", "source"))
        if compression is not None:
            contents["compression"] = compression
            self.ts.add(at, prefix + ("contents", "compression"))
        self.ts.add(source, prefix + ("contents",))
        node["mode"] = 0o644
        self.ts.add(at, prefix + ("mode",))


def process_quadlets(cfg: Obj, ign: Obj, ts: TranslationSet, entries: list[Entry],
                     files_dir: str | None, make_data_url: MakeDataUrl,
                     auto_compress: bool = True) -> None:
    """Add the quadlet files and links to `ign` (mutated), their translations
    to `ts` and any errors to `entries` (YAML paths)."""
    quadlets: list[Obj] = (cfg.get("systemd") or {}).get("quadlets") or []
    if not quadlets:
        return
    q = _Quadlets(ign, ts, entries, files_dir, make_data_url, auto_compress)
    ts.add(("systemd", "quadlets"), ("storage",))
    for n, quadlet in enumerate(quadlets):
        at: Path = ("systemd", "quadlets", n)
        name = quadlet.get("name", "")
        dest = quadlet_path(bool(quadlet.get("rootful")), name)
        template = template_of(name)
        if template is not None:
            q.link(dest, template, at)
        else:
            q.file(quadlet, dest, at)
        for i, dropin in enumerate(quadlet.get("dropins") or []):
            # the dropin name is appended as is (not cleaned)
            q.file(dropin, dest + ".d/" + dropin.get("name", ""), at + ("dropins", i))
