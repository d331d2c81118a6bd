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


def test_yaml_float_syntax() -> None:
    from butane_py.yaml_scalars import is_yaml_float

    floats = r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    rng = random.Random(5)
    samples = _SAMPLES + ["1.5.0", ".5", ".", "1.", "1.e5", "-.5E-3", "+1e", "e5", "1e+", "٣.٤"] + [
        "".join(rng.choice("0123456789.eE+-x") for _ in range(rng.randint(0, 7)))
        for _ in range(20000)]
    for s in samples:
        assert is_yaml_float(s) == bool(re.fullmatch(floats, s)), s


def test_guid_syntax() -> None:
    from butane_py.ignition.validate import _is_guid

    guid = r"(|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})"
    rng = random.Random(9)
    good = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"
    samples = ["", good, good.lower(), good[:-1], good + "0", good.replace("-", "0", 1),
               good[:8] + "0" + good[9:], "g" + good[1:], "٣" + good[1:]] + [
        "".join(rng.choice("0aF-g") if rng.random() < 0.1 else ch for ch in good)
        for _ in range(5000)]
    for s in samples:
        assert _is_guid(s) == bool(re.fullmatch(guid, s)), s


def test_byte_sequences_found_as_by_a_search() -> None:
    """fastyaml.occurs (memchr on the lead byte, a search once it is common) against
    re, for the reader's and the subset's sequences."""
    from butane_py.fastyaml import occurs

    rng = random.Random(4)
    cases = [(b"\xc2", bytes(range(0x80, 0x85)) + bytes(range(0x86, 0xA0))),
             (b"\xef\xbf", b"\xbe\xbf"), (b"\xc2\x85", b""), (b"\xe2\x80", b"\xa8\xa9")]
    alphabet = [b"\xc2", b"\x85", b"\x80", b"\xa0", b"\xef", b"\xbf", b"\xbe", b"\xe2", b"\xa8", b"a"]
    for _ in range(3000):
        data = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        start = rng.randint(0, 3)
        for prefix, last in cases:
            pattern = re.escape(prefix) + (b"[" + re.escape(last) + b"]" if last else b"")
            assert occurs(data, prefix, last, start) == (
                re.compile(pattern).search(data, start) is not None), (data, prefix, start)
