"""make_data_url: the choice among escaped, base64 and gzip+base64 is the reference's,
computed with as little work as the choice needs."""

from __future__ import annotations

import base64
import random
from urllib.parse import quote_from_bytes

import pytest

from butane_py.desugar import dataurl, goflate

# close calls from bench/out/large.bu: zlib's size alone would choose the other way
GO_WINS = (b"november_debug = bind timeout dir kubelet\n[proxy.juliet]\n"
           b"xray_listen = server interval\nfoxtrot_error = opt lima etc foxtrot tmp\n")
GO_LOSES = (b"golf_cache = listen delta kilo opt home\necho_size = quebec log size\n"
            b"kilo_cache = socket hotel proxy min\n")


def _reference(data: bytes) -> tuple[str, str | None]:
    """The choice as first written (auto-compression on, no user compression): every
    candidate in full, zlib's gzip replaced by Go's on a close call."""
    escaped = "data:," + quote_from_bytes(data, safe="!*'()")
    b64 = "data:;base64," + base64.b64encode(data).decode()
    best = min(len(escaped) - 5, len(b64) - 5)  # the lengths the reference compares
    gz = dataurl.gzip_bytes(data)
    margin = dataurl._go_margin(len(gz))

    def gzip_url_len(n: int) -> int:
        return 8 + 4 * ((n + 2) // 3) + 4

    if (gzip_url_len(len(gz) - margin) < best) != (gzip_url_len(len(gz) + margin) < best):
        gz = goflate.gzip_compress(data)
    if gzip_url_len(len(gz)) < best:
        return "data:;base64," + base64.b64encode(gz).decode(), "gzip"
    return (b64 if len(b64) < len(escaped) else escaped), ""


def _samples() -> list[bytes]:
    rng = random.Random(31)
    words = [b"alpha", b"beta", b"gamma", b"/etc/x", b"=", b"\n", b" ", b"%", b"\xc3\xa9"]
    out = [b"", b"x", b"a" * 39, b"a" * 40, GO_WINS, GO_LOSES, bytes(range(256))]
    for _ in range(300):
        n = rng.choice([rng.randint(1, 60), rng.randint(60, 400), rng.randint(400, 3000)])
        kind = rng.randrange(3)
        if kind == 0:
            out.append(b"".join(rng.choice(words) for _ in range(n // 4 + 1))[:n])
        elif kind == 1:
            out.append(rng.randbytes(n))
        else:
            out.append(bytes(rng.choices(b"abc-_.!~*'()", k=n)))
    return out


def test_choice_is_unchanged() -> None:
    for data in _samples():
        assert dataurl._make_data_url(data, None, True) == _reference(data), data


def test_close_calls_build_go_bytes_only_when_gzip_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    for data in (GO_WINS, GO_LOSES):  # close calls indeed: zlib alone would decide otherwise
        best = min(1 + len(data) + 2 * len(data.translate(None, dataurl._SAFE)),
                   8 + dataurl._b64_len(len(data)))
        zlib_says = 12 + dataurl._b64_len(len(dataurl.gzip_bytes(data))) < best
        assert zlib_says == (data is GO_LOSES)
    built: list[bytes] = []
    payload = goflate.Gzip.payload
    monkeypatch.setattr(goflate.Gzip, "payload", lambda self: built.append(b"") or payload(self))
    url, compression = dataurl._make_data_url(GO_LOSES, None, True)
    assert compression == "" and not built
    url, compression = dataurl._make_data_url(GO_WINS, None, True)
    assert compression == "gzip" and len(built) == 1
    assert base64.b64decode(url.removeprefix("data:;base64,")) == goflate.gzip_compress(GO_WINS)


def test_no_zlib_when_gzip_cannot_be_shorter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any gzip takes 20 bytes: 40 in the comparison, not below a 39-byte safe text's 40."""
    ran: list[bytes] = []
    deflate = dataurl._zlib_deflate
    monkeypatch.setattr(dataurl, "_zlib_deflate", lambda data: ran.append(data) or deflate(data))
    assert dataurl._make_data_url(b"a" * 39, None, True) == ("data:," + "a" * 39, "")
    assert not ran
    dataurl._make_data_url(b"a" * 40, None, True)
    assert ran == [b"a" * 40]


def test_small_inputs_deflate_as_with_the_full_window() -> None:
    """Sized zlib settings below 1 KiB give exactly the bytes of memLevel 9 and a
    32 KiB window (random, text-like, word-like and repeating inputs, every size)."""
    import os
    import random
    import zlib

    from butane_py.desugar.dataurl import _zlib_deflate

    rng = random.Random(11)
    words = [b"the", b"config", b"=", b"\n", b"value", b"[Unit]", b"ExecStart=/usr/bin/", b" "]
    for size in range(0, 1100, 3):
        for data in (os.urandom(size), bytes(rng.choice(b"abcdefgh \n") for _ in range(size)),
                     b"".join(rng.choice(words) for _ in range(size))[:size],
                     bytes(rng.randrange(256) for _ in range(size // 8)) * 8):
            c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
            assert _zlib_deflate(data) == c.compress(data) + c.flush(), size
