"""gzip exactly as the reference writes it: Go 1.27's compress/flate at level 9
(BestCompression) behind compress/gzip, for a whole input written at once and closed.

Only the size of the result matters to the reference's choice of encoding, but the
bytes are reproduced too, so that a chosen gzip payload matches byte for byte.

Outline of what Go does at levels 7-9 (all of it reproduced here):

* LZ77 with hash chains over a 64 KiB window that slides by 32 KiB. Positions are
  hashed on their first four bytes (17-bit multiplicative hash). Lazy matching: a match
  found at one position is emitted only if the next position offers nothing longer.
  A candidate must beat the best one so far in an estimated "gain": literal bits saved
  (from a Huffman code of the window's byte histogram) minus the extra bits of its
  distance and length codes.
* After choosing a match, one more candidate is tried: the most recent position whose
  hash equals the hash at the match's end, re-aligned to the match start and allowed to
  start up to two bytes later (the skipped bytes become literals).
* Long runs without matches (more than `chain` literals) emit literals in bursts.
* Tokens are cut into blocks of 32768; each block is written stored, fixed or dynamic,
  whichever the size estimates favour, and a dynamic table may be reused by the next
  block. The stream ends with an empty fixed-Huffman final block.

Data are handled in absolute positions instead of Go's sliding buffer; the slide is
still tracked (`base`) because it limits how far back matches may reach, decides when
the histogram behind the gain estimate is rebuilt, and whether a block's raw bytes are
still available for a stored block.

Speed: Go walks up to 1024 chain entries per position; in Python that walk is the cost.
Here a chain is a slice of a per-hash position list, and on long chains only candidates
that could possibly be accepted are visited (found with bytes.rfind, distance band by
distance band), in Go's order, so the outcome is the same.
"""

from __future__ import annotations

import struct
import zlib
from bisect import bisect_left, bisect_right
from itertools import accumulate

__all__ = ["gzip_compress", "gzip_len", "deflate"]

_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"

# --- format constants ---------------------------------------------------------------
_WINDOW = 1 << 15  # match reach; the buffer holds two of these
_BUFFER = 2 * _WINDOW
_MIN_MATCH = 4
_MAX_MATCH = 258
_LOOKAHEAD = _MIN_MATCH + _MAX_MATCH  # below this much lookahead a step waits for data
_SHIFT_AT = _BUFFER - _LOOKAHEAD
_HASH_BITS = 17
_PRIME4 = 2654435761
_MAX_BLOCK_TOKENS = 1 << 15
_MAX_STORED = 65535
_MAX_FIXED_TOKENS = 250  # fixed Huffman is only considered for blocks with fewer tokens
_NEW_TABLE_PENALTY_LOG = 8
_CHECK_OFF = 2  # how far past a match start the "better match at end" probe looks
_BASE_COST = 3

# level 9: good, lazy, nice, chain
_LAZY = 258
_NICE = 258
_CHAIN = 1024

_EMPTY = -(1 << 40)  # an empty hash slot: older than any position

_EOB = 256
_LITERAL_COUNT = 286
_OFFSET_CODE_COUNT = 30
_CODEGEN_ORDER = (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15)

_LENGTH_BASE = (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56,
                64, 80, 96, 112, 128, 160, 192, 224, 255)
_LENGTH_EXTRA = (0,) * 8 + (1,) * 4 + (2,) * 4 + (3,) * 4 + (4,) * 4 + (5,) * 4 + (0,)
_OFFSET_EXTRA = (0, 0, 0, 0) + tuple(i // 2 for i in range(2, 28))
_OFFSET_BASE = tuple(
    (0, 1, 2, 3)[c] if c < 4 else (2 + (c & 1)) << (c // 2 - 1) for c in range(30)
)


def _length_code(xlength: int) -> int:
    """The length code (0..28) of a match length minus 3."""
    code = 0
    while code < 28 and _LENGTH_BASE[code + 1] <= xlength:
        code += 1
    return code


_LENGTH_CODE = tuple(_length_code(x) for x in range(256))


def _small_offset_code(x: int) -> int:
    if x < 4:
        return x
    nb = x.bit_length() - 1
    return 2 * nb + ((x >> (nb - 1)) & 1)


_OFFSET_CODES = tuple(_small_offset_code(x) for x in range(256))


def _offset_code(x: int) -> int:
    """Go's offsetCode: table lookups, the upper one indexed by a truncated byte."""
    if x < 256:
        return _OFFSET_CODES[x]
    return _OFFSET_CODES[(x >> 7) & 0xFF] + 14


# extra bits charged by the gain estimate for a distance d (Go passes the distance,
# not distance-1, to offsetCode there) and for a match length n
# (32K entries: built on first use, not at import; see _tables)
_GAIN_OFFSET_EXTRA: tuple[int, ...] = ()
_GAIN_LENGTH_EXTRA = tuple(
    _LENGTH_EXTRA[_LENGTH_CODE[(n - 3) & 255]] if n >= 3 else 0 for n in range(_MAX_MATCH + 1)
)



def _distance_segments() -> list[tuple[int, int, int]]:
    """(first distance, count, extra bits) for d = 0 ... window: per distance below 256,
    then per 128-distance block, as Go's two-level offsetCode lookup reads them."""
    segments = [(d, 1, _OFFSET_EXTRA[_OFFSET_CODES[d]]) for d in range(256)]
    segments += [(hi << 7, 128, _OFFSET_EXTRA[_OFFSET_CODES[hi] + 14]) for hi in range(2, 256)]
    segments.append((_WINDOW, 1, _OFFSET_EXTRA[_OFFSET_CODES[(_WINDOW >> 7) & 0xFF] + 14]))
    return segments


_DISTANCE_BANDS: list[tuple[int, int, int]] = []


def _tables() -> None:
    """Builds the large lookup tables once, when the first input is compressed:
    the gain estimate's extra bits per distance, and their runs (first, last, extra)."""
    global _GAIN_OFFSET_EXTRA, _DISTANCE_BANDS
    if _GAIN_OFFSET_EXTRA:
        return
    segments = _distance_segments()
    extras: list[int] = []
    bands: list[tuple[int, int, int]] = []
    for first, count, extra in segments:
        extras.extend([extra] * count)
        if first == 0:
            continue
        last = first + count - 1
        if bands and bands[-1][2] == extra and bands[-1][1] == first - 1:
            bands[-1] = (bands[-1][0], last, extra)
        else:
            bands.append((first, last, extra))
    _GAIN_OFFSET_EXTRA = tuple(extras)
    _DISTANCE_BANDS = bands


# --- Huffman code construction -----------------------------------------------------
_INF = 1 << 31


def _bit_counts(freqs: list[int], max_bits: int) -> list[int]:
    """How many symbols get each code length (index = length), for frequencies sorted
    ascending (at least three). Go's length-limited construction, step for step, so
    that ties come out the same."""
    n = len(freqs)
    max_bits = min(max_bits, n - 1)

    def char_freq(k: int) -> int:
        return freqs[k] if k < n else _INF

    last = [0] * 17
    next_char = [0] * 17
    next_pair = [0] * 17
    needed = [0] * 17
    leaf = [[0] * 17 for _ in range(17)]
    for lv in range(1, max_bits + 1):
        last[lv] = freqs[1]
        next_char[lv] = freqs[2]
        next_pair[lv] = freqs[0] + freqs[1]
        leaf[lv][lv] = 2
    next_pair[1] = _INF
    needed[max_bits] = 2 * n - 4

    level = max_bits
    while level < 16:
        if next_pair[level] == _INF and next_char[level] == _INF:
            needed[level] = 0
            next_pair[level + 1] = _INF
            level += 1
            continue
        prev_freq = last[level]
        if next_char[level] < next_pair[level]:
            k = leaf[level][level] + 1
            last[level] = next_char[level]
            leaf[level][level] = k
            next_char[level] = char_freq(k)
        else:
            last[level] = next_pair[level]
            save = leaf[level][level]
            leaf[level] = leaf[level - 1][:]
            leaf[level][level] = save
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

    if leaf[max_bits][max_bits] != n:
        raise AssertionError("Huffman construction did not place every symbol")
    counts = leaf[max_bits]
    result = [0] * (max_bits + 1)
    for bits, lv in enumerate(range(max_bits, 0, -1), start=1):
        result[bits] = counts[lv] - counts[lv - 1]
    return result


def _reverse(code: int, nbits: int) -> int:
    out = 0
    for _ in range(nbits):
        out = (out << 1) | (code & 1)
        code >>= 1
    return out


class _Code:
    """A Huffman code: bit lengths and bit-reversed codes (ready for LSB-first output)."""

    __slots__ = ("lengths", "codes")

    def __init__(self, lengths: list[int], codes: list[int]) -> None:
        self.lengths = lengths
        self.codes = codes

    @classmethod
    def build(cls, freq: list[int], max_bits: int) -> _Code:
        size = len(freq)
        lengths = [0] * size
        codes = [0] * size
        nodes = [(f, sym) for sym, f in enumerate(freq) if f]
        if len(nodes) <= 2:
            for i, (_, sym) in enumerate(nodes):
                lengths[sym] = 1
                codes[sym] = i
            return cls(lengths, codes)
        nodes.sort()
        bit_count = _bit_counts([f for f, _ in nodes], max_bits)
        code = 0
        remaining = len(nodes)
        for nbits, count in enumerate(bit_count):
            code <<= 1
            if nbits == 0 or count == 0:
                continue
            chunk = sorted(sym for _, sym in nodes[remaining - count:remaining])
            for sym in chunk:
                lengths[sym] = nbits
                codes[sym] = _reverse(code, nbits)
                code += 1
            remaining -= count
        return cls(lengths, codes)

    @classmethod
    def canonical(cls, lengths: list[int]) -> _Code:
        """Codes for given lengths, assigned in symbol order within each length."""
        codes = [0] * len(lengths)
        code = 0
        for nbits in range(1, 16):
            code <<= 1
            for sym, ln in enumerate(lengths):
                if ln == nbits:
                    codes[sym] = _reverse(code, nbits)
                    code += 1
        return cls(list(lengths), codes)

    def bit_length(self, freq: list[int]) -> int:
        lengths = self.lengths
        return sum(f * lengths[i] for i, f in enumerate(freq) if f)


# the fixed code spans 288 symbols (286 and 287 take code space but are never sent)
_FIXED_ALL = _Code.canonical([8] * 144 + [9] * 112 + [7] * 24 + [8] * 8)
_FIXED_LITERALS = _Code(_FIXED_ALL.lengths[:_LITERAL_COUNT], _FIXED_ALL.codes[:_LITERAL_COUNT])
_FIXED_OFFSETS = _Code.canonical([5] * 30)


# --- float32 arithmetic for Go's block-size estimate ---------------------------------
_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")


def _f32(x: float) -> float:
    return float(_F32.unpack(_F32.pack(x))[0])


_C1 = _f32(-0.34484843)
_C2 = _f32(2.02466578)
_C3 = _f32(0.67487759)


def _fast_log2(val: float) -> float:
    ux = _U32.unpack(_F32.pack(val))[0]
    log2 = float(((ux >> 23) & 255) - 128)
    ux = (ux & 0x807FFFFF) + (127 << 23)
    uval = float(_F32.unpack(_U32.pack(ux & 0xFFFFFFFF))[0])
    poly = _f32(_f32(_f32(_f32(_C1 * uval) + _C2) * uval) - _C3)
    return _f32(log2 + poly)


def _shannon_term(v: int, inv_total: float) -> float:
    n = float(v)
    bits = min(15.0, max(1.0, -_fast_log2(_f32(n * inv_total))))
    return _f32(bits * n)


# --- tokens --------------------------------------------------------------------------
# A token is a literal byte (< 256), the end-of-block marker (256), or a match:
# _MATCH | xlength << 16 | xoffset, with xlength = length - 3, xoffset = distance - 1.
_MATCH = 1 << 24


class _Tokens:
    __slots__ = ("items", "lit_hist", "extra_hist", "off_hist")

    def __init__(self) -> None:
        self.items: list[int] = []
        self.lit_hist = [0] * 256
        self.extra_hist = [0] * 32  # [0] = end of block, [1 + length code]
        self.off_hist = [0] * 32

    def reset(self) -> None:
        self.items = []
        self.lit_hist = [0] * 256
        self.extra_hist = [0] * 32
        self.off_hist = [0] * 32

    def add_eob(self) -> None:
        self.items.append(_EOB)
        self.extra_hist[0] += 1

    def estimated_bits(self) -> int:
        """Go's estimate of an optimally coded block (float32, as Go computes it)."""
        shannon = 0.0
        bits = 0
        n_matches = 0
        total = len(self.items)
        if total > 0:
            inv_total = _f32(1.0 / float(total))
            for v in self.lit_hist:
                if v:
                    shannon = _f32(shannon + _shannon_term(v, inv_total))
            shannon = _f32(shannon + 15.0)
            for i, v in enumerate(self.extra_hist[1:_LITERAL_COUNT - 256]):
                if v:
                    shannon = _f32(shannon + _shannon_term(v, inv_total))
                    bits += _LENGTH_EXTRA[i] * v
                    n_matches += v
        if n_matches > 0:
            inv_total = _f32(1.0 / float(n_matches))
            for i, v in enumerate(self.off_hist[:_OFFSET_CODE_COUNT]):
                if v:
                    shannon = _f32(shannon + _shannon_term(v, inv_total))
                    bits += _OFFSET_EXTRA[i] * v
        return int(shannon) + bits


# --- block writer --------------------------------------------------------------------
class _BlockWriter:
    """Go's huffmanBitWriter, as far as level 9 uses it."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.nbits = 0
        self.prev_header = 0  # > 0: a dynamic table is open for reuse and owes an EOB
        self.lit = _Code([0] * _LITERAL_COUNT, [0] * _LITERAL_COUNT)
        self.off = _Code([0] * _OFFSET_CODE_COUNT, [0] * _OFFSET_CODE_COUNT)
        self.codegen_code = _Code([0] * 19, [0] * 19)
        self.codegen: list[int] = []
        self.codegen_freq = [0] * 19
        self.literal_freq = [0] * 289
        self.offset_freq = [0] * 32

    # bits
    def write_bits(self, value: int, nbits: int) -> None:
        self.acc |= value << self.nbits
        self.nbits += nbits
        if self.nbits >= 2048:
            self._drain()

    def _drain(self) -> None:
        nb = self.nbits >> 3
        if nb:
            self.out += (self.acc & ((1 << (nb * 8)) - 1)).to_bytes(nb, "little")
            self.acc >>= nb * 8
            self.nbits -= nb * 8

    def flush(self) -> None:
        """Ends an open table with its EOB and pads to a byte boundary."""
        if self.prev_header > 0:
            self.write_bits(self.lit.codes[_EOB], self.lit.lengths[_EOB])
            self.prev_header = 0
        self._drain()
        if self.nbits:
            self.out.append(self.acc & 0xFF)
            self.acc = 0
            self.nbits = 0

    def _close_open_table(self) -> None:
        if self.prev_header > 0:
            self.write_bits(self.lit.codes[_EOB], self.lit.lengths[_EOB])
            self.prev_header = 0

    # headers
    def write_stored_header(self, length: int, eof: bool) -> None:
        self._close_open_table()
        if length == 0 and eof:
            self.write_fixed_header(True)
            self.write_bits(0, 7)
            self.flush()
            return
        self.write_bits(1 if eof else 0, 3)
        self.flush()
        self.write_bits(length, 16)
        self.write_bits(length ^ 0xFFFF, 16)

    def write_bytes(self, data: bytes) -> None:
        self._drain()
        self.out += data

    def write_stored(self, data: bytes, eof: bool) -> None:
        self.write_stored_header(len(data), eof)
        self.write_bytes(data)

    def write_fixed_header(self, eof: bool) -> None:
        self._close_open_table()
        self.write_bits(3 if eof else 2, 3)

    def write_dynamic_header(self, num_lits: int, num_offs: int, num_codegens: int,
                             eof: bool) -> None:
        self.write_bits(5 if eof else 4, 3)
        self.write_bits(num_lits - 257, 5)
        self.write_bits(num_offs - 1, 5)
        self.write_bits(num_codegens - 4, 4)
        cg = self.codegen_code
        for i in range(num_codegens):
            self.write_bits(cg.lengths[_CODEGEN_ORDER[i]], 3)
        codegen = self.codegen
        i = 0
        while i < len(codegen):
            sym = codegen[i]
            i += 1
            self.write_bits(cg.codes[sym], cg.lengths[sym])
            if sym >= 16:
                self.write_bits(codegen[i], (2, 3, 7)[sym - 16])
                i += 1

    # sizes
    def _generate_codegen(self, num_lits: int, num_offs: int) -> None:
        sizes = self.lit.lengths[:num_lits] + self.off.lengths[:num_offs]
        freq = [0] * 19
        out: list[int] = []
        n = len(sizes)
        pos = 0
        while pos < n:
            size = sizes[pos]
            run = 1
            while pos + run < n and sizes[pos + run] == size:
                run += 1
            pos += run
            count = run
            if size != 0:
                out.append(size)
                freq[size] += 1
                count -= 1
                while count >= 3:
                    k = min(6, count)
                    out += (16, k - 3)
                    freq[16] += 1
                    count -= k
            else:
                while count >= 11:
                    k = min(138, count)
                    out += (18, k - 11)
                    freq[18] += 1
                    count -= k
                if count >= 3:
                    out += (17, count - 3)
                    freq[17] += 1
                    count = 0
            out.extend([size] * count)
            freq[size] += count
        self.codegen = out
        self.codegen_freq = freq

    def _header_size(self) -> tuple[int, int]:
        freq = self.codegen_freq
        num_codegens = 19
        while num_codegens > 4 and freq[_CODEGEN_ORDER[num_codegens - 1]] == 0:
            num_codegens -= 1
        size = (3 + 5 + 5 + 4 + 3 * num_codegens + self.codegen_code.bit_length(freq)
                + freq[16] * 2 + freq[17] * 3 + freq[18] * 7)
        return size, num_codegens

    def _extra_bit_size(self) -> int:
        total = 0
        lf = self.literal_freq
        for i in range(257, _LITERAL_COUNT):
            if lf[i]:
                total += lf[i] * _LENGTH_EXTRA[(i - 257) & 31]
        of = self.offset_freq
        for i in range(_OFFSET_CODE_COUNT):
            if of[i]:
                total += of[i] * _OFFSET_EXTRA[i]
        return total

    def _fixed_size(self, extra_bits: int) -> int:
        return (3 + _FIXED_LITERALS.bit_length(self.literal_freq[:_LITERAL_COUNT])
                + _FIXED_OFFSETS.bit_length(self.offset_freq[:_OFFSET_CODE_COUNT]) + extra_bits)

    def _can_reuse(self, tokens: _Tokens) -> bool:
        off_lengths = self.off.lengths
        for i in range(_OFFSET_CODE_COUNT):
            if tokens.off_hist[i] and not off_lengths[i]:
                return False
        lit_lengths = self.lit.lengths
        for i in range(_LITERAL_COUNT - 256):
            if tokens.extra_hist[i] and not lit_lengths[256 + i]:
                return False
        for i in range(256):
            if tokens.lit_hist[i] and not lit_lengths[i]:
                return False
        return True

    def _index_tokens(self, tokens: _Tokens) -> tuple[int, int]:
        lf = tokens.lit_hist + tokens.extra_hist + [0]
        of = tokens.off_hist[:]
        self.literal_freq = lf
        self.offset_freq = of
        if not tokens.items:
            return 0, 0
        num_lits = len(lf)
        while lf[num_lits - 1] == 0:
            num_lits -= 1
        num_offs = len(of)
        while num_offs > 0 and of[num_offs - 1] == 0:
            num_offs -= 1
        if num_offs == 0:
            of[0] = 1
            num_offs = 1
        return num_lits, num_offs

    # blocks
    def write_block_dynamic(self, tokens: _Tokens, eof: bool, data: bytes | None,
                            sync: bool) -> None:
        sync = sync or eof
        if sync:
            tokens.add_eob()
        else:
            tokens.extra_hist[0] = 1  # an EOB must stay encodable
        if eof:
            self._close_open_table()
        if self.prev_header > 0 and not self._can_reuse(tokens):
            self._close_open_table()

        num_lits, num_offs = self._index_tokens(tokens)
        storable = data is not None and len(data) <= _MAX_STORED
        stored_size = (len(data) + 5) * 8 if storable and data is not None else 0
        extra_bits = self._extra_bit_size() if storable or self.prev_header > 0 else 0
        n_tokens = len(tokens.items)

        if self.prev_header > 0:
            new_size = self.prev_header + tokens.estimated_bits()
            new_size += self.lit.lengths[_EOB] + (new_size >> _NEW_TABLE_PENALTY_LOG)
            reuse_size = (self.lit.bit_length(self.literal_freq[:_LITERAL_COUNT])
                          + self.off.bit_length(self.offset_freq[:_OFFSET_CODE_COUNT])
                          + extra_bits)
            if new_size < reuse_size:
                self._close_open_table()
                size = new_size
            else:
                size = reuse_size
            if n_tokens < _MAX_FIXED_TOKENS and self._fixed_size(extra_bits) + 7 < size:
                if storable and data is not None and stored_size <= size:
                    self.write_stored(data, eof)
                    return
                self._write_fixed(tokens, eof, sync)
                return
            if storable and data is not None and stored_size <= size:
                self.write_stored(data, eof)
                return

        if self.prev_header == 0:
            self.literal_freq[_EOB] = 1
            self.lit = _Code.build(self.literal_freq[:_LITERAL_COUNT], 15)
            self.off = _Code.build(self.offset_freq[:_OFFSET_CODE_COUNT], 15)
            self._generate_codegen(num_lits, num_offs)
            self.codegen_code = _Code.build(self.codegen_freq, 7)
            header, num_codegens = self._header_size()
            size = (header + self.lit.bit_length(self.literal_freq[:_LITERAL_COUNT])
                    + self.off.bit_length(self.offset_freq[:_OFFSET_CODE_COUNT]) + extra_bits)
            if n_tokens < _MAX_FIXED_TOKENS:
                pre_size = self._fixed_size(extra_bits)
                if pre_size <= size:
                    if storable and data is not None and stored_size <= pre_size:
                        self.write_stored(data, eof)
                        return
                    self._write_fixed(tokens, eof, sync)
                    return
            if storable and data is not None and stored_size <= size:
                self.write_stored(data, eof)
                return
            self.write_dynamic_header(num_lits, num_offs, num_codegens, eof)
            if not sync:
                self.prev_header = header

        if sync:
            self.prev_header = 0
        self._write_tokens(tokens.items, self.lit, self.off)

    def _write_fixed(self, tokens: _Tokens, eof: bool, sync: bool) -> None:
        self.write_fixed_header(eof)
        if not sync:
            tokens.add_eob()
        self._write_tokens(tokens.items, _FIXED_LITERALS, _FIXED_OFFSETS)

    def _write_tokens(self, items: list[int], lit: _Code, off: _Code) -> None:
        if not items:
            return
        defer_eob = items[-1] == _EOB
        if defer_eob:
            items = items[:-1]
        lit_codes, lit_lengths = lit.codes, lit.lengths
        off_codes, off_lengths = off.codes, off.lengths
        # the bits of one literal token, and of a length and distance (code + extra)
        lit_bits = [(lit_codes[b], lit_lengths[b]) for b in range(256)]
        len_bits = []
        for xl in range(256):
            code = _LENGTH_CODE[xl]
            value = lit_codes[257 + code]
            nb = lit_lengths[257 + code]
            extra = _LENGTH_EXTRA[code]
            if extra:
                value |= (xl - _LENGTH_BASE[code]) << nb
                nb += extra
            len_bits.append((value, nb))
        acc = self.acc
        nbits = self.nbits
        out = self.out
        for t in items:
            if t < 256:
                v, n = lit_bits[t]
                acc |= v << nbits
                nbits += n
            else:
                v, n = len_bits[(t >> 16) & 0xFF]
                acc |= v << nbits
                nbits += n
                xoff = t & 0xFFFF
                oc = _offset_code(xoff)
                acc |= off_codes[oc] << nbits
                nbits += off_lengths[oc]
                extra = _OFFSET_EXTRA[oc]
                if extra:
                    acc |= (xoff - _OFFSET_BASE[oc]) << nbits
                    nbits += extra
            if nbits >= 1024:
                nb = nbits >> 3
                out += (acc & ((1 << (nb * 8)) - 1)).to_bytes(nb, "little")
                acc >>= nb * 8
                nbits -= nb * 8
        self.acc = acc
        self.nbits = nbits
        if defer_eob:
            self.write_bits(lit_codes[_EOB], lit_lengths[_EOB])

    def finish(self) -> bytes:
        """Close: owed EOB, then an empty final fixed block, byte aligned."""
        self.write_stored_header(0, True)
        return bytes(self.out)


# --- LZ77 with lazy matching ---------------------------------------------------------
def _hashes(data: bytes) -> list[int]:
    """hash4 of every position that has four bytes."""
    shift = 32 - _HASH_BITS
    return [
        (((a | b << 8 | c << 16 | d << 24) * _PRIME4) & 0xFFFFFFFF) >> shift
        for a, b, c, d in zip(data, data[1:], data[2:], data[3:], strict=False)
    ]


def _match_len(data: bytes, a: int, b: int, limit: int) -> int:
    """Common prefix length of data[a:] and data[b:], at most limit."""
    n = 0
    while n < limit:
        step = min(32, limit - n)
        x = int.from_bytes(data[a + n:a + n + step], "little") ^ int.from_bytes(
            data[b + n:b + n + step], "little")
        if x:
            return n + (((x & -x).bit_length() - 1) >> 3)
        n += step
    return limit


class _Deflater:
    """Go's compressor.deflateLazy and helpers, over absolute positions.

    Go keeps hash chains as hashHead/hashPrev links. Positions are inserted in
    increasing order and at most once, so the chain behind a position is exactly the
    list of earlier positions with the same hash, newest first: here each hash has a
    list of its positions (`buckets`), and a chain is a slice of it read backwards.
    """

    def __init__(self, data: bytes) -> None:
        _tables()
        self.data = data
        self.hashes = _hashes(data)
        self.buckets: dict[int, list[int]] = {}
        self.writer = _BlockWriter()
        self.tokens = _Tokens()
        self.index = 0
        self.length = _MIN_MATCH - 1  # pending match from the previous position
        self.offset = 0
        self.byte_available = False  # data[index-1] still awaits a decision
        self.literal_counter = 0  # uint16 in Go: consecutive literals, wrapping
        self.chain_head = _EMPTY  # newest earlier position with the last inserted hash
        self.base = 0  # absolute position of the start of Go's buffer
        self.block_start: int | None = 0  # None: the block's bytes left the buffer
        self.window_end = 0
        self.max_insert = 0
        self.sync = False
        self.cost_prefix: list[int] = []
        self.cost_origin = 0

    def run(self) -> bytes:
        n = len(self.data)
        self.window_end = min(n, _BUFFER)
        while self.window_end < n:
            self.step()
            if self.index - self.base >= _SHIFT_AT:
                self.base += _WINDOW
                if self.block_start is not None and self.block_start < self.base:
                    self.block_start = None
            self.window_end = min(n, self.base + _BUFFER)
        self.sync = True
        self.step()
        return self.writer.finish()

    def write_block(self, index: int) -> None:
        bs = self.block_start
        data = self.data[bs:index] if bs is not None and bs <= index else None
        self.block_start = index
        self.writer.write_block_dynamic(self.tokens, False, data, self.sync)
        self.tokens.reset()

    def _prepare_costs(self) -> None:
        """Literal costs from a Huffman code of the bytes ahead (at most 32768 of them)."""
        data = self.data
        start, end = self.index, self.window_end
        hist = [0] * 256
        for b in data[start:min(end, start + _MAX_BLOCK_TOKENS)]:
            hist[b] += 1
        lengths = _Code.build(hist, 15).lengths
        table = bytes(max(1, ln) for ln in lengths)
        self.cost_prefix = list(accumulate(data[start:end].translate(table), initial=0))
        self.cost_origin = start

    def insert(self, pos: int) -> None:
        h = self.hashes[pos]
        bucket = self.buckets.get(h)
        if bucket is None:
            self.chain_head = _EMPTY
            self.buckets[h] = [pos]
        else:
            self.chain_head = bucket[-1]
            bucket.append(pos)

    def add_literal(self, b: int) -> None:
        t = self.tokens
        t.items.append(b)
        t.lit_hist[b] += 1

    def add_match(self, length: int, distance: int) -> None:
        t = self.tokens
        xl = length - 3
        xo = distance - 1
        t.items.append(_MATCH | xl << 16 | xo)
        t.extra_hist[_LENGTH_CODE[xl] + 1] += 1
        t.off_hist[_offset_code(xo)] += 1

    def find_match(self, pos: int, lookahead: int) -> tuple[int, int]:
        """Go's findMatch for the position just inserted: the best (length, distance)
        along its hash chain, (3, 0) if none. Candidates are taken newest first, at most
        `chain` of them and none before min_index; one is accepted if it is longer than
        the best so far and its estimated gain is higher.

        Only candidates that could be accepted are looked at, in the same order: one must
        agree with the bytes at pos on more than `length` bytes, and on enough bytes that
        their literal cost beats the gain so far plus the extra bits of its distance."""
        data = self.data
        bucket = self.buckets[self.hashes[pos]]
        k = len(bucket) - 1  # bucket[k] == pos
        min_index = max(pos - _WINDOW, self.base)
        lo = max(k - _CHAIN, bisect_left(bucket, min_index, 0, k))
        look = min(lookahead, _MAX_MATCH)
        nice = min(_NICE, look)
        length = _MIN_MATCH - 1
        offset = 0
        gain = 4
        costs = self.cost_prefix
        co = pos - self.cost_origin
        c0 = costs[co]

        def consider(i: int, agree: int) -> bool:
            """Measures candidate i, known to agree on `agree` > length bytes, and takes
            it if it gains more. True: it is nice enough to stop."""
            nonlocal length, offset, gain
            n = agree + _match_len(data, i + agree, pos + agree, look - agree)
            new_gain = (costs[co + n] - c0 - _GAIN_OFFSET_EXTRA[pos - i] - _BASE_COST
                        - _GAIN_LENGTH_EXTRA[n])
            if new_gain > gain:
                gain = new_gain
                length = n
                offset = pos - i
                return n >= nice
            return False

        if k - lo <= 16:
            for idx in range(k - 1, lo - 1, -1):
                i = bucket[idx]
                agree = length + 1
                if data[i:i + agree] == data[pos:pos + agree] and consider(i, agree):
                    break
            return length, offset
        # long chain: search the bytes for qualifying candidates, distance band by band
        first = bucket[lo]  # the oldest candidate allowed
        top = co + look + 1
        for d_min, d_max, extra in _DISTANCE_BANDS:
            band_hi = pos - d_min
            if band_hi < first:
                break
            band_lo = max(pos - d_max, first)
            hi = band_hi
            while hi >= band_lo:
                # fewest bytes whose literal cost exceeds what this band must beat
                need = bisect_right(costs, c0 + gain + extra + _BASE_COST, co, top) - co
                agree = max(length + 1, need)
                if agree > look:
                    break
                i = data.rfind(data[pos:pos + agree], band_lo, hi + agree)
                if i < 0:
                    break
                j = bisect_left(bucket, i, lo, k)
                if j < k and bucket[j] == i and consider(i, agree):  # skip unhashed ones
                    return length, offset
                hi = i - 1
        return length, offset

    def better_match_at_end(self, prev_length: int, prev_offset: int,
                            lookahead: int) -> tuple[int, int]:
        """Go's tryBetterMatchAtEnd: look for a longer match ending where the pending one
        ends, starting up to two bytes later (those bytes are emitted as literals)."""
        if prev_length >= _MAX_MATCH - _CHECK_OFF:
            return prev_length, prev_offset
        index = self.index
        prev_index = index - 1
        if prev_index + prev_length >= self.max_insert:
            return prev_length, prev_offset
        end = min(lookahead, _MAX_MATCH + _CHECK_OFF) + prev_index
        min_index = max(index - _WINDOW, self.base)
        bucket = self.buckets.get(self.hashes[prev_index + prev_length])
        cand = (bucket[-1] if bucket else _EMPTY) - prev_length
        if prev_index - cand == prev_offset or cand <= min_index + _CHECK_OFF:
            return prev_length, prev_offset
        data = self.data
        start = prev_index + _CHECK_OFF
        length = _match_len(data, start, cand + _CHECK_OFF, end - start)
        if length <= prev_length:
            return prev_length, prev_offset
        prev_length = length
        prev_offset = prev_index - cand
        for i in range(_CHECK_OFF - 1, -1, -1):
            if prev_length >= _MAX_MATCH or data[prev_index + i] != data[cand + i]:
                for j in range(i + 1):
                    self.add_literal(data[prev_index + j])
                    if len(self.tokens.items) == _MAX_BLOCK_TOKENS:
                        self.write_block(self.index)
                    self.index += 1
                    if self.index < self.max_insert:
                        self.insert(self.index)
                break
            prev_length += 1
        return prev_length, prev_offset

    def skip_literals(self) -> None:
        """During long runs without matches, emit literals in bursts."""
        n = self.literal_counter - _CHAIN
        if n <= 0:
            return
        n = 1 + (n >> 6)
        data = self.data
        for _ in range(n):
            if self.index >= self.window_end - 1:
                break
            self.add_literal(data[self.index - 1])
            if len(self.tokens.items) == _MAX_BLOCK_TOKENS:
                self.write_block(self.index)
            if self.index < self.max_insert:
                self.insert(self.index)
            self.index += 1
        self.add_literal(data[self.index - 1])
        self.byte_available = False
        if len(self.tokens.items) == _MAX_BLOCK_TOKENS:
            self.write_block(self.index)

    def step(self) -> None:
        """Go's deflateLazy for the buffer [base, window_end)."""
        data = self.data
        window_end = self.window_end
        if window_end - self.index < _LOOKAHEAD and not self.sync:
            return
        if window_end != self.index:
            self._prepare_costs()
        self.max_insert = max_insert = window_end - (_MIN_MATCH - 1)
        tokens = self.tokens
        hashes = self.hashes
        buckets = self.buckets
        insert = self.insert
        while True:
            index = self.index
            lookahead = window_end - index
            if lookahead < _LOOKAHEAD:
                if not self.sync:
                    return
                if lookahead == 0:
                    if self.byte_available:
                        self.add_literal(data[index - 1])
                        self.byte_available = False
                    if tokens.items:
                        self.write_block(index)
                    return
            if index < max_insert:
                insert(index)
            prev_length = self.length
            prev_offset = self.offset
            length = _MIN_MATCH - 1
            offset = 0
            min_index = max(index - _WINDOW, self.base)
            if self.chain_head >= min_index and lookahead > prev_length and prev_length < _LAZY:
                length, offset = self.find_match(index, lookahead)
            self.length = length
            self.offset = offset

            if prev_length >= _MIN_MATCH and length <= prev_length:
                prev_length, prev_offset = self.better_match_at_end(
                    prev_length, prev_offset, lookahead)
                self.add_match(prev_length, prev_offset)
                index = self.index
                new_index = index + prev_length - 1
                for p in range(min(index + 1, max_insert), min(new_index, max_insert)):
                    h = hashes[p]
                    bucket = buckets.get(h)
                    if bucket is None:
                        buckets[h] = [p]
                    else:
                        bucket.append(p)
                self.index = new_index
                self.byte_available = False
                self.length = _MIN_MATCH - 1
                if len(tokens.items) == _MAX_BLOCK_TOKENS:
                    self.write_block(new_index)
                self.literal_counter = 0
                continue
            if length >= _MIN_MATCH:
                self.literal_counter = 0
            if self.byte_available:
                self.literal_counter = (self.literal_counter + 1) & 0xFFFF
                self.add_literal(data[index - 1])
                if len(tokens.items) == _MAX_BLOCK_TOKENS:
                    self.write_block(index)
                self.index = index + 1
                self.skip_literals()
            else:
                self.index = index + 1
                self.byte_available = True


def deflate(data: bytes) -> bytes:
    """The raw DEFLATE stream Go's flate.NewWriter(w, 9) writes for Write(data); Close()."""
    return _Deflater(data).run()


def gzip_compress(data: bytes) -> bytes:
    """Go's gzip.NewWriterLevel(w, 9); Write(data); Close() output, byte for byte."""
    return (_GZIP_HEADER + deflate(data)
            + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))


def gzip_len(data: bytes) -> int:
    """len(gzip_compress(data))."""
    return len(_GZIP_HEADER) + len(deflate(data)) + 8
