"""Data URLs for inline and local contents: the shortest of percent-escaped,
base64, and (when allowed) gzip+base64, as the reference chooses."""

from __future__ import annotations

import zlib
from binascii import b2a_base64

# Go's DEFLATE in Python is slow and its multi-block paths are checked by review only:
# above this size zlib's length decides even a close call
_GO_EXACT_MAX = 64 * 1024

# bytes left as they are by the reference's escaping
_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
# Any gzip payload takes 20 bytes or more (header, an empty DEFLATE stream, trailer):
# when even that would not be shorter, zlib need not run.
_GZIP_MIN = 20
# zlib's gzip is quick but its length differs from the reference's (Go's flate). Over the
# 380 Go payloads of the corpora: at most 8 bytes below 1 KB of output, 14 below 2 KB,
# 68 (1.4%) at 4.7 KB. When the gzip/no-gzip choice could flip within this margin
# (bytes, by zlib's length: a little over the worst seen), Go's exact output is computed
# (goflate, slow) and decides.


def _go_margin(zlib_len: int) -> int:
    if zlib_len < 1000:
        return 10
    if zlib_len < 2000:
        return 20
    return zlib_len // 50


# what each byte becomes, as str.translate reads it (for the bytes decoded as latin-1);
# urllib.parse would do, but it loads ipaddress at start-up
_ESCAPED = tuple(chr(b) if b in _SAFE else f"%{b:02X}" for b in range(256))


def escape(data: bytes) -> str:
    """Percent-escape every byte outside the reference's safe set, as %XX (upper case)."""
    if not data.translate(None, _SAFE):
        return data.decode("ascii")
    return data.decode("latin-1").translate(_ESCAPED)


def _base64(data: bytes) -> str:
    return b2a_base64(data, newline=False).decode("ascii")


def _b64_len(n: int) -> int:
    return 4 * ((n + 2) // 3)


# Most embedded files are small, and zlib's set-up (zeroing a 256 KiB hash table at
# memLevel 9) then costs more than compressing. Below _SMALL bytes a window and
# memLevel just big enough give the same bytes: the window still holds every
# earlier position (no match is out of reach), the literal buffer still holds every
# symbol (no extra block), and no hash chain is long enough to reach zlib's chain
# limit, so collisions in the smaller hash cannot change which match is found.
_SMALL = 1024


def _zlib_deflate(data: bytes) -> bytes:
    n = len(data)
    if n < _SMALL:
        wbits = max(9, (n + 262).bit_length())  # 262: zlib's minimum lookahead
        mem_level = max(1, (n + 2).bit_length() - 6)  # literal buffer: 2**(mem_level+6)
        c = zlib.compressobj(9, zlib.DEFLATED, -wbits, mem_level)
    else:
        c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return c.compress(data) + c.flush()


def _gzip_frame(body: bytes, data: bytes) -> bytes:
    """A DEFLATE stream of data behind the fixed gzip header, with the gzip trailer."""
    return (_GZIP_HEADER + body + zlib.crc32(data).to_bytes(4, "little")
            + (len(data) & 0xFFFFFFFF).to_bytes(4, "little"))


def gzip_bytes(data: bytes) -> bytes:
    """gzip at best compression with a fixed header (no name, mtime 0, OS unknown).
    The DEFLATE stream is zlib's, not Go's: payload bytes may differ from the reference."""
    return _gzip_frame(_zlib_deflate(data), data)


# Configs of one fleet embed the same files again and again (a pre-commit hook or a
# generator translates many in one process): compressed contents are remembered by
# their bytes, up to this many entries of at most _MEMO_MAX_BYTES each.
_MEMO: dict[tuple[bytes, bool], tuple[str, str | None]] = {}
_MEMO_ENTRIES = 4096
_MEMO_MAX_BYTES = 256 * 1024


def make_data_url(data: bytes, compression: str | None, auto_compress: bool) -> tuple[str, str | None]:
    """Returns the URL and the compression to record (None: leave the user's)."""
    if compression or not auto_compress or len(data) > _MEMO_MAX_BYTES:
        return _make_data_url(data, compression, auto_compress)
    key = (data, compression is None)
    found = _MEMO.get(key)
    if found is None:
        found = _make_data_url(data, compression, auto_compress)
        if len(_MEMO) >= _MEMO_ENTRIES:
            _MEMO.clear()
        _MEMO[key] = found
    return found


def _make_data_url(data: bytes, compression: str | None, auto_compress: bool
                   ) -> tuple[str, str | None]:
    user_compressed = bool(compression)
    new_compression: str | None = None if user_compressed else ""
    escaped_len = 1 + len(data) + 2 * len(data.translate(None, _SAFE))
    b64_len = 8 + _b64_len(len(data))
    best_len = b64_len if b64_len < escaped_len else escaped_len
    if not user_compressed and auto_compress and (
            8 + _b64_len(_GZIP_MIN) + 4 < best_len):
        body = _zlib_deflate(data)
        gz_len = len(_GZIP_HEADER) + len(body) + 8
        margin = _go_margin(gz_len)
        if len(data) <= _GO_EXACT_MAX and (8 + _b64_len(gz_len - margin) + 4 < best_len) != (
                8 + _b64_len(gz_len + margin) + 4 < best_len):
            from .goflate import Gzip  # slow to load and run: close calls only

            go = Gzip(data)  # close call: the reference's own size decides
            if 8 + _b64_len(go.size) + 4 < best_len:
                return "data:;base64," + _base64(go.payload()), "gzip"
        elif 8 + _b64_len(gz_len) + 4 < best_len:
            return "data:;base64," + _base64(_gzip_frame(body, data)), "gzip"
    if b64_len < escaped_len:
        return "data:;base64," + _base64(data), new_compression
    return "data:," + escape(data), new_compression
