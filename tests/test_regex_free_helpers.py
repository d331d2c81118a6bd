"""Helpers written without `re` (loading it costs milliseconds of every start)
agree with the regular expressions they replace."""

from __future__ import annotations

import random
import re

from butane_py.paths import camel_to_snake
from butane_py.registry import _is_ident, _is_int
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
        assert _is_ident(s) == bool(re.fullmatch(r"[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*", s)), s
        assert _is_int(s) == bool(re.fullmatch(r"[+-]?[0-9]+", s)), s


def test_mount_point_and_luks_device_names() -> None:
    for s in _SAMPLES:
        assert _under_etc_or_var(s) == bool(re.match(r"/(etc|var)(/|\Z)", s)), s
        for prefix in ("/dev/dasd", "/dev/sd"):
            assert _names_device(s, prefix) == bool(re.search(re.escape(prefix) + r"[a-z]\Z", s))
