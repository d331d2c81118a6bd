"""Which variants and versions exist, and what each builds on."""

from __future__ import annotations

from . import messages as msg
from .records import NamedTuple

TYPE_CHECKING = False


class Spec(NamedTuple):
    variant: str
    version: str  # normalised semver, e.g. "1.6.0" or "1.8.0-experimental"
    base: int  # Butane base layer: 1 = v0_1 ... 8 = v0_8_exp
    ign_minor: int  # Ignition spec 3.<minor>; 7 is 3.7.0-experimental
    fcos_minor: int = 0  # fcos sections (boot_device from 3, grub from 5) on this base
    ocp_minor: int = 0  # openshift 4.<minor>

    @property
    def ign_version(self) -> str:
        return "3.7.0-experimental" if self.ign_minor == 7 else f"3.{self.ign_minor}.0"


def _fcos(minor: int, base: int, ign: int) -> Spec:
    version = "1.8.0-experimental" if minor == 8 else f"1.{minor}.0"
    return Spec("fcos", version, base, ign, fcos_minor=minor)


def _ocp(minor: int) -> Spec:
    # the fcos release each openshift range is built on
    if minor >= 23:
        base, ign, fcos = 8, 7, 8
    elif minor >= 19:
        base, ign, fcos = 6, 5, 6
    elif minor >= 14:
        base, ign, fcos = 5, 4, 5
    else:
        base, ign, fcos = 3, 2, 3
    version = f"4.{minor}.0" + ("-experimental" if minor == 23 else "")
    return Spec("openshift", version, base, ign, fcos_minor=fcos, ocp_minor=minor)


_SPECS = [
    _fcos(0, 1, 0), _fcos(1, 2, 1), _fcos(2, 3, 2), _fcos(3, 3, 2), _fcos(4, 4, 3),
    _fcos(5, 5, 4), _fcos(6, 6, 5), _fcos(7, 7, 6), _fcos(8, 8, 7),
    Spec("flatcar", "1.0.0", 4, 3), Spec("flatcar", "1.1.0", 5, 4),
    Spec("flatcar", "1.2.0-experimental", 8, 7),
    Spec("r4e", "1.0.0", 4, 3), Spec("r4e", "1.1.0", 5, 4), Spec("r4e", "1.2.0-experimental", 8, 7),
    Spec("fiot", "1.0.0", 5, 4), Spec("fiot", "1.1.0-experimental", 8, 7),
    *(_ocp(m) for m in range(8, 24)),
]
REGISTRY: dict[str, Spec] = {f"{s.variant}+{s.version}": s for s in _SPECS}

class SpecError(Exception):
    """A variant/version problem; str() is the reference's message."""


def normalise_version(text: str) -> str:
    """go-semver's parse and String(): `01.06.00` -> `1.6.0`; raises ValueError."""
    from .ignition.gopath import parse_semver

    parsed = parse_semver(text)
    if parsed is None:
        raise ValueError(text)
    major, minor, patch, pre, meta = parsed
    out = f"{major}.{minor}.{patch}"
    if pre:
        out += "-" + pre
    if meta:
        out += "+" + meta
    return out


def lookup(variant: str, version: str) -> Spec:
    if not variant:
        raise SpecError(msg.NO_VARIANT)
    try:
        norm = normalise_version(version)
    except ValueError:
        raise SpecError(msg.INVALID_VERSION) from None
    if variant == "rhcos" and norm == "0.1.0":
        raise SpecError(msg.RHCOS_REMOVED)
    spec = REGISTRY.get(f"{variant}+{norm}")
    if spec is None:
        raise SpecError(msg.UNKNOWN_VERSION.format(variant, norm))
    return spec


def all_specs() -> list[Spec]:
    return list(_SPECS)
