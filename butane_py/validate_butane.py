"""Butane source validation of the base layer (pipeline step 5).

The walk follows the Butane schema in struct field order, depth first, each
object's own check before its fields, as the reference's validator does; the
entries carry YAML paths.  Variant checks (fcos boot_device, grub,
partitions, mount points; openshift) live with their variants.
"""

from __future__ import annotations

from . import messages as msg
from .report import ERROR, WARNING, Entry
from .schema import butane_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

    from .paths import Path
    from .schema import Field, Type

    Obj: TypeAlias = "dict[str, Any]"
    Check: TypeAlias = "Callable[[Obj, Path, _Context], None]"


class _Context:
    __slots__ = ("base", "ign_version", "out")

    def __init__(self, base: int, ign_version: str) -> None:
        self.base = base
        self.ign_version = ign_version
        self.out: list[Entry] = []

    def error(self, path: Path, message: str, tag: str = "yaml") -> None:
        self.out.append(Entry(ERROR, message, path, tag=tag))

    def warning(self, path: Path, message: str, tag: str = "yaml") -> None:
        self.out.append(Entry(WARNING, message, path, tag=tag))


# --- decimal modes (spec 6.5) -------------------------------------------------------


def _decimal_mode_to_octal(mode: int) -> int | None:
    """The mode's decimal digits read as octal, None if that is impossible."""
    if not 0 <= mode <= 7777:
        return None
    digits = f"{mode:04d}"
    if any(d in "89" for d in digits):
        return None
    return int(digits, 8)


def _is_typical_mode(mode: int, directory: bool) -> bool:
    if mode == 0:
        return True
    had_r = had_w = had_x = False
    # other, group, user: each more specific than the one before
    for perm in (mode & 0o7, (mode >> 3) & 0o7, (mode >> 6) & 0o7):
        r, w, x = bool(perm & 4), bool(perm & 2), bool(perm & 1)
        if (had_r and not r) or (had_w and not w) or (had_x and not x):
            return False
        if x and had_r and not had_x:
            return False
        if (w or x) and not r:
            return False
        had_r, had_w, had_x = had_r or r, had_w or w, had_x or x
    if not had_r:
        return False
    if directory:
        return had_x and not mode & 0o4000 and not (mode & 0o3000 and not had_w)
    if mode & 0o6000 and (not had_x or mode & 0o2):
        return False
    return not mode & 0o1000


# (mode, directory) -> suspect: a config repeats a few modes many times
_SUSPECT: dict[tuple[int, bool], bool] = {}


def decimal_mode_suspect(mode: int, directory: bool) -> bool:
    """True if `mode` looks like an octal mode written in decimal."""
    key = (mode, directory)
    known = _SUSPECT.get(key)
    if known is None:
        octal = _decimal_mode_to_octal(mode)
        known = (octal is not None and not _is_typical_mode(mode, directory)
                 and _is_typical_mode(octal, directory))
        if 0 <= mode <= 7777:  # the rest are never suspect; keep the table small
            _SUSPECT[key] = known
    return known


def _mode_check(directory: bool) -> Check:
    def check(obj: Obj, path: Path, ctx: _Context) -> None:
        mode = obj.get("mode")
        if mode is not None and decimal_mode_suspect(mode, directory):
            ctx.warning(path + ("mode",), msg.DECIMAL_MODE)

    return check


# --- resources --------------------------------------------------------------------------


def _ign_version(minor: int) -> str:
    return f"3.{minor}.0" + ("-experimental" if minor == 7 else "")


def _child_config(text: str, path: Path, ctx: _Context) -> None:
    """An inline `ignition.config` merge/replace config, validated as Ignition."""
    from .ignition.child import check_child_config

    result = check_child_config(text, ctx.ign_version)
    for kind, child_path, message in result.entries:
        # the child's own JSON paths, positioned against the Butane YAML as they are
        ctx.out.append(Entry(kind, message, child_path, tag="json"))
    if result.version_mismatch:
        ctx.warning(path + ("version",), msg.UNKNOWN_IGNITION_VERSION)
    if result.not_valid:
        ctx.error(path + ("inline",), msg.CONFIG_NOT_VALID)


def _resource(obj: Obj, path: Path, ctx: _Context) -> None:
    """Only one of local/inline/source (reported at the last one set in that
    order); an inline ignition.config is checked as an Ignition config.  A
    `local` one is not: the reference's check for it never runs."""
    local, inline, source = obj.get("local"), obj.get("inline"), obj.get("source")
    if (local is not None) + (inline is not None) + (source is not None) > 1:
        ctx.error(path + ("inline" if source is None else "source",),
                  msg.TOO_MANY_RESOURCE_SOURCES)
        return
    if inline is not None and path[:2] == ("ignition", "config"):
        _child_config(inline, path, ctx)


def _file_contents_v0_1(obj: Obj, path: Path, ctx: _Context) -> None:
    if obj.get("inline") is not None and obj.get("source") is not None:
        ctx.error(path + ("inline",), msg.TOO_MANY_RESOURCE_SOURCES)


# --- storage and systemd ----------------------------------------------------------------


def _filesystem(obj: Obj, path: Path, ctx: _Context) -> None:
    if obj.get("with_mount_unit") is not True:
        return
    fmt = obj.get("format")
    if ctx.base <= 3:
        # two independent checks before swap units existed
        if not obj.get("path"):
            ctx.error(path + ("path",), msg.MOUNT_UNIT_NO_PATH)
        if not fmt:
            ctx.error(path + ("format",), msg.MOUNT_UNIT_NO_FORMAT)
    elif not fmt:
        ctx.error(path + ("format",), msg.MOUNT_UNIT_NO_FORMAT)
    elif fmt != "swap" and not obj.get("path"):
        ctx.error(path + ("path",), msg.MOUNT_UNIT_NO_PATH)


def _tree(obj: Obj, path: Path, ctx: _Context) -> None:
    if not obj.get("local"):
        ctx.error(path, msg.TREE_NO_LOCAL)


def _one_contents(obj: Obj, path: Path, ctx: _Context) -> None:
    """Units, dropins and non-template quadlets: contents or contents_local."""
    if obj.get("contents_local") is not None and obj.get("contents") is not None:
        ctx.error(path + ("contents_local",), msg.TOO_MANY_SYSTEMD_SOURCES)


_QUADLET_EXTENSIONS = (".container", ".volume", ".network", ".kube", ".image", ".build", ".pod",
                       ".artifact")


def _quadlet(obj: Obj, path: Path, ctx: _Context) -> None:
    from .desugar.quadlets import template_of

    name = obj.get("name", "")
    if not name.endswith(_QUADLET_EXTENSIONS):
        ctx.error(path + ("name",), msg.QUADLET_BAD_EXTENSION)
        return
    if template_of(name) is None:
        _one_contents(obj, path, ctx)
        return
    for key in ("contents", "contents_local"):
        if obj.get(key) is not None:
            ctx.error(path + (key,), msg.TEMPLATE_INSTANCE_CONTENTS)


_CHECKS: dict[int, dict[str, Check]] = {}


def _checks(base: int) -> dict[str, Check]:
    checks = _CHECKS.get(base)
    if checks is not None:
        return checks
    checks = _CHECKS[base] = {
        "Directory": _mode_check(directory=True),
        "File": _mode_check(directory=False),
    }
    if base == 1:
        checks["FileContents"] = _file_contents_v0_1
        return checks
    checks.update(Resource=_resource, Filesystem=_filesystem, Tree=_tree)
    if base >= 5:
        checks.update(Unit=_one_contents, Dropin=_one_contents)
    if base >= 8:
        checks["Quadlet"] = _quadlet
    return checks


# (struct type, base) -> the fields under which some check can fire: (name, the
# struct type there, whether it is a list of them); nothing else is entered
_PLANS: dict[tuple[Type, int], tuple[tuple[str, Type, bool], ...]] = {}


def _plan(t: Type, base: int) -> tuple[tuple[str, Type, bool], ...]:
    checked = _checks(base)
    reaches: dict[Type, bool] = {}

    def reach(st: Type) -> bool:
        """Whether a checked struct is `st` or lies below it (the types form no cycle)."""
        known = reaches.get(st)
        if known is None:
            known = reaches[st] = st.name in checked or any(
                reach(s) for s in map(_struct_of, st.fields.values()) if s is not None)
        return known

    steps = []
    for name, f in t.fields.items():
        st = _struct_of(f)
        if st is not None and reach(st):
            steps.append((name, st, f.type.kind == "list"))
    plan = _PLANS[(t, base)] = tuple(steps)
    return plan


def _struct_of(f: Field) -> Type | None:
    """The struct type of a struct field or of a list-of-structs field's items."""
    ft: Type | None = f.type
    if ft is not None and ft.kind == "list":
        ft = ft.elem
    return ft if ft is not None and ft.kind == "struct" else None


def _walk(t: Type, value: Obj, path: Path, base: int, checks: dict[str, Check],
          ctx: _Context) -> None:
    check = checks.get(t.name)
    if check is not None:
        check(value, path, ctx)
    plan = _PLANS.get((t, base))
    if plan is None:
        plan = _plan(t, base)
    for name, st, many in plan:
        sub = value.get(name)
        if sub is None:
            continue  # an absent struct is zero: no check of the base layer fires on one
        if not many:
            if isinstance(sub, dict):
                _walk(st, sub, path + (name,), base, checks, ctx)
            continue
        for i, item in enumerate(sub):
            if isinstance(item, dict):
                _walk(st, item, path + (name, i), base, checks, ctx)


def validate(cfg: Obj, base: int, ign_minor: int) -> list[Entry]:
    """The base layer's source checks of a decoded config, in the reference's
    order.  `ign_minor` is the spec emitted (inline child configs are checked
    against it)."""
    ctx = _Context(base, _ign_version(ign_minor))
    _walk(butane_config(base), cfg, (), base, _checks(base), ctx)
    return ctx.out
