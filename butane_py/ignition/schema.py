"""The Ignition config types of each spec version (3.0 ... 3.7-experimental), as data.

Struct fields are listed in Go declaration order, which is the order validation and the
duplicate check walk them.  Type notation (Go type of the field):

* ``string`` ``*string`` ``int`` ``*int`` ``*bool``
* ``S:Name`` a struct value, ``*S:Name`` a pointer to a struct
* ``[]S:Name`` a slice of structs, ``[]T:Name`` a slice of a named string type
* ``L:HTTPHeaders`` the named slice type ``HTTPHeaders`` (``[]HTTPHeader``)
* an embedded struct has ``json`` None and type ``S:Name``
"""

from __future__ import annotations

from functools import cache

from ..records import NamedTuple

TYPE_CHECKING = False


class Field(NamedTuple):
    json: str | None
    go: str
    type: str


Schema = dict[str, tuple[Field, ...]]

# (struct, json, Go name, type, first minor version, last minor version)
_ROWS: list[tuple[str, str | None, str, str, int, int]] = [
    ("CaReference", "source", "Source", "string", 0, 0),
    ("CaReference", "verification", "Verification", "S:Verification", 0, 0),
    ("Cex", "enabled", "Enabled", "*bool", 5, 7),
    ("Clevis", "custom", "Custom", "*S:Custom", 2, 2),
    ("Clevis", "custom", "Custom", "S:ClevisCustom", 3, 7),
    ("Clevis", "tang", "Tang", "[]S:Tang", 2, 7),
    ("Clevis", "threshold", "Threshold", "*int", 2, 7),
    ("Clevis", "tpm2", "Tpm2", "*bool", 2, 7),
    ("ClevisCustom", "config", "Config", "*string", 3, 7),
    ("ClevisCustom", "needsNetwork", "NeedsNetwork", "*bool", 3, 7),
    ("ClevisCustom", "pin", "Pin", "*string", 3, 7),
    ("Config", "ignition", "Ignition", "S:Ignition", 0, 7),
    ("Config", "kernelArguments", "KernelArguments", "S:KernelArguments", 3, 7),
    ("Config", "passwd", "Passwd", "S:Passwd", 0, 7),
    ("Config", "storage", "Storage", "S:Storage", 0, 7),
    ("Config", "systemd", "Systemd", "S:Systemd", 0, 7),
    ("ConfigReference", "source", "Source", "*string", 0, 0),
    ("ConfigReference", "verification", "Verification", "S:Verification", 0, 0),
    ("Custom", "config", "Config", "string", 2, 2),
    ("Custom", "needsNetwork", "NeedsNetwork", "*bool", 2, 2),
    ("Custom", "pin", "Pin", "string", 2, 2),
    ("Directory", None, "Node", "S:Node", 0, 7),
    ("Directory", None, "DirectoryEmbedded1", "S:DirectoryEmbedded1", 0, 7),
    ("DirectoryEmbedded1", "mode", "Mode", "*int", 0, 7),
    ("Disk", "device", "Device", "string", 0, 7),
    ("Disk", "partitions", "Partitions", "[]S:Partition", 0, 7),
    ("Disk", "wipeTable", "WipeTable", "*bool", 0, 7),
    ("Dropin", "contents", "Contents", "*string", 0, 7),
    ("Dropin", "name", "Name", "string", 0, 7),
    ("File", None, "Node", "S:Node", 0, 7),
    ("File", None, "FileEmbedded1", "S:FileEmbedded1", 0, 7),
    ("FileContents", "compression", "Compression", "*string", 0, 0),
    ("FileContents", "source", "Source", "*string", 0, 0),
    ("FileContents", "verification", "Verification", "S:Verification", 0, 0),
    ("FileEmbedded1", "append", "Append", "[]S:FileContents", 0, 0),
    ("FileEmbedded1", "append", "Append", "[]S:Resource", 1, 7),
    ("FileEmbedded1", "contents", "Contents", "S:FileContents", 0, 0),
    ("FileEmbedded1", "contents", "Contents", "S:Resource", 1, 7),
    ("FileEmbedded1", "mode", "Mode", "*int", 0, 7),
    ("Filesystem", "device", "Device", "string", 0, 7),
    ("Filesystem", "format", "Format", "*string", 0, 7),
    ("Filesystem", "label", "Label", "*string", 0, 7),
    ("Filesystem", "mountOptions", "MountOptions", "[]T:MountOption", 1, 7),
    ("Filesystem", "options", "Options", "[]T:FilesystemOption", 0, 7),
    ("Filesystem", "path", "Path", "*string", 0, 7),
    ("Filesystem", "uuid", "UUID", "*string", 0, 7),
    ("Filesystem", "wipeFilesystem", "WipeFilesystem", "*bool", 0, 7),
    ("HTTPHeader", "name", "Name", "string", 1, 7),
    ("HTTPHeader", "value", "Value", "*string", 1, 7),
    ("Ignition", "config", "Config", "S:IgnitionConfig", 0, 7),
    ("Ignition", "proxy", "Proxy", "S:Proxy", 1, 7),
    ("Ignition", "security", "Security", "S:Security", 0, 7),
    ("Ignition", "timeouts", "Timeouts", "S:Timeouts", 0, 7),
    ("Ignition", "version", "Version", "string", 0, 7),
    ("IgnitionConfig", "merge", "Merge", "[]S:ConfigReference", 0, 0),
    ("IgnitionConfig", "merge", "Merge", "[]S:Resource", 1, 7),
    ("IgnitionConfig", "replace", "Replace", "S:ConfigReference", 0, 0),
    ("IgnitionConfig", "replace", "Replace", "S:Resource", 1, 7),
    ("KernelArguments", "shouldExist", "ShouldExist", "[]T:KernelArgument", 3, 7),
    ("KernelArguments", "shouldNotExist", "ShouldNotExist", "[]T:KernelArgument", 3, 7),
    ("Link", None, "Node", "S:Node", 0, 7),
    ("Link", None, "LinkEmbedded1", "S:LinkEmbedded1", 0, 7),
    ("LinkEmbedded1", "hard", "Hard", "*bool", 0, 7),
    ("LinkEmbedded1", "target", "Target", "string", 0, 2),
    ("LinkEmbedded1", "target", "Target", "*string", 3, 7),
    ("Luks", "cex", "Cex", "S:Cex", 5, 7),
    ("Luks", "clevis", "Clevis", "*S:Clevis", 2, 2),
    ("Luks", "clevis", "Clevis", "S:Clevis", 3, 7),
    ("Luks", "device", "Device", "*string", 2, 7),
    ("Luks", "discard", "Discard", "*bool", 4, 7),
    ("Luks", "keyFile", "KeyFile", "S:Resource", 2, 7),
    ("Luks", "label", "Label", "*string", 2, 7),
    ("Luks", "name", "Name", "string", 2, 7),
    ("Luks", "openOptions", "OpenOptions", "[]T:OpenOption", 4, 7),
    ("Luks", "options", "Options", "[]T:LuksOption", 2, 7),
    ("Luks", "uuid", "UUID", "*string", 2, 7),
    ("Luks", "wipeVolume", "WipeVolume", "*bool", 2, 7),
    ("Node", "group", "Group", "S:NodeGroup", 0, 7),
    ("Node", "overwrite", "Overwrite", "*bool", 0, 7),
    ("Node", "path", "Path", "string", 0, 7),
    ("Node", "user", "User", "S:NodeUser", 0, 7),
    ("NodeGroup", "id", "ID", "*int", 0, 7),
    ("NodeGroup", "name", "Name", "*string", 0, 7),
    ("NodeUser", "id", "ID", "*int", 0, 7),
    ("NodeUser", "name", "Name", "*string", 0, 7),
    ("Partition", "guid", "GUID", "*string", 0, 7),
    ("Partition", "label", "Label", "*string", 0, 7),
    ("Partition", "number", "Number", "int", 0, 7),
    ("Partition", "resize", "Resize", "*bool", 2, 7),
    ("Partition", "shouldExist", "ShouldExist", "*bool", 0, 7),
    ("Partition", "sizeMiB", "SizeMiB", "*int", 0, 7),
    ("Partition", "startMiB", "StartMiB", "*int", 0, 7),
    ("Partition", "typeGuid", "TypeGUID", "*string", 0, 7),
    ("Partition", "wipePartitionEntry", "WipePartitionEntry", "*bool", 0, 7),
    ("Passwd", "groups", "Groups", "[]S:PasswdGroup", 0, 7),
    ("Passwd", "users", "Users", "[]S:PasswdUser", 0, 7),
    ("PasswdGroup", "gid", "Gid", "*int", 0, 7),
    ("PasswdGroup", "name", "Name", "string", 0, 7),
    ("PasswdGroup", "passwordHash", "PasswordHash", "*string", 0, 7),
    ("PasswdGroup", "shouldExist", "ShouldExist", "*bool", 2, 7),
    ("PasswdGroup", "system", "System", "*bool", 0, 7),
    ("PasswdUser", "gecos", "Gecos", "*string", 0, 7),
    ("PasswdUser", "groups", "Groups", "[]T:Group", 0, 7),
    ("PasswdUser", "homeDir", "HomeDir", "*string", 0, 7),
    ("PasswdUser", "name", "Name", "string", 0, 7),
    ("PasswdUser", "noCreateHome", "NoCreateHome", "*bool", 0, 7),
    ("PasswdUser", "noLogInit", "NoLogInit", "*bool", 0, 7),
    ("PasswdUser", "noUserGroup", "NoUserGroup", "*bool", 0, 7),
    ("PasswdUser", "passwordHash", "PasswordHash", "*string", 0, 7),
    ("PasswdUser", "primaryGroup", "PrimaryGroup", "*string", 0, 7),
    ("PasswdUser", "sshAuthorizedKeys", "SSHAuthorizedKeys", "[]T:SSHAuthorizedKey", 0, 7),
    ("PasswdUser", "shell", "Shell", "*string", 0, 7),
    ("PasswdUser", "shouldExist", "ShouldExist", "*bool", 2, 7),
    ("PasswdUser", "system", "System", "*bool", 0, 7),
    ("PasswdUser", "uid", "UID", "*int", 0, 7),
    ("Proxy", "httpProxy", "HTTPProxy", "*string", 1, 7),
    ("Proxy", "httpsProxy", "HTTPSProxy", "*string", 1, 7),
    ("Proxy", "noProxy", "NoProxy", "[]T:NoProxyItem", 1, 7),
    ("Raid", "devices", "Devices", "[]T:Device", 0, 7),
    ("Raid", "level", "Level", "string", 0, 2),
    ("Raid", "level", "Level", "*string", 3, 7),
    ("Raid", "name", "Name", "string", 0, 7),
    ("Raid", "options", "Options", "[]T:RaidOption", 0, 7),
    ("Raid", "spares", "Spares", "*int", 0, 7),
    ("Resource", "compression", "Compression", "*string", 1, 7),
    ("Resource", "httpHeaders", "HTTPHeaders", "L:HTTPHeaders", 1, 7),
    ("Resource", "source", "Source", "*string", 1, 7),
    ("Resource", "verification", "Verification", "S:Verification", 1, 7),
    ("Security", "tls", "TLS", "S:TLS", 0, 7),
    ("Storage", "directories", "Directories", "[]S:Directory", 0, 7),
    ("Storage", "disks", "Disks", "[]S:Disk", 0, 7),
    ("Storage", "files", "Files", "[]S:File", 0, 7),
    ("Storage", "filesystems", "Filesystems", "[]S:Filesystem", 0, 7),
    ("Storage", "links", "Links", "[]S:Link", 0, 7),
    ("Storage", "luks", "Luks", "[]S:Luks", 2, 7),
    ("Storage", "raid", "Raid", "[]S:Raid", 0, 7),
    ("Systemd", "units", "Units", "[]S:Unit", 0, 7),
    ("TLS", "certificateAuthorities", "CertificateAuthorities", "[]S:CaReference", 0, 0),
    ("TLS", "certificateAuthorities", "CertificateAuthorities", "[]S:Resource", 1, 7),
    ("Tang", "advertisement", "Advertisement", "*string", 4, 7),
    ("Tang", "thumbprint", "Thumbprint", "*string", 2, 7),
    ("Tang", "url", "URL", "string", 2, 7),
    ("Timeouts", "httpResponseHeaders", "HTTPResponseHeaders", "*int", 0, 7),
    ("Timeouts", "httpTotal", "HTTPTotal", "*int", 0, 7),
    ("Unit", "contents", "Contents", "*string", 0, 7),
    ("Unit", "dropins", "Dropins", "[]S:Dropin", 0, 7),
    ("Unit", "enabled", "Enabled", "*bool", 0, 7),
    ("Unit", "mask", "Mask", "*bool", 0, 7),
    ("Unit", "name", "Name", "string", 0, 7),
    ("Verification", "hash", "Hash", "*string", 0, 7),
]


def spec_minor(version: str) -> int:
    """Minor number of an Ignition spec version string ("3.4.0" -> 4, "3.7.0-experimental" -> 7)."""
    parts = version.split(".")
    if len(parts) < 2 or parts[0] != "3" or not parts[1].isdigit():
        raise ValueError(f"unsupported Ignition spec version {version!r}")
    minor = int(parts[1])
    if not 0 <= minor <= 7:
        raise ValueError(f"unsupported Ignition spec version {version!r}")
    return minor


# The exact ``ignition.version`` each spec accepts (go-semver equality with MaxVersion).
MAX_VERSIONS: dict[int, tuple[int, int, int, str, str]] = {
    m: (3, m, 0, "experimental" if m == 7 else "", "") for m in range(8)
}


@cache
def schema_for(minor: int) -> Schema:
    """Struct name -> fields (declaration order) for spec 3.<minor>."""
    out: dict[str, list[Field]] = {}
    for struct, json_name, go_name, typ, lo, hi in _ROWS:
        if lo <= minor <= hi:
            out.setdefault(struct, []).append(Field(json_name, go_name, typ))
    return {k: tuple(v) for k, v in out.items()}


@cache
def flat_fields(minor: int, struct: str) -> tuple[tuple[Field, tuple[str, ...]], ...]:
    """Fields of ``struct`` with embedded structs flattened, each with its embedding chain."""
    schema = schema_for(minor)
    result: list[tuple[Field, tuple[str, ...]]] = []

    def walk(name: str, chain: tuple[str, ...]) -> None:
        for f in schema[name]:
            if f.json is None:
                walk(f.type[2:], (*chain, f.go))
            else:
                result.append((f, chain))

    walk(struct, ())
    return tuple(result)
