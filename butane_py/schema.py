"""Type declarations of Butane input (per base version) and Ignition output
(per spec version), written from the reference's facts.

One small declaration language serves both: a struct is a list of fields
`name:type`, where type is `string`, `int`, `bool`, a struct name, `[]T` or
`*T`; a trailing `!` marks an Ignition field that is emitted even when empty
(no `omitempty`); `=Go` names the Go type of a named scalar (for `[]string=Group`, the element)
or of a named slice of structs (for the
reference's decode messages).  Version differences are plain conditionals.
"""

from __future__ import annotations

from functools import cache

SCALARS = ("string", "int", "bool")


class Type:
    """kind is "string" | "int" | "bool" | "struct" | "list" | "map"; go is the Go type
    name yaml.v3 prints ("int", "[]v0_6.File", "v0_6.Storage"); name is a struct's
    name without its package."""

    __slots__ = ("kind", "go", "elem", "fields", "name")

    def __init__(self, kind: str, go: str, elem: Type | None = None,
                 fields: dict[str, Field] | None = None, name: str = "") -> None:
        self.kind = kind
        self.go = go
        self.elem = elem
        self.fields: dict[str, Field] = fields if fields is not None else {}
        self.name = name

    def __repr__(self) -> str:
        return f"Type({self.go})"


class Field:
    __slots__ = ("name", "type", "ptr", "omitempty")

    def __init__(self, name: str, type: Type, ptr: bool = False, omitempty: bool = True) -> None:
        self.name = name
        self.type = type
        self.ptr = ptr
        self.omitempty = omitempty


Decl = dict[str, list[str]]


def _build(decl: Decl, pkg: str, root: str, extra_pkgs: dict[str, str] | None = None) -> Type:
    """Turn declarations into a linked type graph; returns the root struct."""
    structs: dict[str, Type] = {}
    pkgs = extra_pkgs or {}
    for name in decl:
        structs[name] = Type("struct", f"{pkgs.get(name, pkg)}.{name}", name=name)

    def resolve(spec: str) -> tuple[Type, bool]:
        goname = ""
        if "=" in spec:
            spec, goname = spec.split("=", 1)
        if spec.startswith("*"):
            t, _ = resolve(spec[1:])
            return t, True
        if spec.startswith("[]"):
            # a named scalar element (`[]string=Group`) or a named slice (`[]HTTPHeader=HTTPHeaders`)
            inner, _ = resolve(spec[2:] + (f"={goname}" if goname and spec[2:] in SCALARS else ""))
            named_slice = goname and spec[2:] not in SCALARS
            return Type("list", f"{pkg}.{goname}" if named_slice else f"[]{inner.go}", elem=inner), False
        if spec in SCALARS:
            go = f"{pkg}.{goname}" if goname else spec
            return Type(spec, go), False
        if spec == "map":
            return Type("map", "map[string]string", elem=Type("string", "string")), False
        return structs[spec], False

    for name, fields in decl.items():
        st = structs[name]
        for item in fields:
            fname, spec = item.split(":", 1)
            omit = not spec.endswith("!")
            t, ptr = resolve(spec.rstrip("!"))
            st.fields[fname] = Field(fname, t, ptr, omit)
    return structs[root]


def _node(extra: list[str]) -> list[str]:
    return ["group:NodeGroup", "overwrite:*bool", "path:string!", "user:NodeUser", *extra]


# --------------------------------------------------------------------------------------
# Ignition output types, spec 3.0 ... 3.7-experimental (minor 0 ... 7)


@cache
def ignition_config(minor: int) -> Type:
    d: Decl = {}
    ign = ["config:IgnitionConfig"]
    if minor >= 1:
        ign.append("proxy:Proxy")
    ign += ["security:Security", "timeouts:Timeouts", "version:string" + ("!" if minor >= 4 else "")]
    d["Config"] = ["ignition:Ignition!"]
    if minor >= 3:
        d["Config"].append("kernelArguments:KernelArguments")
    d["Config"] += ["passwd:Passwd", "storage:Storage", "systemd:Systemd"]
    d["Ignition"] = ign
    if minor == 0:
        d["IgnitionConfig"] = ["merge:[]ConfigReference", "replace:ConfigReference"]
        d["ConfigReference"] = ["source:*string!", "verification:Verification"]
        d["CaReference"] = ["source:string!", "verification:Verification"]
        d["FileContents"] = ["compression:*string", "source:*string", "verification:Verification"]
        res, ca = "FileContents", "CaReference"
    else:
        d["IgnitionConfig"] = ["merge:[]Resource", "replace:Resource"]
        d["Resource"] = ["compression:*string", "httpHeaders:[]HTTPHeader", "source:*string",
                         "verification:Verification"]
        d["HTTPHeader"] = ["name:string!", "value:*string"]
        d["Proxy"] = ["httpProxy:*string", "httpsProxy:*string", "noProxy:[]string"]
        res, ca = "Resource", "Resource"
    d["Verification"] = ["hash:*string"]
    d["Security"] = ["tls:TLS"]
    d["TLS"] = [f"certificateAuthorities:[]{ca}"]
    d["Timeouts"] = ["httpResponseHeaders:*int", "httpTotal:*int"]
    if minor >= 3:
        d["KernelArguments"] = ["shouldExist:[]string", "shouldNotExist:[]string"]
    d["Passwd"] = ["groups:[]PasswdGroup", "users:[]PasswdUser"]
    d["PasswdGroup"] = ["gid:*int", "name:string!", "passwordHash:*string"]
    if minor >= 2:
        d["PasswdGroup"].append("shouldExist:*bool")
    d["PasswdGroup"].append("system:*bool")
    d["PasswdUser"] = ["gecos:*string", "groups:[]string", "homeDir:*string", "name:string!",
                       "noCreateHome:*bool", "noLogInit:*bool", "noUserGroup:*bool",
                       "passwordHash:*string", "primaryGroup:*string", "sshAuthorizedKeys:[]string",
                       "shell:*string"]
    if minor >= 2:
        d["PasswdUser"].append("shouldExist:*bool")
    d["PasswdUser"] += ["system:*bool", "uid:*int"]
    d["Storage"] = ["directories:[]Directory", "disks:[]Disk", "files:[]File",
                    "filesystems:[]Filesystem", "links:[]Link"]
    if minor >= 2:
        d["Storage"].append("luks:[]Luks")
    d["Storage"].append("raid:[]Raid")
    d["NodeUser"] = ["id:*int", "name:*string"]
    d["NodeGroup"] = ["id:*int", "name:*string"]
    d["Directory"] = _node(["mode:*int"])
    d["File"] = _node([f"append:[]{res}", f"contents:{res}", "mode:*int"])
    d["Link"] = _node(["hard:*bool", "target:*string" if minor >= 3 else "target:string!"])
    d["Disk"] = ["device:string!", "partitions:[]Partition", "wipeTable:*bool"]
    d["Partition"] = ["guid:*string", "label:*string", "number:int"]
    if minor >= 2:
        d["Partition"].append("resize:*bool")
    d["Partition"] += ["shouldExist:*bool", "sizeMiB:*int", "startMiB:*int", "typeGuid:*string",
                       "wipePartitionEntry:*bool"]
    d["Filesystem"] = ["device:string!", "format:*string", "label:*string"]
    if minor >= 1:
        d["Filesystem"].append("mountOptions:[]string")
    d["Filesystem"] += ["options:[]string", "path:*string", "uuid:*string", "wipeFilesystem:*bool"]
    if minor >= 2:
        luks = []
        if minor >= 5:
            luks.append("cex:Cex")
            d["Cex"] = ["enabled:*bool"]
        luks += ["clevis:*Clevis" if minor == 2 else "clevis:Clevis", "device:*string"]
        if minor >= 4:
            luks.append("discard:*bool")
        luks += [f"keyFile:{res}", "label:*string", "name:string!"]
        if minor >= 4:
            luks.append("openOptions:[]string")
        luks += ["options:[]string", "uuid:*string", "wipeVolume:*bool"]
        d["Luks"] = luks
        if minor == 2:
            d["Clevis"] = ["custom:*ClevisCustom", "tang:[]Tang", "threshold:*int", "tpm2:*bool"]
            d["ClevisCustom"] = ["config:string!", "needsNetwork:*bool", "pin:string!"]
        else:
            d["Clevis"] = ["custom:ClevisCustom", "tang:[]Tang", "threshold:*int", "tpm2:*bool"]
            d["ClevisCustom"] = ["config:*string", "needsNetwork:*bool", "pin:*string"]
        d["Tang"] = (["advertisement:*string"] if minor >= 4 else []) + [
            "thumbprint:*string", "url:string"]
    if minor >= 3:
        d["Raid"] = ["devices:[]string", "level:*string", "name:string!", "options:[]string",
                     "spares:*int"]
    else:
        d["Raid"] = ["devices:[]string!", "level:string!", "name:string!", "options:[]string",
                     "spares:*int"]
    d["Systemd"] = ["units:[]Unit"]
    d["Unit"] = ["contents:*string", "dropins:[]Dropin", "enabled:*bool", "mask:*bool", "name:string!"]
    d["Dropin"] = ["contents:*string", "name:string!"]
    return _build(d, f"v3_{minor}", "Config")


# --------------------------------------------------------------------------------------
# Butane input types, base v0_1 ... v0_8_exp (base 1 ... 8), plus variant sections


def _base_decl(base: int) -> Decl:
    d: Decl = {}
    d["Config"] = ["version:string", "variant:string", "ignition:Ignition"]
    if base >= 4:
        d["Config"].append("kernel_arguments:KernelArguments")
        d["KernelArguments"] = ["should_exist:[]string=KernelArgument",
                                "should_not_exist:[]string=KernelArgument"]
    d["Config"] += ["passwd:Passwd", "storage:Storage", "systemd:Systemd"]
    d["Ignition"] = ["config:IgnitionConfig"]
    if base >= 2:
        d["Ignition"].append("proxy:Proxy")
        d["Proxy"] = ["http_proxy:*string", "https_proxy:*string", "no_proxy:[]string"]
    d["Ignition"] += ["security:Security", "timeouts:Timeouts"]
    if base == 1:
        d["IgnitionConfig"] = ["merge:[]ConfigReference", "replace:ConfigReference"]
        d["ConfigReference"] = ["source:*string", "verification:Verification"]
        d["CaReference"] = ["source:string", "verification:Verification"]
        d["FileContents"] = ["compression:*string", "source:*string", "inline:*string",
                             "verification:Verification"]
        res, ca = "FileContents", "CaReference"
    else:
        d["IgnitionConfig"] = ["merge:[]Resource", "replace:Resource"]
        d["Resource"] = ["compression:*string", "http_headers:[]HTTPHeader=HTTPHeaders",
                         "source:*string", "inline:*string", "local:*string",
                         "verification:Verification"]
        d["HTTPHeader"] = ["name:string", "value:*string"]
        res, ca = "Resource", "Resource"
    d["Verification"] = ["hash:*string"]
    d["Security"] = ["tls:TLS"]
    d["TLS"] = [f"certificate_authorities:[]{ca}"]
    d["Timeouts"] = ["http_response_headers:*int", "http_total:*int"]
    d["Passwd"] = ["groups:[]PasswdGroup", "users:[]PasswdUser"]
    d["PasswdGroup"] = ["gid:*int", "name:string", "password_hash:*string"]
    if base >= 3:
        d["PasswdGroup"].append("should_exist:*bool")
    d["PasswdGroup"].append("system:*bool")
    user = ["gecos:*string", "groups:[]string=Group", "home_dir:*string", "name:string",
            "no_create_home:*bool", "no_log_init:*bool", "no_user_group:*bool",
            "password_hash:*string", "primary_group:*string"]
    if base >= 3:
        user.append("should_exist:*bool")
    user.append("ssh_authorized_keys:[]string=SSHAuthorizedKey")
    if base >= 5:
        user.append("ssh_authorized_keys_local:[]string")
    user += ["shell:*string", "system:*bool", "uid:*int"]
    d["PasswdUser"] = user
    storage = ["directories:[]Directory", "disks:[]Disk", "files:[]File", "filesystems:[]Filesystem",
               "links:[]Link"]
    if base >= 3:
        storage.append("luks:[]Luks")
    storage.append("raid:[]Raid")
    if base >= 2:
        storage.append("trees:[]Tree")
        tree = ["local:string", "path:*string"]
        if base >= 7:
            tree = ["group:NodeGroup", *tree, "user:NodeUser", "file_mode:*int", "dir_mode:*int"]
        d["Tree"] = tree
    d["Storage"] = storage
    d["NodeUser"] = ["id:*int", "name:*string"]
    d["NodeGroup"] = ["id:*int", "name:*string"]
    d["Directory"] = _node(["mode:*int"])
    d["File"] = _node([f"append:[]{res}", f"contents:{res}", "mode:*int"])
    d["Link"] = _node(["hard:*bool", "target:*string" if base >= 4 else "target:string"])
    d["Disk"] = ["device:string", "partitions:[]Partition", "wipe_table:*bool"]
    d["Partition"] = ["guid:*string", "label:*string", "number:int"]
    if base >= 3:
        d["Partition"].append("resize:*bool")
    d["Partition"] += ["should_exist:*bool", "size_mib:*int", "start_mib:*int", "type_guid:*string",
                       "wipe_partition_entry:*bool"]
    fs = ["device:string", "format:*string", "label:*string"]
    if base >= 2:
        fs.append("mount_options:[]string")
    fs.append("options:[]string" if base >= 5 else "options:[]string=FilesystemOption")
    fs += ["path:*string", "uuid:*string", "wipe_filesystem:*bool"]
    if base >= 2:
        fs.append("with_mount_unit:*bool")
    d["Filesystem"] = fs
    if base >= 3:
        luks = ["cex:Cex"] if base >= 6 else []
        if base >= 6:
            d["Cex"] = ["enabled:*bool"]
        luks += ["clevis:*Clevis" if base == 3 else "clevis:Clevis", "device:*string"]
        if base >= 5:
            luks.append("discard:*bool")
        luks += ["key_file:Resource", "label:*string", "name:string"]
        if base >= 5:
            luks.append("open_options:[]string")
        luks += ["options:[]string" if base >= 5 else "options:[]string=LuksOption", "uuid:*string",
                 "wipe_volume:*bool"]
        d["Luks"] = luks
        if base == 3:
            d["Clevis"] = ["custom:*Custom", "tang:[]Tang", "threshold:*int", "tpm2:*bool"]
            d["Custom"] = ["config:string", "needs_network:*bool", "pin:string"]
        else:
            d["Clevis"] = ["custom:ClevisCustom", "tang:[]Tang", "threshold:*int", "tpm2:*bool"]
            d["ClevisCustom"] = ["config:*string", "needs_network:*bool", "pin:*string"]
        d["Tang"] = ["thumbprint:*string", "url:string"] + (
            ["advertisement:*string"] if base >= 5 else [])
    d["Raid"] = ["devices:[]string=Device", "level:*string" if base >= 4 else "level:string",
                 "name:string",
                 "options:[]string" if base >= 5 else "options:[]string=RaidOption", "spares:*int"]
    d["Systemd"] = ["units:[]Unit"]
    if base >= 8:
        d["Systemd"].append("quadlets:[]Quadlet")
        d["Quadlet"] = ["contents:*string", "contents_local:*string", "name:string", "rootful:bool",
                        "dropins:[]Dropin"]
    local = ["contents_local:*string"] if base >= 5 else []
    d["Unit"] = ["contents:*string", *local, "dropins:[]Dropin", "enabled:*bool", "mask:*bool",
                 "name:string"]
    d["Dropin"] = ["contents:*string", *local, "name:string"]
    return d


BASE_PKG = {1: "v0_1", 2: "v0_2", 3: "v0_3", 4: "v0_4", 5: "v0_5", 6: "v0_6", 7: "v0_7",
            8: "v0_8_exp"}


def _fcos_decl(d: Decl, fcos_minor: int) -> dict[str, str]:
    """Add fcos 1.3+ sections (boot_device, grub) to a base declaration; returns
    the package of each added struct."""
    pkg = "v1_8_exp" if fcos_minor == 8 else f"v1_{fcos_minor}"
    d["Config"] += ["boot_device:BootDevice"]
    d["BootDevice"] = ["layout:*string", "luks:BootDeviceLuks", "mirror:BootDeviceMirror"]
    luks = []
    if fcos_minor >= 6:
        luks.append("cex:Cex")
    if fcos_minor >= 5:
        luks.append("discard:*bool")
    if fcos_minor >= 6:
        luks.append("device:*string")
    luks += ["tang:[]Tang", "threshold:*int", "tpm2:*bool"]
    d["BootDeviceLuks"] = luks
    d["BootDeviceMirror"] = ["devices:[]string"]
    added = ["BootDevice", "BootDeviceLuks", "BootDeviceMirror"]
    if fcos_minor >= 5:
        d["Config"].append("grub:Grub")
        d["Grub"] = ["users:[]GrubUser"]
        d["GrubUser"] = ["name:string", "password_hash:*string"]
        added += ["Grub", "GrubUser"]
    return {name: pkg for name in added}


def _openshift_decl(d: Decl, pkg: str) -> dict[str, str]:
    d["Config"] += ["metadata:Metadata", "openshift:OpenShift"]
    d["Metadata"] = ["name:string", "labels:map"]
    d["OpenShift"] = ["kernel_arguments:[]string", "extensions:[]string", "fips:*bool",
                      "kernel_type:*string"]
    return {"Metadata": pkg, "OpenShift": pkg}


@cache
def butane_config(base: int, fcos_minor: int = 0, openshift_pkg: str = "") -> Type:
    """The Butane Config type for a base version, with fcos sections from
    fcos 1.`fcos_minor` (1.3+) and openshift sections when `openshift_pkg` is set."""
    d = _base_decl(base)
    pkgs: dict[str, str] = {}
    if fcos_minor >= 3:
        pkgs.update(_fcos_decl(d, fcos_minor))
    if openshift_pkg:
        pkgs.update(_openshift_decl(d, openshift_pkg))
    return _build(d, BASE_PKG[base], "Config", pkgs)


@cache
def common_fields() -> Type:
    """What the reference reads first to choose a translator: `config.commonFields`."""
    return _build({"commonFields": ["version:string", "variant:string"]}, "config", "commonFields")
