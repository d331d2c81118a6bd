"""JSON Schemas of Butane input, one per variant and spec version, for editors
(yaml-language-server) and for checking configs before translation.

The schemas are generated from the type declarations in schema.py, so they
name exactly the keys the reference takes for that version; unknown keys are
rejected (`additionalProperties: false`), as the reference's unused-key
warning would flag them.  They are JSON Schema draft-07, the draft that
yaml-language-server (and SchemaStore) support best.

Values are typed as the reference decodes them: a string field takes any
scalar (`name: 1000` is the string "1000" there), an int field takes any
integer (YAML 1.1 octal `0644` included), a bool field takes true/false and
the YAML 1.1 words (`yes`, `on`, ...); a null anywhere leaves the field
unset, as in the reference.  Where the reference accepts a fixed set of
values (layouts, filesystem formats, compression, RAID levels, kernel types)
the schema has an enum; where it requires a field it is listed in `required`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import Spec
    from .schema import Type

DRAFT = "http://json-schema.org/draft-07/schema#"
CATALOG_SCHEMA = "https://json.schemastore.org/schema-catalog.json"
COMBINED = "butane.json"
FILE_MATCH = ["*.bu", "*.butane", "*.butane.yaml", "*.butane.yml"]

Schema = dict[str, Any]

# --------------------------------------------------------------------------------------
# Descriptions: "Struct.field" first, then "field" alone.

_NODE_PATH = "Absolute path of the node."
_LOCAL = "Path of a local file, relative to the directory given with -d/--files-dir."

DESCRIPTIONS: dict[str, str] = {
    # the config
    "variant": "The variant this config is for.",
    "version": "The Butane spec version of this config.",
    "Config.ignition": "Settings of Ignition itself: configs to merge, proxy, TLS, timeouts.",
    "Config.kernel_arguments": "Kernel arguments to add to or remove from the kernel command line.",
    "passwd": "Users and groups to create or modify.",
    "storage": "Disks, partitions, RAID arrays, LUKS volumes, filesystems, files, directories "
               "and links.",
    "systemd": "systemd units and Podman Quadlets.",
    "boot_device": "Boot disk setup: LUKS encryption of the root filesystem and mirroring of "
                   "the boot disk.",
    "grub": "GRUB bootloader settings.",
    "metadata": "Metadata of the generated MachineConfig.",
    "openshift": "OpenShift settings of the generated MachineConfig.",
    # ignition
    "Ignition.config": "Other Ignition configs to merge into this one, or to replace it.",
    "proxy": "HTTP proxies used when fetching remote resources.",
    "security": "Security settings for fetching remote resources.",
    "timeouts": "Timeouts for fetching remote resources.",
    "merge": "Configs merged into this one, in order.",
    "replace": "A config that replaces this one.",
    "http_proxy": "Proxy URL for http requests.",
    "https_proxy": "Proxy URL for https requests.",
    "no_proxy": "Hosts reached without a proxy.",
    "tls": "TLS settings.",
    "certificate_authorities": "Extra certificate authorities trusted for HTTPS fetches.",
    "http_response_headers": "Seconds to wait for the response headers of an HTTP request.",
    "http_total": "Seconds an HTTP fetch may take in all, retries included (0: no limit).",
    # resources
    "source": "URL of the contents: http, https, tftp, s3, gs, arn or a data URL.",
    "inline": "The contents, written inline.",
    "local": _LOCAL + " Its contents are embedded.",
    "compression": 'Compression of the contents at `source`: "gzip", or empty for none.',
    "http_headers": "HTTP headers sent when fetching `source`.",
    "HTTPHeader.name": "Header name.",
    "HTTPHeader.value": "Header value.",
    "verification": "How to verify the fetched contents.",
    "hash": "Hash of the contents as type-value, for example sha512-<hex> or sha256-<hex>.",
    # kernel arguments
    "should_exist": "Whether it should exist; false removes it.",
    "KernelArguments.should_exist": "Kernel arguments that must be present.",
    "KernelArguments.should_not_exist": "Kernel arguments that must be absent.",
    # passwd
    "users": "Users to create or modify.",
    "groups": "Groups to create or modify.",
    "PasswdUser.groups": "Supplementary groups of the user.",
    "PasswdUser.name": "User name.",
    "PasswdGroup.name": "Group name.",
    "gid": "Group ID.",
    "uid": "User ID.",
    "gecos": "GECOS field of the user (full name and comments).",
    "home_dir": "Home directory of the user.",
    "no_create_home": "Whether not to create the home directory.",
    "no_log_init": "Whether not to add the user to the lastlog and faillog databases.",
    "no_user_group": "Whether not to create a group named after the user.",
    "password_hash": "Password hash (crypt(3) format, for example from mkpasswd).",
    "primary_group": "Primary group of the user.",
    "ssh_authorized_keys": "SSH public keys added to the user's authorized keys.",
    "ssh_authorized_keys_local": "Files of SSH public keys to add, relative to the directory "
                                 "given with -d/--files-dir.",
    "shell": "Login shell of the user.",
    "system": "Whether it is a system account (taken from the system ID range).",
    # storage
    "directories": "Directories to create.",
    "disks": "Disks to partition.",
    "files": "Files to write.",
    "filesystems": "Filesystems to create or mount.",
    "links": "Links to create.",
    "Storage.luks": "LUKS-encrypted volumes.",
    "raid": "Software RAID arrays.",
    "trees": "Directory trees under -d/--files-dir copied into the target filesystem.",
    "path": _NODE_PATH,
    "overwrite": "Whether to replace an existing node at the path.",
    "user": "Owner of the node.",
    "group": "Group of the node.",
    "NodeUser.id": "User ID of the owner.",
    "NodeUser.name": "User name of the owner.",
    "NodeGroup.id": "Group ID of the group.",
    "NodeGroup.name": "Group name of the group.",
    "mode": "Permission bits, in octal (for example 0644).",
    "Directory.mode": "Permission bits, in octal (for example 0755).",
    "contents": "Contents of the file.",
    "append": "Contents appended to the file.",
    "target": "Path the link points to.",
    "hard": "Whether it is a hard link (default: a symbolic link).",
    "Tree.local": "Directory to copy, relative to the directory given with -d/--files-dir.",
    "Tree.path": "Absolute path the tree is copied to (default: /).",
    "Tree.user": "Owner of the copied files and directories.",
    "Tree.group": "Group of the copied files and directories.",
    "file_mode": "Permission bits of the copied files, in octal (default 0644, or 0755 for "
                 "executables).",
    "dir_mode": "Permission bits of the copied directories, in octal (default 0755).",
    "Disk.device": "Absolute path of the disk device.",
    "partitions": "Partitions of the disk.",
    "wipe_table": "Whether to wipe the partition table before partitioning.",
    "guid": "Unique GUID of the partition.",
    "Partition.label": "Partition label.",
    "number": "Partition number (0: the next free one).",
    "resize": "Whether an existing partition may be resized to match.",
    "Partition.should_exist": "Whether the partition should exist; false deletes it.",
    "size_mib": "Size in MiB (0: as large as possible).",
    "start_mib": "Start in MiB (0: as early as possible).",
    "type_guid": "Partition type GUID.",
    "wipe_partition_entry": "Whether a partition that does not match may be deleted.",
    "Filesystem.device": "Absolute path of the device holding the filesystem.",
    "format": "Filesystem type.",
    "Filesystem.label": "Filesystem label.",
    "mount_options": "Options used when mounting the filesystem.",
    "Filesystem.options": "Extra options for mkfs.",
    "Filesystem.path": "Mount point of the filesystem.",
    "Filesystem.uuid": "Filesystem UUID.",
    "wipe_filesystem": "Whether to wipe an existing filesystem first.",
    "with_mount_unit": "Whether to generate a systemd mount unit for the filesystem.",
    "Luks.name": "Name of the LUKS volume (it opens as /dev/mapper/<name>).",
    "Luks.device": "Absolute path of the device to encrypt.",
    "key_file": "Key of the volume (default: a random key, usable with clevis).",
    "Luks.label": "Label of the LUKS volume.",
    "Luks.uuid": "UUID of the LUKS volume.",
    "Luks.options": "Extra options for cryptsetup luksFormat.",
    "open_options": "Extra options for cryptsetup luksOpen.",
    "wipe_volume": "Whether to wipe an existing volume first.",
    "clevis": "Clevis bindings that unlock the volume at boot.",
    "discard": "Whether to allow discards (TRIM) through the encryption.",
    "cex": "IBM Crypto Express (CEX) card binding (s390x).",
    "enabled": "Whether it is enabled.",
    "tang": "Tang servers to bind to.",
    "tpm2": "Whether to bind to the TPM2 chip.",
    "threshold": "How many of the bindings must succeed to unlock.",
    "custom": "A custom Clevis pin.",
    "pin": "Clevis pin: tpm2, tang or sss.",
    "config": "Clevis configuration (JSON).",
    "needs_network": "Whether the pin needs the network to unlock.",
    "url": "URL of the Tang server.",
    "thumbprint": "Thumbprint of a trusted signing key of the Tang server.",
    "advertisement": "The Tang server's advertisement (JSON), so it is not fetched at first boot.",
    "Raid.name": "Name of the array (it appears as /dev/md/<name>).",
    "level": "RAID level.",
    "Raid.devices": "Absolute paths of the member devices.",
    "spares": "Number of spare devices.",
    "Raid.options": "Extra options for mdadm.",
    # systemd
    "units": "systemd units.",
    "quadlets": "Podman Quadlets (containers, volumes, networks, ... run by systemd).",
    "Unit.name": "Unit name with its type suffix, for example example.service.",
    "Unit.enabled": "Whether to enable the unit.",
    "mask": "Whether to mask the unit.",
    "Unit.contents": "Contents of the unit file.",
    "contents_local": "File with the contents, relative to the directory given with "
                      "-d/--files-dir.",
    "dropins": "Drop-ins of the unit.",
    "Dropin.name": "Drop-in name, ending in .conf.",
    "Dropin.contents": "Contents of the drop-in.",
    "Quadlet.name": "Quadlet name with its type suffix (.container, .volume, .network, .kube, "
                    ".image, .build, .pod or .artifact).",
    "Quadlet.contents": "Contents of the Quadlet file.",
    "rootful": "Whether the Quadlet runs rootful (system-wide) rather than rootless.",
    # fcos sugar
    "layout": "Architecture layout of the boot disk.",
    "BootDevice.luks": "Encryption of the root filesystem.",
    "mirror": "Mirroring of the boot disk.",
    "BootDeviceLuks.device": "The boot disk, for the s390x-eckd and s390x-zfcp layouts.",
    "BootDeviceMirror.devices": "Disks the boot disk is mirrored across (at least two).",
    "Grub.users": "GRUB superusers.",
    "GrubUser.name": "User name.",
    "GrubUser.password_hash": "Password hash, from grub2-mkpasswd-pbkdf2.",
    # openshift
    "Metadata.name": "Name of the MachineConfig.",
    "labels": "Labels of the MachineConfig; machineconfiguration.openshift.io/role is required.",
    "OpenShift.kernel_arguments": "Kernel arguments added to the MachineConfig.",
    "extensions": "RHCOS extensions to install.",
    "fips": "Whether to enable FIPS mode.",
    "kernel_type": "Kernel type.",
}

# Fields the reference requires (it fails the config when they are missing or empty).
REQUIRED: dict[str, tuple[str, ...]] = {
    "Config": ("variant", "version"),
    "File": ("path",),
    "Directory": ("path",),
    "Link": ("path",),
    "Unit": ("name",),
    "Dropin": ("name",),
    "Quadlet": ("name",),
    "Disk": ("device",),
    "Filesystem": ("device",),
    "Luks": ("name", "device"),
    "Raid": ("name", "level", "devices"),
    "Tang": ("url", "thumbprint"),
    "Tree": ("local",),
    "HTTPHeader": ("name",),
    "GrubUser": ("name", "password_hash"),
    "Metadata": ("name", "labels"),
    "Custom": ("config", "pin"),
}

_BOOL_WORDS = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
               "n", "N", "no", "No", "NO", "off", "Off", "OFF"]
_RAID_LEVELS: list[Any] = ["linear", "raid0", "0", 0, "stripe", "raid1", "1", 1, "mirror",
                           "raid4", "4", 4, "raid5", "5", 5, "raid6", "6", 6, "raid10", "10", 10]
_LEGACY_LAYOUTS = ["aarch64", "ppc64le", "x86_64"]
_LAYOUTS = [*_LEGACY_LAYOUTS, "s390x-eckd", "s390x-virt", "s390x-zfcp"]
_UNIT_SUFFIX = ("automount|device|mount|path|scope|service|slice|snapshot|socket|swap|target|"
                "timer")
_QUADLET_SUFFIX = "artifact|build|container|image|kube|network|pod|volume"
_ROLE_LABEL = "machineconfiguration.openshift.io/role"


def description(struct: str, field: str) -> str | None:
    return DESCRIPTIONS.get(f"{struct}.{field}") or DESCRIPTIONS.get(field)


def _enum(spec: Spec, struct: str, field: str) -> list[Any] | None:
    """The fixed set of values the reference accepts for a field, if any."""
    if field == "compression":
        return ["", "gzip"]
    if struct == "Filesystem" and field == "format":
        return ["", "ext4", "btrfs", "xfs", "vfat", "swap", *(["none"] if spec.ign_minor >= 3 else [])]
    if struct == "Raid" and field == "level":
        return _RAID_LEVELS
    if struct == "BootDevice" and field == "layout":
        return _LAYOUTS if spec.fcos_minor >= 6 else _LEGACY_LAYOUTS
    if struct == "OpenShift" and field == "kernel_type":
        return ["", "default", "realtime"]
    return None


def _pattern(struct: str, field: str) -> str | None:
    if field != "name":
        return None
    if struct == "Unit":
        return rf"\.({_UNIT_SUFFIX})$"
    if struct == "Dropin":
        return r"\.conf$"
    if struct == "Quadlet":
        return rf"\.({_QUADLET_SUFFIX})$"
    return None


def _scalar(kind: str) -> Schema:
    if kind == "string":
        # the reference takes any scalar's text for a string
        return {"type": ["string", "number", "boolean", "null"]}
    if kind == "int":
        return {"type": ["integer", "null"]}
    return {"enum": [True, False, None, *_BOOL_WORDS]}


def _type(t: Type, spec: Spec) -> Schema:
    if t.kind == "struct":
        return _struct(t, spec)
    if t.kind == "list":
        assert t.elem is not None
        return {"type": ["array", "null"], "items": _type(t.elem, spec)}
    if t.kind == "map":
        return {"type": ["object", "null"], "additionalProperties": _scalar("string")}
    return _scalar(t.kind)


def _struct(t: Type, spec: Spec) -> Schema:
    props: dict[str, Schema] = {}
    for name, f in t.fields.items():
        s = _field(t.name, name, f.type, spec)
        text = description(t.name, name)
        if text:
            s = {"description": text, **s}
        props[name] = s
    out: Schema = {"type": ["object", "null"], "properties": props, "additionalProperties": False}
    required = [r for r in REQUIRED.get(t.name, ()) if r in t.fields]
    if required:
        out["required"] = required
    return out


def _field(struct: str, name: str, t: Type, spec: Spec) -> Schema:
    if struct == "Config" and name == "variant":
        return {"const": spec.variant}
    if struct == "Config" and name == "version":
        return {"const": spec.version}
    enum = _enum(spec, struct, name)
    if enum is not None:
        return {"enum": [*enum, None]}
    s = _type(t, spec)
    pattern = _pattern(struct, name)
    if pattern is not None:
        s = {"type": ["string", "null"], "pattern": pattern}
    if struct == "Metadata" and name == "labels":
        s["required"] = [_ROLE_LABEL]
    return s


def schema_file(spec: Spec) -> str:
    return f"{spec.variant}-{spec.version}.json"


def _schema(spec: Spec) -> Schema:
    from .suggest import butane_type_for

    body = _struct(butane_type_for(spec), spec)
    body["type"] = "object"  # an empty document is not a config
    experimental = " (experimental)" if "experimental" in spec.version else ""
    return {
        "$schema": DRAFT,
        "title": f"Butane config, variant {spec.variant}, version {spec.version}{experimental}",
        "description": (f"A Butane config for {spec.variant} {spec.version}, which translates to "
                        f"Ignition spec {spec.ign_version}."),
        **body,
    }


def schema_for(variant: str, version: str) -> Schema:
    """The JSON Schema of Butane input for one variant and spec version
    (raises registry.SpecError for an unknown pair)."""
    from .registry import lookup

    return _schema(lookup(variant, version))


def combined_schema() -> Schema:
    """One schema for every variant and version: it checks `variant` and
    `version` and applies the matching per-version schema (by relative
    reference to the files write_all() writes beside it)."""
    from .registry import all_specs

    specs = all_specs()
    variants = sorted({s.variant for s in specs})
    branches = [{
        "if": {"properties": {"variant": {"const": s.variant}, "version": {"const": s.version}},
               "required": ["variant", "version"]},
        "then": {"$ref": schema_file(s)},
    } for s in specs]
    return {
        "$schema": DRAFT,
        "title": "Butane config",
        "description": "A Butane config of any variant and version; the schema of its "
                       "variant and version applies.",
        "type": "object",
        "required": ["variant", "version"],
        "properties": {
            "variant": {"description": DESCRIPTIONS["variant"], "enum": variants},
            "version": {"description": DESCRIPTIONS["version"],
                        "enum": sorted({s.version for s in specs})},
        },
        "allOf": branches,
    }


def catalog(base_url: str) -> Schema:
    """A SchemaStore-format catalog: the combined schema (matched to *.bu
    files) and one entry per variant, whose `versions` name every spec
    version's schema."""
    from .registry import all_specs

    base = base_url if base_url.endswith("/") else base_url + "/"
    entries: list[Schema] = [{
        "name": "Butane",
        "description": "Butane config (any variant and version): translates to Ignition",
        "fileMatch": FILE_MATCH,
        "url": base + COMBINED,
    }]
    by_variant: dict[str, list[Spec]] = {}
    for s in all_specs():
        by_variant.setdefault(s.variant, []).append(s)
    for variant, specs in by_variant.items():
        stable = [s for s in specs if "experimental" not in s.version] or specs
        entries.append({
            "name": f"Butane ({variant})",
            "description": f"Butane config for the {variant} variant",
            "url": base + schema_file(stable[-1]),
            "versions": {s.version: base + schema_file(s) for s in specs},
        })
    return {"$schema": CATALOG_SCHEMA, "version": 1, "schemas": entries}


def _dump(obj: Schema) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def write_all(directory: str | Path, base_url: str | None = None) -> list[Path]:
    """Write one schema per variant and version, butane.json (all of them by
    variant and version) and catalog.json into `directory`; returns the paths
    written. Catalog URLs start with `base_url`, or are file: URIs of
    `directory`."""
    from .registry import all_specs

    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, obj: Schema) -> None:
        target = out_dir / name
        target.write_text(_dump(obj), encoding="utf-8")
        written.append(target)

    for spec in all_specs():
        write(schema_file(spec), _schema(spec))
    write(COMBINED, combined_schema())
    write("catalog.json", catalog(base_url or out_dir.resolve().as_uri()))
    return written


_USAGE = ("Usage: butane-py schema --variant VARIANT --version VERSION [-o FILE]\n"
          "       butane-py schema --all --output-dir DIR [--base-url URL]\n")


def main_schema(argv: list[str], stdout: IO[bytes], stderr: IO[bytes]) -> int:
    """`butane-py schema ...` (argv without the word `schema`): 0 on success,
    1 for an unknown variant/version or a write failure, 2 for a usage error."""
    import argparse

    class _Usage(Exception):
        pass

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:
            raise _Usage(message)

    p = _Parser(prog="butane-py schema", add_help=False)
    p.add_argument("--variant")
    p.add_argument("--version")
    p.add_argument("-o", "--output")
    p.add_argument("--all", action="store_true")
    p.add_argument("--output-dir")
    p.add_argument("--base-url")
    p.add_argument("-h", "--help", action="store_true")

    def say(stream: IO[bytes], text: str) -> None:
        stream.write(text.encode("utf-8", "surrogateescape"))

    try:
        a = p.parse_args(argv)
        if a.help:
            say(stdout, _USAGE)
            return 0
        if a.all:
            if not a.output_dir or a.variant or a.version or a.output:
                raise _Usage("--all needs --output-dir and takes no --variant, --version or -o")
        elif not a.variant or not a.version or a.output_dir or a.base_url:
            raise _Usage("give --variant and --version (or --all --output-dir DIR)")
    except _Usage as e:
        say(stderr, _USAGE + f"{e}\n")
        return 2
    try:
        if a.all:
            for path in write_all(a.output_dir, a.base_url):
                say(stdout, f"{path}\n")
            return 0
        from .registry import SpecError

        try:
            text = _dump(schema_for(a.variant, a.version))
        except SpecError as e:
            say(stderr, f"{e}\n")
            return 1
        if a.output:
            from .cli.output import write_atomic

            write_atomic(a.output, text.encode("utf-8"))
        else:
            say(stdout, text)
        return 0
    except OSError as e:
        say(stderr, f"{e}\n")
        return 1
