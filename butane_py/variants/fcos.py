"""The fcos layer over the base translation: `boot_device` and `grub`
checks and sugar, and the partition warnings over the output disks.

fcos 1.0-1.2 add only the reserved-label warning; 1.3 adds boot_device and
the root-size warnings; 1.5 grub users and LUKS discard; 1.6 the s390x
layouts, CEX, the LUKS device and the config-wide checks; 1.7 makes a mirror
without layout an error and requires a LUKS method when a device is given.
The generated configs (`boot_device_config`, `grub_config`) are merged as
parents under the user's config, boot_device first and grub last (so grub's
entries come first); openshift reuses all of this through `desugar_fcos`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import messages as msg
from ..ignition.merge import merge_translated
from ..paths import Path
from ..report import ERROR, WARNING, Entry
from ..translation import TranslationSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

MakeDataURL = Callable[[bytes, str | None, bool], tuple[str, str | None]]
Generated: TypeAlias = "tuple[dict[str, Any], TranslationSet]"


# Ignition spec minor emitted by fcos 1.0 ... 1.8
IGN_MINOR = (0, 1, 2, 2, 3, 4, 5, 6, 7)

BOOT_DISK = "/dev/disk/by-id/coreos-boot-disk"
# the device each s390x layout names: this prefix and one more letter a-z
_LUKS_DEVICE_PREFIX = {"s390x-eckd": "/dev/dasd", "s390x-zfcp": "/dev/sd"}
_LEGACY_LAYOUTS = ("aarch64", "ppc64le", "x86_64")
_S390X_LAYOUTS = ("s390x-eckd", "s390x-virt", "s390x-zfcp")

# partition label prefix, size (MiB), type GUID
PartSpec = tuple[str, int | None, str | None]
_BIOS: PartSpec = ("bios", 1, "21686148-6449-6E6F-744E-656564454649")
_RESERVED: PartSpec = ("reserved", 1, "8DA63339-0007-60C0-C436-083AC8230908")
_PREP: PartSpec = ("prep", 4, "9E1A2D38-C612-4316-AA26-8B49521E5A8B")
_ESP: PartSpec = ("esp", 127, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
_COMMON_PARTS: tuple[PartSpec, ...] = (("boot", 384, None), ("root", None, None))
# the first two partitions of each mirrored disk (s390x layouts cannot mirror)
LAYOUTS: dict[str, tuple[PartSpec, PartSpec]] = {
    "x86_64": (_BIOS, _ESP),
    "aarch64": (_RESERVED, _ESP),
    "ppc64le": (_PREP, _RESERVED),
    **{name: (_RESERVED, _RESERVED) for name in _S390X_LAYOUTS},
}
# partition labels that must keep their number on a reused disk
_RESERVED_NUMBERS = {"BIOS-BOOT": 1, "PowerPC-PReP-boot": 1, "EFI-SYSTEM": 2, "boot": 3, "root": 4}

_BD: Path = ("boot_device",)
_LUKS: Path = _BD + ("luks",)
_MIRROR: Path = _BD + ("mirror",)
_LAYOUT: Path = _BD + ("layout",)
_GRUB_USERS: Path = ("grub", "users")


def _sub(d: dict[str, Any] | None, key: str) -> dict[str, Any]:
    got = (d or {}).get(key)
    return got if isinstance(got, dict) else {}


def _boot_device(cfg: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    bd = _sub(cfg, "boot_device")
    return bd, _sub(bd, "luks"), list(_sub(bd, "mirror").get("devices") or [])


def _cex_enabled(luks: dict[str, Any]) -> bool:
    return _sub(luks, "cex").get("enabled") is True


# --------------------------------------------------------------------------------------
# validation (step 5)


def _under_etc_or_var(path: str) -> bool:
    return path[:4] in ("/etc", "/var") and path[4:5] in ("", "/")


def _names_device(device: str, prefix: str) -> bool:
    """`device` ends with `prefix` and one letter a-z."""
    return device[-1:].isascii() and device[-1:].islower() and device[:-1].endswith(prefix)


def _config_checks(cfg: dict[str, Any]) -> list[Entry]:
    """fcos 1.6+ checks on the whole config (shadowed by openshift 4.19+)."""
    out: list[Entry] = []
    mirrored = set(_boot_device(cfg)[2])
    storage = _sub(cfg, "storage")
    for i, disk in enumerate(storage.get("disks") or ()):
        device = disk.get("device") or ""
        if device == BOOT_DISK or disk.get("wipe_table") is True or device in mirrored:
            continue
        for p, part in enumerate(disk.get("partitions") or ()):
            if not part.get("number") and part.get("label") is not None:
                out.append(Entry(WARNING, msg.REUSE_BY_LABEL,
                                 ("storage", "disks", i, "partitions", p, "number")))
    for i, fs in enumerate(storage.get("filesystems") or ()):
        path = fs.get("path")
        if path is not None and not _under_etc_or_var(path) and fs.get("with_mount_unit") is True:
            out.append(Entry(ERROR, msg.MOUNT_POINT_FORBIDDEN, ("storage", "filesystems", i, "path")))
    return out


def _boot_device_checks(cfg: dict[str, Any], fcos_minor: int) -> list[Entry]:
    out: list[Entry] = []

    def add(kind: str, path: Path, message: str) -> None:
        out.append(Entry(kind, message, path))

    bd, luks, devices = _boot_device(cfg)
    layout = bd.get("layout")
    too_few = len(devices) == 1
    if devices and layout is None:
        add(ERROR if fcos_minor >= 7 else WARNING, _MIRROR, msg.MIRROR_REQUIRES_LAYOUT)
    if layout is not None and fcos_minor < 6:
        if layout not in _LEGACY_LAYOUTS:
            add(ERROR, _LAYOUT, msg.UNKNOWN_LAYOUT_LEGACY)
    elif layout is not None:
        name_prefix = _LUKS_DEVICE_PREFIX.get(layout)
        device = luks.get("device")
        if name_prefix is not None and not device:
            add(ERROR, _LAYOUT, msg.NO_LUKS_BOOT_DEVICE)
        elif name_prefix is not None and not _names_device(device or "", name_prefix):
            add(ERROR, _LAYOUT, msg.LUKS_BOOT_DEVICE_BAD_NAME)
        elif layout not in _LEGACY_LAYOUTS + _S390X_LAYOUTS:
            add(ERROR, _LAYOUT, msg.UNKNOWN_LAYOUT)
        if layout.startswith("s390x") and devices:
            add(ERROR, _LAYOUT, msg.MIRROR_NOT_SUPPORTED)
    if fcos_minor >= 6 and _cex_enabled(luks):
        if layout is None:
            add(ERROR, _LUKS + ("cex",), msg.CEX_ARCH_MISMATCH)
        elif not layout.startswith("s390x"):
            add(ERROR, _LAYOUT, msg.CEX_ARCH_MISMATCH)
        if luks.get("tang") or luks.get("tpm2") is True:
            add(ERROR, _LUKS, msg.CEX_WITH_CLEVIS)
    if too_few:  # boot_device's own check of its mirror ...
        add(ERROR, _MIRROR + ("devices",), msg.TOO_FEW_MIRROR_DEVICES)
    if fcos_minor >= 7 and luks.get("device"):
        tang_set = any(t.get("url") or t.get("thumbprint") is not None
                       or t.get("advertisement") is not None for t in luks.get("tang") or ())
        if not (tang_set or luks.get("tpm2") is True or _cex_enabled(luks)):
            add(ERROR, _LUKS + ("luks",), msg.NO_LUKS_METHOD)
    if too_few:  # ... and the walk's visit of the mirror itself
        add(ERROR, _MIRROR + ("devices",), msg.TOO_FEW_MIRROR_DEVICES)
    return out


def _grub_checks(cfg: dict[str, Any]) -> list[Entry]:
    out: list[Entry] = []
    for i, user in enumerate(_sub(cfg, "grub").get("users") or ()):
        if not user.get("name"):
            out.append(Entry(ERROR, msg.GRUB_USER_NAME_REQUIRED, _GRUB_USERS + (i, "name")))
        if not user.get("password_hash"):
            out.append(Entry(ERROR, msg.GRUB_PASSWORD_REQUIRED, _GRUB_USERS + (i, "password_hash")))
    return out


def validate_fcos(cfg: dict[str, Any], fcos_minor: int, base_entries: Sequence[Entry] = (),
                  *, config_level: bool = True) -> list[Entry]:
    """The fcos Butane checks (YAML paths) in the reference's walk order: the
    config-wide checks (fcos 1.6+; openshift 4.19+ shadows them, so it passes
    `config_level=False`), then `base_entries` (the base layer's checks, which
    the reference reaches next), then boot_device (1.3+) and grub (1.5+)."""
    out: list[Entry] = []
    if fcos_minor >= 6 and config_level:
        out += _config_checks(cfg)
    out += base_entries
    if fcos_minor >= 3:
        out += _boot_device_checks(cfg, fcos_minor)
    if fcos_minor >= 5:
        out += _grub_checks(cfg)
    return out


# --------------------------------------------------------------------------------------
# generated configs


def _filesystem(device: str, fmt: str, label: str) -> dict[str, Any]:
    return {"device": device, "format": fmt, "label": label, "wipeFilesystem": True}


def _partition(spec: PartSpec, n: int) -> dict[str, Any]:
    prefix, size, guid = spec
    part: dict[str, Any] = {"label": f"{prefix}-{n}"}
    if size is not None:
        part["sizeMiB"] = size
    if guid is not None:
        part["typeGuid"] = guid
    return part


def _clevis(luks: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[Path, Path]]]:
    """The clevis section copied from boot_device.luks, with its translations
    as (output path, input path) relative to clevis and boot_device.luks."""
    clevis: dict[str, Any] = {}
    pairs: list[tuple[Path, Path]] = [((), ())]
    tang = luks.get("tang")
    if tang is not None:
        items = []
        for i, t in enumerate(tang):
            item = {k: t[k] for k in ("advertisement", "thumbprint", "url") if t.get(k) is not None}
            # pointers are recorded when set, the url always, the item when not zero
            pointers = [k for k in ("advertisement", "thumbprint") if k in item]
            for k in (*pointers, "url"):
                pairs.append((("tang", i, k), ("tang", i, k)))
            if pointers or item.get("url"):
                pairs.append((("tang", i), ("tang", i)))
            items.append(item)
        clevis["tang"] = items
        pairs.append((("tang",), ("tang",)))
    for key in ("threshold", "tpm2"):
        if luks.get(key) is not None:
            clevis[key] = luks[key]
            pairs.append(((key,), (key,)))
    return clevis, pairs


def boot_device_config(cfg: dict[str, Any], fcos_minor: int) -> Generated | None:
    """The config `boot_device` renders (spec 5.9) and its TranslationSet, or
    None when neither LUKS nor a mirror is asked for."""
    bd, luks, devices = _boot_device(cfg)
    cex = fcos_minor >= 6 and _cex_enabled(luks)
    want_luks = luks.get("tpm2") is True or bool(luks.get("tang")) or cex
    if not (want_luks or devices):
        return None
    layout = bd.get("layout") or "x86_64"
    ts = TranslationSet()
    storage: dict[str, Any] = {}
    disks: list[dict[str, Any]] = []
    filesystems: list[dict[str, Any]] = []

    def add_filesystem(src: Path, fs: dict[str, Any]) -> None:
        ts.add_tree(src, ("storage", "filesystems", len(filesystems)), fs)
        filesystems.append(fs)

    if devices:
        first_parts = LAYOUTS[layout]
        for i, device in enumerate(devices):
            n = i + 1
            disk = {"device": device,
                    "partitions": [_partition(s, n) for s in first_parts + _COMMON_PARTS],
                    "wipeTable": True}
            ts.add_tree(_MIRROR + ("devices", i), ("storage", "disks", i), disk)
            disks.append(disk)
            if _ESP in first_parts:
                add_filesystem(_MIRROR + ("devices", i),
                               _filesystem(f"/dev/disk/by-partlabel/esp-{n}", "vfat", f"esp-{n}"))
        ts.add(_MIRROR + ("devices",), ("storage", "disks"))
        storage["disks"] = disks

        def members(prefix: str) -> list[str]:
            return [f"/dev/disk/by-partlabel/{prefix}-{n}" for n in range(1, len(devices) + 1)]

        raid = [{"devices": members("boot"), "level": "raid1", "name": "md-boot",
                 "options": ["--metadata=1.0"]},
                {"devices": members("root"), "level": "raid1", "name": "md-root"}]
        ts.add_tree(_MIRROR, ("storage", "raid"), raid)
        add_filesystem(_MIRROR, _filesystem("/dev/md/md-boot", "ext4", "boot"))
        storage["raid"] = raid

    if want_luks:
        storage["luks"] = [_luks_entry(luks, layout, bool(devices), cex, fcos_minor, ts)]

    add_filesystem(_BD, _filesystem("/dev/mapper/root" if want_luks else "/dev/md/md-root",
                                    "xfs", "root"))
    ts.add(_BD, ("storage", "filesystems"))
    storage["filesystems"] = filesystems
    ts.add(_BD, ("storage",))
    return {"storage": storage}, ts


def _luks_entry(luks: dict[str, Any], layout: str, mirrored: bool, cex: bool, fcos_minor: int,
                ts: TranslationSet) -> dict[str, Any]:
    suffix = {"s390x-eckd": "2", "s390x-zfcp": "4"}.get(layout)
    if suffix is not None:
        device = (luks.get("device") or "") + suffix
    else:
        device = "/dev/md/md-root" if mirrored else "/dev/disk/by-partlabel/root"
    out: Path = ("storage", "luks", 0)
    entry: dict[str, Any] = {}
    if cex:
        entry["cex"] = {"enabled": True}
        # the reference records the enabled flag at boot_device.luks.enabled (sic)
        pairs: list[tuple[Path, Path]] = [(("cex",), ()), (("cex", "enabled"), ("enabled",))]
    else:
        clevis, rel = _clevis(luks)
        entry["clevis"] = clevis
        pairs = [(("clevis",) + to, frm) for to, frm in rel]
    for to, frm in pairs:
        ts.add(_LUKS + frm, out + to)
    entry["device"] = device
    if fcos_minor >= 5:
        if luks.get("discard") is not None:
            entry["discard"] = luks["discard"]
        ts.add(_LUKS + ("discard",), out + ("discard",))
    entry.update(label="luks-root", name="root", wipeVolume=True)
    for f in ("device", "label", "name", "wipeVolume"):
        ts.add(_LUKS, out + (f,))
    ts.add(_LUKS, out)
    ts.add(_LUKS, ("storage", "luks"))
    return entry


def grub_user_cfg(users: Sequence[dict[str, Any]]) -> str:
    """Contents of /boot/grub2/user.cfg for the grub users."""
    names = " ".join(u.get("name") or "" for u in users)
    commands = "\n".join(f"password_pbkdf2 {u.get('name') or ''} {u.get('password_hash') or ''}"
                         for u in users)
    return f'# Generated by Butane\n\nset superusers="{names}"\n{commands}\n'


def grub_config(cfg: dict[str, Any], make_data_url: MakeDataURL, auto_compress: bool
                ) -> Generated | None:
    """The config `grub.users` renders (spec 5.10) and its TranslationSet,
    or None without users."""
    users = _sub(cfg, "grub").get("users") or []
    if not users:
        return None
    url, compression = make_data_url(grub_user_cfg(users).encode(), None, auto_compress)
    resource: dict[str, Any] = {"source": url}
    if compression is not None:
        resource["compression"] = compression
    storage = {"files": [{"path": "/boot/grub2/user.cfg", "append": [resource]}],
               "filesystems": [{"device": "/dev/disk/by-label/boot", "format": "ext4",
                                "path": "/boot"}]}
    ts = TranslationSet()
    ts.add_tree(_GRUB_USERS, ("storage",), storage)
    return {"storage": storage}, ts


# --------------------------------------------------------------------------------------
# partition warnings over the output


def partition_warnings(ign: dict[str, Any], root_checks: bool) -> list[Entry]:
    """Warnings (JSON paths) about the output disks: the root partition's size
    (fcos 1.3+, `root_checks`) and reserved labels at other numbers."""
    out: list[Entry] = []
    for i, disk in enumerate(_sub(ign, "storage").get("disks") or ()):
        parts = disk.get("partitions") or []
        for p, part in enumerate(parts):
            label = part.get("label")
            if label is None:
                continue
            at: Path = ("storage", "disks", i, "partitions", p)
            if root_checks and label == "root":
                size = part.get("sizeMiB")
                if not size:
                    if any(not other.get("startMiB") for q, other in enumerate(parts) if q != p):
                        out.append(Entry(WARNING, msg.ROOT_CONSTRAINED, at + ("label",), tag="json"))
                elif size < 8192:
                    # the reference names this field in snake case
                    out.append(Entry(WARNING, msg.ROOT_TOO_SMALL, at + ("size_mib",), tag="json"))
            number = part.get("number") or 0
            if disk.get("wipeTable") is not True and _RESERVED_NUMBERS.get(label, number) != number:
                out.append(Entry(WARNING, msg.WRONG_PARTITION_NUMBER, at + ("label",), tag="json"))
    return out


def desugar_fcos(cfg: dict[str, Any], ign: dict[str, Any], ts: TranslationSet, fcos_minor: int,
                 make_data_url: MakeDataURL, auto_compress: bool
                 ) -> tuple[dict[str, Any], TranslationSet, list[Entry]]:
    """The fcos post-processing of the base translation: boot_device merged
    under the user's config, the partition warnings, then grub merged under
    both (fcos 1.5+ always merge here, which also rebuilds the
    TranslationSet through the merge transcript)."""
    minor = IGN_MINOR[fcos_minor]
    if fcos_minor >= 3:
        generated = boot_device_config(cfg, fcos_minor)
        if generated is not None:
            ign, ts = merge_translated(*generated, ign, ts, minor)
    entries = partition_warnings(ign, fcos_minor >= 3)
    if fcos_minor >= 5:
        grub = grub_config(cfg, make_data_url, auto_compress) or ({}, TranslationSet())
        ign, ts = merge_translated(*grub, ign, ts, minor)
    return ign, ts, entries
