"""goflate: Go 1.27 compress/flate level 9 (behind compress/gzip), byte for byte.

The oracle is every gzip payload the reference wrote into the recorded outputs: decoded
and gunzipped it gives the input, and compressing that input again must give the very
same bytes. Payloads the user supplied already compressed (`compression: gzip` with a
gzip made by some other tool) are told apart by their header: Go writes XFL=2, OS=255.
"""

from __future__ import annotations

import base64
import gzip
import json
import random
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPORA

from butane_py.desugar import goflate

_PREFIX = "data:;base64,"
_GO_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def _sources(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        source = node.get("source")
        if node.get("compression") == "gzip" and isinstance(source, str):
            out.append(source)
        for value in node.values():
            _sources(value, out)
    elif isinstance(node, list):
        for value in node:
            _sources(value, out)


def _go_payloads(root: Path) -> list[tuple[str, bytes]]:
    """(case, gzip bytes) for every Go-written gzip payload in a corpus's expected.json."""
    found: list[tuple[str, bytes]] = []
    for f in sorted(root.glob("**/expected.json")):
        text = f.read_text()
        sources: list[str] = []
        try:
            _sources(json.loads(text), sources)
        except ValueError:  # a YAML MachineConfig
            sources = re.findall(r"source: (data:;base64,[A-Za-z0-9+/=]+)", text)
        for source in sources:
            if not source.startswith(_PREFIX):
                continue
            raw = base64.b64decode(source[len(_PREFIX):])
            if raw.startswith(_GO_HEADER):
                found.append((str(f.parent.relative_to(root)), raw))
    return found


@pytest.mark.parametrize("corpus", ["conformance", "realworld"])
def test_reference_payloads(corpus: str) -> None:
    root = CORPORA[corpus]
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    payloads = _go_payloads(root)
    assert payloads, "no gzip payloads found"
    done: dict[bytes, bool] = {}
    failures = []
    for case, expected in payloads:
        if expected not in done:
            done[expected] = goflate.gzip_compress(gzip.decompress(expected)) == expected
        if not done[expected]:
            failures.append(case)
    assert not failures, f"{len(failures)}/{len(payloads)} payloads differ: {failures[:10]}"


# Go's own expectations for the new implementation (deflate_test.go, level 9)
@pytest.mark.parametrize(
    ("data", "stream"),
    [
        (b"", "0300"),
        (b"\x11", "12040c00"),
        (b"\x11\x12", "1214020c00"),
        (b"\x11" * 9, "128401c000"),
    ],
)
def test_go_vectors(data: bytes, stream: str) -> None:
    assert goflate.deflate(data).hex() == stream


def test_gzip_framing() -> None:
    data = b"hello, world\n" * 3
    out = goflate.gzip_compress(data)
    assert out[:10] == _GO_HEADER
    assert out[-8:-4] == zlib.crc32(data).to_bytes(4, "little")
    assert out[-4:] == len(data).to_bytes(4, "little")
    assert goflate.gzip_len(data) == len(out)
    assert gzip.decompress(out) == data


def test_empty() -> None:
    out = goflate.gzip_compress(b"")
    assert out == _GO_HEADER + b"\x03\x00" + bytes(8)
    assert goflate.gzip_len(b"") == 20


def test_one_byte() -> None:
    assert gzip.decompress(goflate.gzip_compress(b"x")) == b"x"


def test_long_zero_run() -> None:
    data = bytes(100_000)
    out = goflate.gzip_compress(data)
    assert gzip.decompress(out) == data
    # recorded from the reference (specs: 100 000 zeros -> Go's DEFLATE is 115 bytes)
    assert len(out) - 18 == 115


def _roundtrip(data: bytes) -> bytes:
    out = goflate.gzip_compress(data)
    assert gzip.decompress(out) == data
    assert goflate.gzip_len(data) == len(out)
    return out


def test_incompressible_is_stored() -> None:
    data = random.Random(7).randbytes(5000)
    out = _roundtrip(data)
    # one stored block (5-byte header) and the empty fixed final block (2 bytes)
    assert len(out) == 10 + 5 + len(data) + 2 + 8
    assert out[10] == 0x00 and out[11:15] == bytes([0x88, 0x13, 0x77, 0xEC])


def test_large_random_several_blocks() -> None:
    _roundtrip(random.Random(3).randbytes(150_000))


def test_text_larger_than_window() -> None:
    rng = random.Random(5)
    words = [bytes(rng.choices(b"abcdefghij klmnop", k=rng.randint(2, 9))) for _ in range(400)]
    data = b" ".join(rng.choice(words) for _ in range(25_000))
    assert len(data) > 2 * 65536
    _roundtrip(data)


def test_mixed_content() -> None:
    rng = random.Random(11)
    data = rng.randbytes(40_000) + bytes(40_000) + b"text, " * 7000 + rng.randbytes(3000)
    _roundtrip(data)


def test_short_inputs() -> None:
    rng = random.Random(13)
    for n in range(0, 300, 7):
        _roundtrip(bytes(rng.choices(b"ab\n", k=n)))
        _roundtrip(rng.randbytes(n))


def test_lookup_tables_match_their_definition() -> None:
    """The tables are built from runs for speed; they must equal the per-distance rule."""
    from butane_py.desugar import goflate as g

    g._tables()
    expected = tuple(g._OFFSET_EXTRA[g._offset_code(d)] for d in range(g._WINDOW + 1))
    assert g._GAIN_OFFSET_EXTRA == expected
    bands: list[tuple[int, int, int]] = []
    for d in range(1, g._WINDOW + 1):
        if bands and bands[-1][2] == expected[d] and bands[-1][1] == d - 1:
            bands[-1] = (bands[-1][0], d, expected[d])
        else:
            bands.append((d, d, expected[d]))
    assert g._DISTANCE_BANDS == bands
