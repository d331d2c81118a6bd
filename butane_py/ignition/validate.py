"""Ignition semantic validation (pipeline step 9) of an output config, per spec version.

``cfg`` is shaped like the Ignition JSON (camelCase keys).  A missing key and a zero value of
a non-pointer Go field are the same thing; for a pointer field, a present non-null key means
non-nil (even when the value is ``""``/``0``/``false``).

Entries come out in the reference's order: the Go validator walks the typed config in struct
field order, running each struct's own checks before descending into its fields.
"""

from __future__ import annotations

from . import gopath
from .duplicates import duplicates
from .schema import MAX_VERSIONS, spec_minor
from .systemd_unit import parse_unit_error
from .urls import ERR_INVALID_SCHEME, ERR_INVALID_URL, HEX_DIGITS, scheme_of, url_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable
    from typing import Any

    Obj = dict[str, Any]

__all__ = ["ChildCheck", "Diag", "check_child_config", "duplicates", "validate", "validate_minor"]

Diag = tuple[str, tuple[str | int, ...], str]
Path = tuple[str | int, ...]


class ChildCheck:
    """Result of :func:`check_child_config` (see :mod:`butane_py.ignition.child`)."""

    __slots__ = ("entries", "not_valid", "version_mismatch")

    def __init__(self, entries: list[Diag], not_valid: bool, version_mismatch: bool) -> None:
        self.entries = entries
        self.not_valid = not_valid
        self.version_mismatch = version_mismatch

_EMPTY: dict[str, Any] = {}
# compiled on first use (re's cache), not at start-up
_INSTANCE_UNIT = r"(.+?)@(.+?)\.service"


_GUID_DASHES = (8, 13, 18, 23)


def _is_guid(text: str) -> bool:
    """Empty, or 8-4-4-4-12 hex digits (Ignition's GUID syntax)."""
    if not text:
        return True
    return (len(text) == 36 and all(text[i] == "-" for i in _GUID_DASHES)
            and HEX_DIGITS.issuperset(text.replace("-", "")) and text.count("-") == 4)


def _fullmatch(pattern: str, text: str) -> re.Match[str] | None:
    import re  # few configs need it: not loaded at start-up

    return re.fullmatch(pattern, text)
_UNIT_EXTS = frozenset(
    ".service .socket .device .mount .automount .swap .target .path .timer .snapshot .slice"
    " .scope".split()
)
_RAID_LEVELS_NO_SPARES = frozenset(("linear", "raid0", "0", "stripe"))
_RAID_LEVELS = _RAID_LEVELS_NO_SPARES | frozenset(
    ("raid1", "1", "mirror", "raid4", "4", "raid5", "5", "raid6", "6", "raid10", "10")
)
_FS_LABEL_MAX = {"ext4": 16, "btrfs": 256, "xfs": 12, "swap": 15, "vfat": 11}
_FS_LABEL_ERR = "filesystem labels cannot be longer than {} characters when using {}"
_SYSTEMD_DIR = "/etc/systemd/system/"


# --- field access helpers (Go zero values / pointer semantics) -----------------------------


def _obj(d: Obj, key: str) -> Obj:
    """A struct-valued field (missing/null -> zero struct)."""
    v = d.get(key)
    return v if isinstance(v, dict) else _EMPTY


def _list(d: Obj, key: str) -> list[Any]:
    v = d.get(key)
    return v if isinstance(v, list) else []


def _str(d: Obj, key: str) -> str:
    """A non-pointer string field."""
    v = d.get(key)
    return v if isinstance(v, str) else ""


def _int(d: Obj, key: str) -> int:
    v = d.get(key)
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


def _ptr(d: Obj, key: str) -> Any:
    """A pointer field: None when nil."""
    return d.get(key)


def _not_empty(d: Obj, key: str) -> bool:
    v = d.get(key)
    return v is not None and v != ""


def _nil_or_empty(d: Obj, key: str) -> bool:
    return not _not_empty(d, key)


def _is_true(d: Obj, key: str) -> bool:
    return d.get(key) is True


def _is_false(d: Obj, key: str) -> bool:
    return d.get(key) is False


def _nonzero_int_ptr(d: Obj, key: str) -> bool:
    v = d.get(key)
    return v is not None and v != 0


def _go_len(s: str) -> int:
    """Go ``len`` of a string: its UTF-8 byte count."""
    return len(s.encode("utf-8", "surrogatepass")) if not s.isascii() else len(s)


def validate_path(p: str) -> str | None:
    if p == "":
        return "path not specified"
    if not p.startswith("/"):
        return "path not absolute"
    if gopath.clean(p) != p:
        return "path is not fully simplified"
    return None


def _parse_version(v: str) -> tuple[int, int, int, str, str] | None:
    return gopath.parse_semver(v)


class _Validator:
    def __init__(self, minor: int, check_version: bool) -> None:
        self.minor = minor
        self.check_version = check_version
        self.out: list[Diag] = []

    # reporting
    def err(self, path: Path, msg: str | None) -> None:
        if msg is not None:
            self.out.append(("error", path, msg))

    def warn(self, path: Path, msg: str | None) -> None:
        if msg is not None:
            self.out.append(("warning", path, msg))

    def each(self, items: list[Any], base: Path, fn: Callable[[Obj, Path], None]) -> None:
        for i, item in enumerate(items):
            fn(item if isinstance(item, dict) else _EMPTY, (*base, i))

    # --- top level ------------------------------------------------------------------------

    def config(self, cfg: Obj) -> None:
        storage = _obj(cfg, "storage")
        self.path_conflicts(storage, _obj(cfg, "systemd"))
        self.ignition(_obj(cfg, "ignition"), cfg)
        self.storage(storage)
        self.systemd(_obj(cfg, "systemd"))

    def path_conflicts(self, storage: Obj, systemd: Obj) -> None:
        unit_paths: set[str] = set()
        for unit in _list(systemd, "units"):
            unit = unit if isinstance(unit, dict) else _EMPTY
            name = _str(unit, "name")
            if _not_empty(unit, "contents"):
                unit_paths.add(_SYSTEMD_DIR + name)
            for dropin in _list(unit, "dropins"):
                if isinstance(dropin, dict) and _not_empty(dropin, "contents"):
                    unit_paths.add(_SYSTEMD_DIR + name + ".d/" + _str(dropin, "name"))
        if not unit_paths:
            return
        for kind in ("files", "directories", "links"):
            for i, node in enumerate(_list(storage, kind)):
                if isinstance(node, dict) and _str(node, "path") in unit_paths:
                    self.err(("storage", kind, i, "path"), "path conflicts with systemd unit or dropin")

    def ignition(self, ign: Obj, cfg: Obj) -> None:
        base: Path = ("ignition",)
        if self.check_version:
            parsed = _parse_version(_str(ign, "version"))
            if parsed is None:
                self.err((*base, "version"), "invalid config version (couldn't parse)")
            elif parsed != MAX_VERSIONS[self.minor]:
                self.err((*base, "version"), "unsupported config version")
        config = _obj(ign, "config")
        cbase: Path = (*base, "config")
        merge = _list(config, "merge")
        if self.minor == 0:
            self.each(merge, (*cbase, "merge"), self.config_reference)
            self.config_reference(_obj(config, "replace"), (*cbase, "replace"))
        else:
            for i, res in enumerate(merge):
                self.err((*cbase, "merge", i), self.required_source(res))
            self.each(merge, (*cbase, "merge"), self.resource)
            self.resource(_obj(config, "replace"), (*cbase, "replace"))
            self.proxy(_obj(ign, "proxy"), (*base, "proxy"))
        tls = _obj(_obj(ign, "security"), "tls")
        tbase: Path = (*base, "security", "tls", "certificateAuthorities")
        cas = _list(tls, "certificateAuthorities")
        if self.minor == 0:
            self.each(cas, tbase, self.ca_reference)
        else:
            for i, ca in enumerate(cas):
                self.err((*tbase, i), self.required_source(ca))
            self.each(cas, tbase, self.resource)

    # --- resources ------------------------------------------------------------------------

    def url_nil_ok(self, d: Obj) -> str | None:
        src = _ptr(d, "source")
        if src is None or src == "":
            return None
        return url_error(src, self.minor)

    def required_source(self, res: Any) -> str | None:
        res = res if isinstance(res, dict) else _EMPTY
        if _nil_or_empty(res, "source"):
            return "source is required"
        return url_error(res["source"], self.minor)

    def resource(self, res: Obj, path: Path) -> None:
        """Resource (3.1+) and FileContents (3.0): compression, hash without source, the
        source URL, HTTP headers, verification, in one pass (every file has one)."""
        comp = res.get("compression")
        if comp is not None and comp != "" and comp != "gzip":
            self.err((*path, "compression"), "invalid compression method")
        ver = res.get("verification")
        hash_spec = ver.get("hash") if isinstance(ver, dict) else None
        src = res.get("source")
        if hash_spec is not None and src is None:
            self.err(
                (*path, "verification", "hash"),
                "source must be specified if verification is specified",
            )
        if src is not None and src != "":
            msg = url_error(src, self.minor)
            if msg is not None:
                self.out.append(("error", (*path, "source"), msg))
        if self.minor >= 1:
            headers = res.get("httpHeaders")
            if isinstance(headers, list) and headers:
                self.err((*path, "httpHeaders"), self.headers_scheme(res))
                self.each(headers, (*path, "httpHeaders"), self.http_header)
        if hash_spec is not None:
            self.hash(hash_spec, (*path, "verification", "hash"))

    def headers_scheme(self, res: Obj) -> str | None:
        if _nil_or_empty(res, "source"):
            return ERR_INVALID_URL
        scheme = scheme_of(res["source"])
        if scheme is None:
            return ERR_INVALID_URL
        if scheme in ("http", "https"):
            return None
        return "cannot use HTTP headers with this source scheme"

    def http_header(self, h: Obj, path: Path) -> None:
        if _str(h, "name") == "":
            self.err((*path, "name"), "HTTP header name can't be empty")
        if _ptr(h, "value") == "":
            self.err((*path, "value"), "unable to parse HTTP header")

    def config_reference(self, ref: Obj, path: Path) -> None:
        self.err((*path, "source"), self.url_nil_ok(ref))
        self.verification(_obj(ref, "verification"), (*path, "verification"))

    def ca_reference(self, ca: Obj, path: Path) -> None:
        self.err((*path, "source"), url_error(_str(ca, "source"), self.minor))
        self.verification(_obj(ca, "verification"), (*path, "verification"))

    def verification(self, ver: Obj, path: Path) -> None:
        hash_spec = _ptr(ver, "hash")
        if hash_spec is not None:
            self.hash(hash_spec, (*path, "hash"))

    def hash(self, hash_spec: Any, path: Path) -> None:
        function, dash, digest = str(hash_spec).partition("-")
        if not dash:
            self.err(path, "malformed hash specifier")
            return
        if function == "sha512":
            size = 128
        elif function == "sha256" and self.minor >= 1:
            size = 64
        else:
            self.err(path, "unrecognized hash function")
            return
        if _go_len(digest) != size:
            self.err(path, "incorrect size for hash sum")

    def proxy(self, proxy: Obj, path: Path) -> None:
        for key, http_ok in (("httpProxy", True), ("httpsProxy", False)):
            value = _ptr(proxy, key)
            if value is None:
                continue
            scheme = scheme_of(value)
            if scheme is None:
                self.err((*path, key), ERR_INVALID_URL)
            elif scheme not in ("http", "https"):
                self.err((*path, key), "proxies must be http(s)")
            elif scheme == "http" and not http_ok:
                self.warn(
                    (*path, key), "insecure plaintext HTTP proxy specified for HTTPS resources"
                )

    # --- storage ----------------------------------------------------------------------------

    def storage(self, st: Obj) -> None:
        base: Path = ("storage",)
        dirs = _list(st, "directories")
        files = _list(st, "files")
        links = _list(st, "links")
        # link path -> how many links have it (each one reports)
        link_paths: dict[str, int] = {}
        for lk in links:
            if isinstance(lk, dict):
                lp = _str(lk, "path")
                link_paths[lp] = link_paths.get(lp, 0) + 1
        if link_paths:
            self.nodes_under_links(dirs, link_paths, (*base, "directories"),
                                   "directory path includes link in config")
            self.nodes_under_links(files, link_paths, (*base, "files"),
                                   "file path includes link in config")
        self.links(links, link_paths, dirs, base)
        self.fs_vs_disks(st, base)
        self.each(dirs, (*base, "directories"), self.directory)
        self.each(_list(st, "disks"), (*base, "disks"), self.disk)
        self.each(files, (*base, "files"), self.file)
        self.each(_list(st, "filesystems"), (*base, "filesystems"), self.filesystem)
        self.each(links, (*base, "links"), self.link)
        if self.minor >= 2:
            self.each(_list(st, "luks"), (*base, "luks"), self.luks)
        self.each(_list(st, "raid"), (*base, "raid"), self.raid)

    def nodes_under_links(self, nodes: list[Any], link_paths: dict[str, int], base: Path,
                          msg: str) -> None:
        for i, node in enumerate(nodes):
            p = _str(node, "path") if isinstance(node, dict) else ""
            for _ in range(_links_above(p, link_paths)):
                self.err((*base, i), msg)

    def links(self, links: list[Any], link_paths: dict[str, int], dirs: list[Any],
              base: Path) -> None:
        dir_paths: dict[str, int] | None = None
        for i, link in enumerate(links):
            link = link if isinstance(link, dict) else _EMPTY
            lpath = _str(link, "path")
            lbase: Path = (*base, "links", i)
            for _ in range(_links_above(lpath, link_paths)):
                self.err(lbase, "link path includes link in config")
            if self.minor >= 3:
                if _nil_or_empty(link, "target"):
                    self.err((*lbase, "target"), "link target is required")
                    continue
                target_raw: str = link["target"]
            else:
                target_raw = _str(link, "target")
            if not _is_true(link, "hard"):
                continue
            target = gopath.clean(target_raw)
            if not gopath.is_abs(target):
                target = gopath.join(lpath, target_raw)
            if dir_paths is None:
                dir_paths = {}
                for d in dirs:
                    dp = _str(d, "path") if isinstance(d, dict) else ""
                    dir_paths[dp] = dir_paths.get(dp, 0) + 1
            for _ in range(dir_paths.get(target, 0)):
                self.err(lbase, "hard link target is a directory")
            for owner in ("user", "group"):
                od = _obj(link, owner)
                for key in ("id", "name"):
                    if _ptr(od, key) is not None:
                        self.warn((*lbase, owner, key), "user/group ignored for hard link")

    def fs_vs_disks(self, st: Obj, base: Path) -> None:
        disks: dict[str, Obj] = {}
        for d in _list(st, "disks"):
            if isinstance(d, dict):
                disks[_str(d, "device")] = d
        if not disks:
            return
        for i, fs in enumerate(_list(st, "filesystems")):
            fs = fs if isinstance(fs, dict) else _EMPTY
            disk = disks.get(_str(fs, "device"))
            if disk is None:
                continue
            where = (*base, "filesystems", i, "device")
            if _list(disk, "partitions"):
                self.warn(where, "filesystem overwrites partitioned device")
            elif not _is_true(fs, "wipeFilesystem") and _is_true(disk, "wipeTable"):
                self.warn(where, "device matches disk with wipeTable enabled; filesystem will be wiped")

    def mode(self, node: Obj, path: Path) -> None:
        mode = node.get("mode")
        if mode is None or not isinstance(mode, int):
            return
        if 0 <= mode <= 0o7777 and (self.minor > 5 or not mode & 0o7000):
            return  # the usual modes: nothing to report
        if mode < 0 or mode > 0o7777:
            self.err((*path, "mode"), "illegal file mode")
        if self.minor <= 5 and (mode & 0xFFFFFFFF) & 0o7000:
            self.warn(
                (*path, "mode"),
                "setuid/setgid/sticky bits are not supported or functional in spec versions"
                " older than 3.6.0",
            )

    def node_owner(self, node: Obj, path: Path) -> None:
        """NodeGroup / NodeUser checks (visited as children: group first, then user)."""
        for owner in ("group", "user"):
            od = node.get(owner)
            if isinstance(od, dict) and od.get("id") is not None and _not_empty(od, "name"):
                self.err((*path, owner), "cannot set both id and name")

    def node_path(self, node: Obj, path: Path) -> None:
        p = node.get("path")
        msg = validate_path(p if isinstance(p, str) else "")
        if msg is not None:
            self.out.append(("error", (*path, "path"), msg))

    def directory(self, d: Obj, path: Path) -> None:
        self.node_path(d, path)
        self.mode(d, path)
        self.node_owner(d, path)

    def file(self, f: Obj, path: Path) -> None:
        self.node_path(f, path)
        self.mode(f, path)
        contents = f.get("contents")
        if not isinstance(contents, dict):
            contents = _EMPTY
        if f.get("overwrite") is True and contents.get("source") is None:
            self.err((*path, "overwrite"), "overwrite must be false if source is unspecified")
        self.node_owner(f, path)
        append = f.get("append")
        if isinstance(append, list) and append:
            self.each(append, (*path, "append"), self.resource)
        self.resource(contents, (*path, "contents"))

    def link(self, lk: Obj, path: Path) -> None:
        self.node_path(lk, path)
        self.node_owner(lk, path)

    def disk(self, d: Obj, path: Path) -> None:
        device = _str(d, "device")
        parts = [p if isinstance(p, dict) else _EMPTY for p in _list(d, "partitions")]
        ppath: Path = (*path, "partitions")
        if device == "":
            self.err((*path, "device"), "disk device is required")
        else:
            self.err((*path, "device"), validate_path(device))
            self.partition_checks(parts, ppath)
        self.each(parts, ppath, self.partition)

    def partition_checks(self, parts: list[Obj], ppath: Path) -> None:
        by_number: dict[int, list[int]] = {}
        for i, p in enumerate(parts):
            n = _int(p, "number")
            if n != 0:
                by_number.setdefault(n, []).append(i)
        for idxs in by_number.values():
            if len(idxs) > 1:
                self.err((*ppath, idxs[1]), "partition numbers collide")
                break
        overlap = _overlap_index(parts)
        if overlap is not None:
            self.err((*ppath, overlap), "partitions overlap")
        if any(_is_false(p, "shouldExist") for p in parts) and any(
            _int(p, "number") == 0 for p in parts
        ):
            self.err(ppath, "shouldExist is false for a partition and other partition(s) has start or size 0")
        seen: set[str] = set()
        for i, p in enumerate(parts):
            label = _ptr(p, "label")
            if label is None:
                continue
            if label in seen:
                self.err((*ppath, i), "cannot use the same partition label twice")
                break
            seen.add(label)

    def partition(self, p: Obj, path: Path) -> None:
        label = _ptr(p, "label")
        if _is_false(p, "shouldExist") and (
            label is not None
            or _not_empty(p, "typeGuid")
            or _not_empty(p, "guid")
            or _ptr(p, "startMiB") is not None
            or _ptr(p, "sizeMiB") is not None
        ):
            self.err(path, "shouldExist specified false with other options also specified")
        if _int(p, "number") == 0 and label is None:
            self.err(path, "a partition number >= 1 or a label must be specified")
        if label is not None:
            if _go_len(label) > 36:
                self.err((*path, "label"), "partition labels may not exceed 36 characters")
            elif ":" in label:
                self.err((*path, "label"), "partition label will be truncated to text before the colon")
        for key in ("guid", "typeGuid"):
            guid = _ptr(p, key)
            if guid is not None and not _is_guid(guid):
                self.err((*path, key), 'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"')

    def filesystem(self, fs: Obj, path: Path) -> None:
        p = _ptr(fs, "path")
        if p is not None and p != "":
            self.err((*path, "path"), validate_path(p))
        self.err((*path, "device"), validate_path(_str(fs, "device")))
        fmt = _ptr(fs, "format")
        if fmt is None or fmt == "":
            if (
                _not_empty(fs, "path")
                or _not_empty(fs, "label")
                or _not_empty(fs, "uuid")
                or _is_true(fs, "wipeFilesystem")
                or (self.minor >= 1 and _list(fs, "mountOptions"))
                or _list(fs, "options")
            ):
                self.err(
                    (*path, "format"),
                    "format cannot be empty when path, label, uuid, wipeFilesystem, options,"
                    " or mountOptions is specified",
                )
        elif fmt not in _FS_LABEL_MAX and not (fmt == "none" and self.minor >= 3):
            self.err((*path, "format"), "invalid filesystem format")
        label = _ptr(fs, "label")
        if label is None or label == "":
            return
        if fmt is None or fmt == "":
            self.err((*path, "label"), "filesystem must specify format if label is specified")
            return
        limit = _FS_LABEL_MAX.get(fmt)
        if limit is not None and _go_len(label) > limit:
            self.err((*path, "label"), _FS_LABEL_ERR.format(limit, fmt))

    def luks(self, lk: Obj, path: Path) -> None:
        if "/" in _str(lk, "name"):
            self.err((*path, "name"), "device names cannot contain slashes")
        label = _ptr(lk, "label")
        if label is not None and label != "" and _go_len(label) > 47:
            self.err((*path, "label"), "luks device labels cannot be longer than 47 characters")
        if _nil_or_empty(lk, "device"):
            self.err((*path, "device"), "disk device is required")
        else:
            self.err((*path, "device"), validate_path(lk["device"]))
        clevis_present = lk.get("clevis") is not None
        clevis = _obj(lk, "clevis")
        custom = _obj(clevis, "custom")
        others = (
            bool(_list(clevis, "tang"))
            or _is_true(clevis, "tpm2")
            or _nonzero_int_ptr(clevis, "threshold")
        )
        if self.minor == 2:
            custom_set = clevis_present and clevis.get("custom") is not None
        else:
            custom_set = _not_empty(custom, "pin")
        if custom_set and others:
            self.err((*path, "clevis"), "cannot use custom clevis config with tpm2, tang, or threshold")
        key_file = _obj(lk, "keyFile")
        if self.url_nil_ok(key_file) is not None:
            self.err((*path, "keys"), "invalid key-file source")
        if self.minor >= 5 and _is_true(_obj(lk, "cex"), "enabled"):
            if _not_empty(custom, "pin") or others:
                self.err((*path, "cex"), "cannot use cex with clevis")
            if _not_empty(key_file, "source"):
                self.err((*path, "cex"), "cannot use key file with cex")
        # children: cex (no checks), clevis, ..., keyFile
        cpath: Path = (*path, "clevis")
        if self.minor == 2:
            if clevis_present and clevis.get("custom") is not None:
                self.custom_v32(custom, (*cpath, "custom"))
        else:
            self.clevis_custom(custom, (*cpath, "custom"))
        if self.minor >= 3 or clevis_present:
            self.each(_list(clevis, "tang"), (*cpath, "tang"), self.tang)
        self.resource(key_file, (*path, "keyFile"))

    def custom_v32(self, cu: Obj, path: Path) -> None:
        pin = _str(cu, "pin")
        config = _str(cu, "config")
        if pin == "" and config == "":
            return
        if pin not in ("tpm2", "tang", "sss"):
            self.err((*path, "pin"), "unsupported clevis pin")
        if config == "":
            self.err((*path, "config"), "missing required custom clevis config")

    def clevis_custom(self, cu: Obj, path: Path) -> None:
        if _nil_or_empty(cu, "pin") and _nil_or_empty(cu, "config") and not _is_true(
            cu, "needsNetwork"
        ):
            return
        if _not_empty(cu, "pin"):
            if self.minor <= 5 and cu["pin"] not in ("tpm2", "tang", "sss"):
                self.err((*path, "pin"), "unsupported clevis pin")
        else:
            self.err((*path, "pin"), "missing required custom clevis pin")
        if _nil_or_empty(cu, "config"):
            self.err((*path, "config"), "missing required custom clevis config")

    def tang(self, t: Obj, path: Path) -> None:
        scheme = scheme_of(_str(t, "url"))
        if scheme is None:
            self.err((*path, "url"), ERR_INVALID_URL)
        elif scheme not in ("http", "https"):
            self.err((*path, "url"), ERR_INVALID_SCHEME)
        if _nil_or_empty(t, "thumbprint"):
            self.err((*path, "thumbprint"), "thumbprint is required")
        if self.minor >= 4 and _not_empty(t, "advertisement") and not _json_valid(t["advertisement"]):
            self.err((*path, "advertisement"), "advertisement is not valid JSON")

    def raid(self, r: Obj, path: Path) -> None:
        self.err((*path, "level"), self.raid_level(r))
        devices = _list(r, "devices")
        if not devices:
            self.err((*path, "devices"), "raid devices required")
        for j, dev in enumerate(devices):
            self.err((*path, "devices", j), validate_path(dev if isinstance(dev, str) else ""))

    def raid_level(self, r: Obj) -> str | None:
        level = _ptr(r, "level")
        if self.minor >= 3 and (level is None or level == ""):
            return "raid level is required"
        level = level if isinstance(level, str) else ""
        if level not in _RAID_LEVELS:
            return "unrecognized raid level"
        if level in _RAID_LEVELS_NO_SPARES and _nonzero_int_ptr(r, "spares"):
            return "spares unsupported for linear and raid0 arrays"
        return None

    # --- systemd ----------------------------------------------------------------------------

    def systemd(self, sd: Obj) -> None:
        units = [u if isinstance(u, dict) else _EMPTY for u in _list(sd, "units")]
        if not units:
            return
        by_name = {_str(u, "name"): u for u in units}

        def parsed(unit: Obj) -> tuple[list[str] | None, str | None]:
            return parse_unit_error(unit.get("contents"))

        for i, unit in enumerate(units):
            if unit.get("enabled") is not True or "@" not in _str(unit, "name"):
                continue
            m = _fullmatch(_INSTANCE_UNIT, _str(unit, "name"))
            if m is None:
                continue
            template_name = m.group(1) + "@.service"
            template = by_name.get(template_name)
            if template is None or not _not_empty(template, "contents"):
                continue
            sections, error = parsed(template)
            if error is not None or sections is None:
                continue
            if "Install" not in sections:
                from .goquote import go_quote

                self.warn(
                    ("systemd", "units", i, "contents"),
                    f"template unit {go_quote(template_name)} for {go_quote(_str(unit, 'name'))}"
                    " doesn't have Install section",
                )
        for i, unit in enumerate(units):
            upath: Path = ("systemd", "units", i)
            name = _str(unit, "name")
            if gopath.ext(name) not in _UNIT_EXTS:
                self.err((*upath, "name"), "invalid systemd unit extension")
            sections, error = parsed(unit)
            self.err((*upath, "contents"), error)
            if (
                _is_true(unit, "enabled")
                and _not_empty(unit, "contents")
                and sections is not None
                and "Install" not in sections
            ):
                from .goquote import go_quote

                self.warn(
                    (*upath, "contents"),
                    f"unit {go_quote(name)} is enabled, but has no install section so enable"
                    " does nothing",
                )
            for j, dropin in enumerate(_list(unit, "dropins")):
                dropin = dropin if isinstance(dropin, dict) else _EMPTY
                dpath: Path = (*upath, "dropins", j)
                self.err((*dpath, "contents"), parsed(dropin)[1])
                if gopath.ext(_str(dropin, "name")) != ".conf":
                    self.err((*dpath, "name"), "invalid systemd drop-in extension")


def _links_above(p: str, link_paths: dict[str, int]) -> int:
    """How many links have a path that, with "/" added, begins ``p``: a look-up per
    "/" of ``p`` instead of a comparison per link."""
    n = 0
    k = p.find("/")
    while k >= 0:
        n += link_paths.get(p[:k], 0)
        k = p.find("/", k + 1)
    return n


def _overlap_index(parts: list[Obj]) -> int | None:
    """Index reported by Ignition's partitionsOverlap, or None."""
    placed: list[tuple[int, int, int]] = []  # (index, start, end)
    for i, p in enumerate(parts):
        start = _ptr(p, "startMiB")
        size = _ptr(p, "sizeMiB")
        if start is None or size is None or start == 0:
            continue
        end = start if size == 0 else start + size - 1
        placed.append((i, start, end))
    for pi, ps, pe in placed:
        for oi, os_, oe in placed:
            if oi == pi:
                continue
            if os_ <= ps <= oe or os_ <= pe <= oe or (ps < os_ and pe > oe):
                return oi
    return None


def validate_minor(cfg: Obj, minor: int, check_version: bool = True) -> list[Diag]:
    v = _Validator(minor, check_version)
    v.config(cfg)
    return v.out


def validate(cfg: dict[str, Any], version: str) -> list[Diag]:
    """Ignition semantic validation of ``cfg`` for spec ``version`` (e.g. "3.4.0").

    ``ignition.version`` is checked against ``version`` only when the key is present (the
    Butane output always carries it; an inline child config is checked by
    :func:`butane_py.ignition.child.check_child_config`).
    """
    minor = spec_minor(version)
    ign = cfg.get("ignition")
    check = isinstance(ign, dict) and "version" in ign
    return validate_minor(cfg, minor, check)


def check_child_config(text: str, target_version: str) -> ChildCheck:
    """Inline child config check (spec 6.4); implemented in :mod:`butane_py.ignition.child`."""
    from .child import check_child_config as check

    return check(text, target_version)


def _json_valid(text: str) -> bool:
    from .gojson import json_valid  # only tang advertisements need the Go JSON reader

    return json_valid(text)
