"""The openshift variant: an fcos config wrapped in a MachineConfig, with the
checks and field filters of each OpenShift release."""

from __future__ import annotations

from functools import cache

from .. import messages as msg
from ..paths import Path
from ..report import Entry
from ..schema import Field, Type, butane_config
from ..translation import TranslationSet
from .layers import FcosLayer, Translated, _diags

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ..api import TranslateOptions
    from ..registry import Spec

MC_API_VERSION = "machineconfiguration.openshift.io/v1"
MC_KIND = "MachineConfig"
ROLE_LABEL = "machineconfiguration.openshift.io/role"
CEX_KARG = "rd.luks.key=/etc/luks/cex.key"
CONFIG: Path = ("spec", "config")
_SPEC_EXTRAS = (("kernel_arguments", "kernelArguments"), ("extensions", "extensions"),
                ("fips", "fips"), ("kernel_type", "kernelType"))
_USER_FIELDS = ("gecos", "groups", "homeDir", "noCreateHome", "noLogInit", "noUserGroup",
                "primaryGroup", "shell", "shouldExist", "system", "uid")


def _pkg(spec: Spec) -> str:
    return "v4_23_exp" if spec.ocp_minor == 23 else f"v4_{spec.ocp_minor}"


@cache
def _filters(ocp_minor: int) -> dict[str, str]:
    table: dict[str, str] = {}
    if ocp_minor >= 14:
        table["kernelArguments"] = msg.KERNEL_ARGUMENT_SUPPORT
    table["passwd.groups"] = msg.GROUP_SUPPORT
    user_fields = list(_USER_FIELDS)
    if ocp_minor < 13:
        user_fields.append("passwordHash")
    for name in user_fields:
        table[f"passwd.users.{name}"] = msg.USER_FIELD_SUPPORT
    table["storage.directories"] = msg.DIRECTORY_SUPPORT
    table["storage.files.append"] = msg.FILE_APPEND_SUPPORT
    if ocp_minor < 10:
        table["storage.files.contents.compression"] = msg.FILE_COMPRESSION_SUPPORT
    table["storage.files.contents.httpHeaders"] = msg.FILE_HEADER_SUPPORT
    table["storage.links"] = msg.LINK_SUPPORT
    return {f"spec.config.{k}": v for k, v in table.items()}


# one per Ignition config type: the emitter keeps tables per Type object, and a
# fresh MachineConfig type per run would miss them (and grow them) every time
_MACHINECONFIG_TYPES: dict[Type, Type] = {}


def _machineconfig_type(config: Type) -> Type:
    found = _MACHINECONFIG_TYPES.get(config)
    if found is None:
        found = _MACHINECONFIG_TYPES[config] = _new_machineconfig_type(config)
    return found


def _new_machineconfig_type(config: Type) -> Type:
    string = Type("string", "string")
    strings = Type("list", "[]string", elem=string)
    meta = Type("struct", "result.Metadata", fields={
        "name": Field("name", string, omitempty=False),
        "labels": Field("labels", Type("map", "map[string]string", elem=string)),
    })
    spec = Type("struct", "result.Spec", fields={
        "config": Field("config", config, omitempty=False),
        "kernelArguments": Field("kernelArguments", strings),
        "extensions": Field("extensions", strings),
        "fips": Field("fips", Type("bool", "bool"), ptr=True),
        "kernelType": Field("kernelType", string, ptr=True),
    })
    return Type("struct", "result.MachineConfig", fields={
        "apiVersion": Field("apiVersion", string, omitempty=False),
        "kind": Field("kind", string, omitempty=False),
        "metadata": Field("metadata", meta, omitempty=False),
        "spec": Field("spec", spec, omitempty=False),
    })


def _has_cipher(options: list[str]) -> bool:
    return any(o == "--cipher" or o.startswith("--cipher=") or o == "-c" for o in options)


class OpenShiftLayer(FcosLayer):
    def butane_type(self, spec: Spec) -> Type:
        return butane_config(spec.base, spec.fcos_minor, _pkg(spec))

    # ------------------------------------------------------------------ validation

    def validate(self, cfg: dict[str, Any], spec: Spec) -> list[Entry]:
        from ..validate_butane import validate as validate_base
        from .fcos import validate_fcos

        out: list[Entry] = []
        if spec.ocp_minor >= 19:
            # this Config-level check shadows fcos 1.6's own Config-level checks
            ocp = cfg.get("openshift", {})
            kargs = ocp.get("kernel_arguments") or []
            luks = cfg.get("boot_device", {}).get("luks", {})
            if luks.get("cex", {}).get("enabled") and CEX_KARG not in kargs:
                out.append(Entry("error", msg.MISSING_KERNEL_ARGUMENT_CEX, ("openshift", "kernel_arguments")))
            root_cex = any(item.get("cex", {}).get("enabled") and item.get("name") == "root"
                           for item in cfg.get("storage", {}).get("luks", []))
            if root_cex and CEX_KARG not in kargs:
                out.append(Entry("error", msg.MISSING_KERNEL_ARGUMENT_CEX, ("openshift", "kernel_arguments")))
        out += validate_fcos(cfg, spec.fcos_minor, validate_base(cfg, spec.base, spec.ign_minor),
                             config_level=False)
        meta = cfg.get("metadata", {})
        if not meta.get("name"):
            out.append(Entry("error", msg.NAME_REQUIRED, ("metadata", "name")))
        if not (meta.get("labels") or {}).get(ROLE_LABEL):
            out.append(Entry("error", msg.ROLE_REQUIRED, ("metadata", "labels")))
        kernel_type = cfg.get("openshift", {}).get("kernel_type")
        if kernel_type not in (None, "", "default", "realtime"):
            out.append(Entry("error", msg.INVALID_KERNEL_TYPE, ("openshift", "kernel_type")))
        return out

    # ------------------------------------------------------------------ translation

    def translate(self, cfg: dict[str, Any], spec: Spec, opts: TranslateOptions) -> Translated:
        ign, ts, entries = super().translate(cfg, spec, opts)
        if any(e.kind == "error" for e in entries):
            return ign, ts, entries
        if spec.ocp_minor >= 23:
            ts = _grub_append_to_contents(ign, ts)
        mc, mts = self._wrap(cfg, ign, ts)
        if spec.ocp_minor <= 19:
            _add_fips_options(mc, mts)
        entries += _rhcos_checks(mc, spec.ocp_minor)
        if opts.raw:
            spec_extras = mc["spec"]
            for _, jname in _SPEC_EXTRAS:
                # Go's "non-zero": a set pointer or a non-nil slice, even when empty
                if jname in spec_extras:
                    entries.append(Entry("warning", msg.FIELD_ELIDED, ("spec", jname), tag="json"))
            # paths are resolved against the MachineConfig set, then the rest is
            # about the Ignition config alone
            for e in entries:
                if e.tag == "json":
                    e.path, e.tag = mts.resolve(e.path), "yaml"
            return mc["spec"]["config"], _descend(mts, CONFIG), entries
        return mc, mts, entries

    def _wrap(self, cfg: dict[str, Any], ign: dict[str, Any],
              ts: TranslationSet) -> tuple[dict[str, Any], TranslationSet]:
        mts = TranslationSet()
        mts.add_prefixed((), CONFIG, ts)
        meta = cfg.get("metadata", {})
        labels = dict(meta.get("labels") or {})
        mc: dict[str, Any] = {
            "apiVersion": MC_API_VERSION,
            "kind": MC_KIND,
            "metadata": {"name": meta.get("name", ""), "labels": labels},
            "spec": {"config": ign},
        }
        mts.add(("version",), ("apiVersion",))
        mts.add(("version",), ("kind",))
        mts.add(("metadata",), ("metadata",))
        mts.add(("metadata", "name"), ("metadata", "name"))
        mts.add(("metadata", "labels"), ("metadata", "labels"))
        mts.add(("version",), ("spec",))
        mts.add((), CONFIG)
        for key in labels:
            mts.add(("metadata", "labels", key), ("metadata", "labels", key))
        ocp = cfg.get("openshift", {})
        for name, jname in _SPEC_EXTRAS:
            if name not in ocp:
                continue
            value = ocp[name]
            mc["spec"][jname] = list(value) if isinstance(value, list) else value
            mts.add(("openshift", name), ("spec", jname))
            if isinstance(value, list):
                for i in range(len(value)):
                    mts.add(("openshift", name, i), ("spec", jname, i))
        return mc, mts

    # ------------------------------------------------------------------ output

    def filters(self, ign: dict[str, Any], cfg: dict[str, Any], spec: Spec,
                opts: TranslateOptions) -> list[Entry]:
        if opts.raw:
            # the filters name MachineConfig paths, which raw output does not have
            return []
        from .filters import check_filters

        return check_filters(ign, _machineconfig_type(self.ignition_type(spec)),
                             _filters(spec.ocp_minor),
                             frozenset({"spec.config.storage.files.contents.compression"}))

    def check_output(self, ign: dict[str, Any], cfg: dict[str, Any], spec: Spec,
                     opts: TranslateOptions) -> list[Entry]:
        if opts.raw:
            return super().check_output(ign, cfg, spec, opts)
        from ..ignition.validate import duplicates, validate

        version = spec.ign_version
        config = ign["spec"]["config"]
        out = []
        for kind, path, message in duplicates(config, version):
            out.append(Entry(kind, message, CONFIG + path, tag="json"))
        for jname in ("kernelArguments", "extensions"):
            seen: set[str] = set()
            for i, item in enumerate(ign["spec"].get(jname) or []):
                if item in seen:
                    out.append(Entry("error", "duplicate entry defined", ("spec", jname, i), tag="json"))
                seen.add(item)
        out += [Entry(e.kind, e.message, CONFIG + e.path, tag="json")
                for e in _diags(validate(config, version))]
        return out

    def render(self, ign: dict[str, Any], cfg: dict[str, Any], spec: Spec,
               opts: TranslateOptions) -> tuple[str, dict[str, Any]]:
        if opts.raw:
            return super().render(ign, cfg, spec, opts)
        from ..emit.goyaml import dump
        from ..emit.json_go import shape

        shaped = shape(ign, _machineconfig_type(self.ignition_type(spec)))[0]
        return dump(shaped), shaped


def _descend(ts: TranslationSet, prefix: Path) -> TranslationSet:
    out = TranslationSet()
    n = len(prefix)
    for to, frm in ts.map.items():
        if to[:n] == prefix:
            out.map[to[n:]] = frm
    return out


def _grub_append_to_contents(ign: dict[str, Any], ts: TranslationSet) -> TranslationSet:
    """4.23+: the GRUB sugar's single `append` item becomes the file's contents."""
    for i, f in enumerate(ign.get("storage", {}).get("files", [])):
        if f.get("path") != "/boot/grub2/user.cfg":
            continue
        appended = f.get("append") or []
        if len(appended) != 1:
            return ts
        f["contents"] = appended[0]
        f.pop("append", None)
        old: Path = ("storage", "files", i, "append", 0)
        new: Path = ("storage", "files", i, "contents")
        moves: dict[Path, Path] = {old: new}
        for key in f["contents"]:
            moves[old + (key,)] = new + (key,)
        out = TranslationSet()
        out.map.update(ts.map)
        for frm_path, to_path in moves.items():
            src = out.map.pop(frm_path, None)
            if src is not None:
                out.map[to_path] = src
        return out
    return ts


def _add_fips_options(mc: dict[str, Any], ts: TranslationSet) -> None:
    """4.8-4.19: with FIPS on, LUKS volumes without a cipher get the FIPS one."""
    if not mc["spec"].get("fips"):
        return
    for i, luks in enumerate(mc["spec"]["config"].get("storage", {}).get("luks", [])):
        options = luks.setdefault("options", [])
        if _has_cipher(options):
            continue
        base = CONFIG + ("storage", "luks", i, "options")
        for j in range(2):
            ts.add(("openshift", "fips"), base + (len(options) + j,))
        if not options:
            ts.add(("openshift", "fips"), base)
        options += ["--cipher", "aes-cbc-essiv:sha256"]


def _rhcos_checks(mc: dict[str, Any], ocp_minor: int) -> list[Entry]:
    from ..ignition.urls import URLParseError, go_url_parse

    out: list[Entry] = []
    storage = mc["spec"]["config"].get("storage", {})
    base = CONFIG + ("storage",)
    for i, fs in enumerate(storage.get("filesystems", [])):
        if fs.get("format") == "btrfs":
            out.append(Entry("error", msg.BTRFS_SUPPORT, base + ("filesystems", i, "format"), tag="json"))
    if ocp_minor >= 14:
        for i, fs in enumerate(storage.get("filesystems", [])):
            if fs.get("format") == "none":
                out.append(Entry("error", msg.FILESYSTEM_NONE_SUPPORT,
                                 base + ("filesystems", i, "format"), tag="json"))
    for i, f in enumerate(storage.get("files", [])):
        source = f.get("contents", {}).get("source")
        if source is not None:
            try:
                scheme: str | None = go_url_parse(source).scheme
            except URLParseError:
                scheme = None
            if scheme is not None and scheme != "data":
                out.append(Entry("error", msg.FILE_SCHEME_SUPPORT,
                                 base + ("files", i, "contents", "source"), tag="json"))
        mode = f.get("mode")
        if ocp_minor >= 10 and mode is not None and mode & ~0o777:
            out.append(Entry("error", msg.FILE_SPECIAL_MODE_SUPPORT, base + ("files", i, "mode"), tag="json"))
    for i, user in enumerate(mc["spec"]["config"].get("passwd", {}).get("users", [])):
        if user.get("name", "") != "core":
            out.append(Entry("error", msg.USER_NAME_SUPPORT,
                             CONFIG + ("passwd", "users", i, "name"), tag="json"))
    return out
