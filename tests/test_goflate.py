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
    assert tuple(g._GAIN_OFFSET_EXTRA) == expected
    bands: list[tuple[int, int, int]] = []
    for d in range(1, g._WINDOW + 1):
        if bands and bands[-1][2] == expected[d] and bands[-1][1] == d - 1:
            bands[-1] = (bands[-1][0], d, expected[d])
        else:
            bands.append((d, d, expected[d]))
    assert g._DISTANCE_BANDS == bands


# --- Huffman code lengths ------------------------------------------------------------
def _go_bit_counts(freqs: list[int], max_bits: int) -> list[int]:
    """Go's huffmanEncoder.bitCounts step by step (lazy boundary package-merge), for
    frequencies sorted ascending: how many symbols get each code length."""
    n = len(freqs)
    max_bits = min(max_bits, n - 1)
    inf = 1 << 40
    last, next_char, next_pair, needed = [0] * 17, [0] * 17, [0] * 17, [0] * 17
    leaf = [[0] * 17 for _ in range(17)]
    for lv in range(1, max_bits + 1):
        last[lv], next_char[lv], next_pair[lv] = freqs[1], freqs[2], freqs[0] + freqs[1]
        leaf[lv][lv] = 2
    next_pair[1] = inf
    needed[max_bits] = 2 * n - 4
    level = max_bits
    while True:
        if next_pair[level] == inf and next_char[level] == inf:
            needed[level] = 0
            next_pair[level + 1] = inf
            level += 1
            continue
        prev_freq = last[level]
        if next_char[level] < next_pair[level]:
            k = leaf[level][level] + 1
            last[level] = next_char[level]
            leaf[level][level] = k
            next_char[level] = freqs[k] if k < n else inf
        else:
            last[level] = next_pair[level]
            leaf[level][:level] = leaf[level - 1][:level]
            needed[level - 1] = 2
        needed[level] -= 1
        if needed[level] == 0:
            if level == max_bits:
                break
            next_pair[level + 1] = prev_freq + last[level]
            level += 1
        else:
            while needed[level - 1] > 0:
                level -= 1
    counts = leaf[max_bits]
    return [0] + [counts[lv] - counts[lv - 1] for lv in range(max_bits, 0, -1)]


def _go_code_lengths(freq: list[int], max_bits: int) -> list[int]:
    """Go's code lengths: symbols sorted by (frequency, symbol), the last ones (the most
    frequent) get the shortest codes."""
    nodes = sorted((f, sym) for sym, f in enumerate(freq) if f)
    lengths = [0] * len(freq)
    if len(nodes) <= 2:
        for _, sym in nodes:
            lengths[sym] = 1
        return lengths
    end = len(nodes)
    for nbits, count in enumerate(_go_bit_counts([f for f, _ in nodes], max_bits)):
        for _, sym in nodes[end - count:end]:
            lengths[sym] = nbits
        end -= count
    return lengths


def _random_table(rng: random.Random, size: int, kind: int) -> list[int]:
    if kind == 0:  # small counts: many ties
        return [rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 100]) for _ in range(size)]
    if kind == 1:  # large counts
        return [rng.choice([0, rng.randint(1, 40_000)]) for _ in range(size)]
    if kind == 2:  # very skewed: the length limit bites
        return [int(1.7 ** rng.randint(0, 28)) if rng.random() < 0.7 else 0 for _ in range(size)]
    return [rng.choice([0, 1]) for _ in range(size)]


def test_code_lengths_match_go_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lengths (and their bits) from Huffman's merge order, or from the levels when the
    limit bites, are Go's, ties included; both ways are taken."""
    built = []
    build = goflate._taken_per_built_level
    monkeypatch.setattr(goflate, "_taken_per_built_level",
                        lambda s, m: built.append(1) or build(s, m))
    rng = random.Random(17)
    compared = 0
    for i in range(1500):
        size, max_bits = rng.choice([(286, 15), (30, 15), (19, 7), (256, 15)])
        freq = _random_table(rng, size, i % 4)
        if sum(1 for f in freq if f) > 2 ** max_bits:
            continue
        expected = _go_code_lengths(freq, max_bits)
        lengths, bits = goflate._code_lengths(freq, max_bits)
        assert lengths == expected, (freq, max_bits)
        assert bits == sum(f * ln for f, ln in zip(freq, expected, strict=True))
        compared += 1
    assert 100 < len(built) < compared - 100


def test_codes_are_canonical() -> None:
    """RFC 1951's fixed literal/length code, LSB first."""
    codes = goflate._canonical(goflate._FIXED_LIT_LENGTHS)

    def msb(code: int, nbits: int) -> int:
        return int(f"{code:0{nbits}b}"[::-1], 2)

    for sym, code, nbits in [(0, 0b00110000, 8), (143, 0b10111111, 8), (144, 0b110010000, 9),
                             (255, 0b111111111, 9), (256, 0, 7), (279, 0b0010111, 7),
                             (280, 0b11000000, 8), (285, 0b11000101, 8)]:
        assert msb(codes[sym], nbits) == code, sym


def test_codegen_frequencies() -> None:
    rng = random.Random(23)
    for _ in range(500):
        sizes = [rng.choice([0, 0, 0, 0, 5, 6, 7, 8]) for _ in range(rng.randint(1, 320))]
        if rng.random() < 0.5:
            sizes.sort()
        out = goflate._codegen(sizes)
        expected = [0] * 19
        i = 0
        while i < len(out):
            expected[out[i]] += 1
            i += 2 if out[i] >= 16 else 1
        assert goflate._codegen_freq(sizes) == expected


# --- sizes without bytes ---------------------------------------------------------------
def test_size_is_the_payload_length() -> None:
    """The size is counted from the recorded writes: stored, fixed, dynamic blocks."""
    rng = random.Random(29)
    for data in (b"", b"a", rng.randbytes(300), b"abc" * 40, bytes(rng.choices(b"ab\n", k=900)),
                 rng.randbytes(70_000), bytes(rng.choices(b"xyz", k=6_000))):
        gz = goflate.Gzip(data)
        assert gz.size == len(gz.payload())


# Outputs of the previous implementation (checked against the reference's payloads) for
# inputs that reach paths the payloads do not: several windows, blocks cut at 32768
# tokens, stored blocks, literal bursts, tables kept for the next block.
def _edge_inputs() -> dict[str, bytes]:
    rng = random.Random(2024)
    words = [bytes(rng.choices(b"abcdefghij klmnop\n", k=rng.randint(2, 9))) for _ in range(300)]
    text = b" ".join(rng.choice(words) for _ in range(20_000))[:100_000]
    weights = [1 + (i % 17 == 0) * 50 for i in range(256)]
    return {
        "text": text,
        "random": rng.randbytes(70_000),
        "mixed": rng.randbytes(20_000) + bytes(30_000) + text[:40_000] + rng.randbytes(2_000),
        "skewed": bytes(rng.choices(range(256), weights=weights, k=50_000)),
        "skewed-long": bytes(rng.choices(range(256), weights=weights, k=140_000)),
    }


_EDGE_DIGESTS = {
    "text": "b2c4a45fd4040cd5a649610812ec291f",
    "random": "271e7fc7bf3e8ed8752448f95f9585c9",
    "mixed": "df0be0ebf445b5aacb6c483f8e79f32a",
    "skewed": "fcd7ed901d955d3ee1383c9a15c57855",
    "skewed-long": "c18c9779f766d8e0d04d3385a8687579",
}


@pytest.mark.parametrize("name", sorted(_EDGE_DIGESTS))
def test_edge_paths_unchanged(name: str) -> None:
    import hashlib

    data = _edge_inputs()[name]
    assert hashlib.sha256(goflate.gzip_compress(data)).hexdigest()[:32] == _EDGE_DIGESTS[name]
