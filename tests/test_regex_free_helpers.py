"""Helpers written without `re` (loading it costs milliseconds of every start)
agree with the regular expressions they replace."""

from __future__ import annotations

import random
import re

from butane_py.ignition.gopath import is_semver_ident, parse_semver
from butane_py.paths import camel_to_snake
from butane_py.variants.fcos import _names_device, _under_etc_or_var

_RNG = random.Random(3)
_SAMPLES = ["", "a", "MiB", "sizeMiB", "typeGuid", "1.2", "-", "+7", "07", "é", "1.", ".1",
            "a..b", "/etc", "/var/x", "/etcx", "/etc\n", "/dev/dasda", "/dev/sdA", "/dev/sda\n",
            "x/dev/sdz", "١٢"] + [
    "".join(_RNG.choice("aMiBbZ_9é.-+/etcvdsr\n١") for _ in range(_RNG.randint(0, 10)))
    for _ in range(3000)]


def test_camel_to_snake() -> None:
    for s in _SAMPLES:
        assert camel_to_snake(s) == re.sub(r"(MiB|[A-Z])", lambda m: "_" + m.group(1).lower(), s)


def test_semver_identifier_and_number() -> None:
    for s in _SAMPLES:
        assert is_semver_ident(s) == bool(re.fullmatch(r"[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*", s)), s
        for version in (s, f"{s}.0.0", f"1.{s}.2", f"1.2.3-{s}", f"1.2.3+{s}", f"0.0.{s}-a+b"):
            assert parse_semver(version) == _semver_by_regex(version), version


def _semver_by_regex(text: str) -> tuple[int, int, int, str, str] | None:
    rest, _, meta = text.partition("+")
    rest, _, pre = rest.partition("-")
    parts = rest.split(".", 2)
    ident = r"[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*"
    if len(parts) != 3 or any(x and not re.fullmatch(ident, x) for x in (pre, meta)):
        return None
    if not all(re.fullmatch(r"[+-]?[0-9]+", x) and -(2**63) <= int(x) < 2**63 for x in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), pre, meta


def test_mount_point_and_luks_device_names() -> None:
    for s in _SAMPLES:
        assert _under_etc_or_var(s) == bool(re.match(r"/(etc|var)(/|\Z)", s)), s
        for prefix in ("/dev/dasd", "/dev/sd"):
            assert _names_device(s, prefix) == bool(re.search(re.escape(prefix) + r"[a-z]\Z", s))
