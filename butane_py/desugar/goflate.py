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

Sizes first: the writer records what it would write and counts the bits, so the
length of Go's output is known without producing it (`Gzip.size`); the bytes are
written from that record only when asked for (`Gzip.payload`).

Speed: Go walks up to 1024 chain entries per position; in Python that walk is the cost.
Here a chain is a slice of a per-hash position list, and on long chains only candidates
that could possibly be accepted are visited (found with bytes.rfind, distance band by
distance band), in Go's order, so the outcome is the same. Runs of positions that have
no chain at all become literals at once. Huffman code lengths come from Huffman's merge
order when the length limit does not bite (see _taken_per_level).
"""

from __future__ import annotations

import struct
import zlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from itertools import accumulate, compress, groupby
from operator import mul, ne, sub

__all__ = ["Gzip", "gzip_compress", "gzip_len", "deflate"]

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
_GAIN_OFFSET_EXTRA = b""  # one byte per distance: read as ints, built fast
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
    bands: list[tuple[int, int, int]] = []
    for first, count, extra in segments:
        if first == 0:
            continue
        last = first + count - 1
        if bands and bands[-1][2] == extra and bands[-1][1] == first - 1:
            bands[-1] = (bands[-1][0], last, extra)
        else:
            bands.append((first, last, extra))
    _GAIN_OFFSET_EXTRA = b"".join(bytes((extra,)) * count for _, count, extra in segments)
    _DISTANCE_BANDS = bands


# --- Huffman code construction -----------------------------------------------------
# A symbol of a code under construction is the int freq << 12 | 1 << 10 | symbol
# (symbols are below 512): sorting orders symbols by frequency, then by symbol, as Go
# does. A package (a pair in the construction below) is freq << 12: it sorts before a
# symbol of the same frequency, and (a + b) & -4096 is the package of items a and b
# (the low bits of two items add up to less than 4096).
_SYMBOL_BITS = 12
_SYMBOL_FLAG = 1 << 10
_SYMBOL_MASK = _SYMBOL_FLAG - 1
_PACKAGE_MASK = -1 << _SYMBOL_BITS


def _taken_per_level(symbols: list[int], max_bits: int) -> list[int]:
    """Go's length-limited code construction for symbols sorted ascending (at least
    three): how many of the least frequent symbols each level takes, top level first. A
    symbol's code length is the number of levels that take it.

    Go runs a boundary package-merge lazily. Written out: level 0 holds the symbols;
    each level above merges them with the packages of consecutive pairs of items of the
    level below, a package first where frequencies tie. The top level (max_bits - 1)
    takes its first 2n-2 items; the packages among the items a level takes draw the
    items they pair from the level below.

    Usually no level needs building. Let S be the level that is its own level above
    (Huffman's merge order: 2n-1 items), and call the height of a symbol 0, of a package
    one more than its higher item. From level 0 up, level i is nowhere below S item by
    item (fewer packages, of items nowhere below S's), so it begins with S[:m] whenever
    no item of S[:m] is higher than i (their packages pair items of S no higher than
    i - 1, which level i - 1 begins with). Walking S in place of the levels, the items
    taken b steps below the top are the items of the packages taken just above; when
    the walk ends after L <= max_bits steps they are no higher than L - 1 - b, at most
    the level's own max_bits - 1 - b: each level takes from S what it takes from
    itself. When the walk needs more steps, the limit bites and the levels are built.
    Ties are Go's either way: they are settled by the same sorted lists."""
    n = len(symbols)
    max_bits = min(max_bits, n - 1)
    items = _merge_order(symbols)
    taken_symbols: list[int] = []
    taken = 2 * n - 2
    while taken:
        if len(taken_symbols) == max_bits:
            return _taken_per_built_level(symbols, max_bits)  # the limit bites
        # symbols are distinct: those up to the last item taken are the ones taken
        k = bisect_right(symbols, items[taken - 1])
        taken_symbols.append(k)
        taken = 2 * (taken - k)
    return taken_symbols


_NONE_LEFT = 1 << 200  # above every item


def _merge_order(symbols: list[int]) -> list[int]:
    """The 2n-1 items of Huffman's merge order: the symbols and the packages of its
    consecutive pairs, merged (two queues; packages are made, and so come, in order)."""
    items: list[int] = []
    append = items.append
    n = len(symbols)
    symbol = symbols[0]
    next_symbol = 1
    package = _NONE_LEFT  # the next package to come, once both its items are there
    due = 1  # the index of its second item
    for k in range(2 * n - 1):
        if package < symbol:
            item = package
            due += 2
            package = (items[due - 1] + items[due]) & -4096 if due < k else _NONE_LEFT
        else:
            item = symbol
            symbol = symbols[next_symbol] if next_symbol < n else _NONE_LEFT
            next_symbol += 1
        append(item)
        if k == due:
            package = (items[k - 1] + item) & -4096  # _PACKAGE_MASK
    return items


def _taken_per_built_level(symbols: list[int], max_bits: int) -> list[int]:
    """_taken_per_level (max_bits at most n - 1) from the levels themselves.

    No level takes more than the 2n-2 items the top one does. Once a level agrees with
    the one below on its first 2n-2 items and these hold every symbol, all the levels
    above agree too (their first 2n-2 items come from the same n-2 packages), so the
    building stops there."""
    most = 2 * len(symbols) - 2
    largest = symbols[-1]
    levels = [symbols]
    below = symbols
    while len(levels) < max_bits:
        it = iter(below)
        level = symbols + [(a + b) & -4096 for a, b in zip(it, it, strict=False)]  # pairs
        level.sort()  # two sorted runs: a linear merge
        if level == below or (len(level) >= most and level[most - 1] >= largest
                              and level[:most] == below[:most]):
            break  # every level above is this one again, as far as taken
        levels.append(level)
        below = level
    top = len(levels) - 1
    taken_symbols: list[int] = []
    taken = most
    bits = 1
    while taken:
        level = levels[min(max_bits - bits, top)]
        k = bisect_right(symbols, level[taken - 1])
        taken_symbols.append(k)
        taken = 2 * (taken - k)
        bits += 1
    if taken_symbols[0] != len(symbols):
        raise AssertionError("Huffman construction did not place every symbol")
    return taken_symbols


def _code_lengths(freq: list[int], max_bits: int) -> tuple[list[int], int]:
    """Go's Huffman code lengths for these frequencies (0: symbol unused), and the bits
    that the frequencies take with them."""
    lengths = [0] * len(freq)
    symbols = [freq[sym] << _SYMBOL_BITS | _SYMBOL_FLAG | sym
               for sym in compress(range(len(freq)), freq)]
    if len(symbols) <= 2:
        for s in symbols:
            lengths[s & _SYMBOL_MASK] = 1
        return lengths, sum(freq)
    symbols.sort()  # least frequent first, then by symbol, as Go sorts them
    taken = _taken_per_level(symbols, max_bits)
    # a level takes the least frequent: the symbols the b highest levels take and the
    # others do not get b bits (the top one takes them all)
    nbits = len(taken)
    for i, s in enumerate(symbols):
        while i >= taken[nbits - 1]:
            nbits -= 1
        lengths[s & _SYMBOL_MASK] = nbits
    prefix = list(accumulate(map(_PACKAGE_MASK.__and__, symbols)))
    return lengths, sum(prefix[k - 1] for k in taken) >> _SYMBOL_BITS


# 8-bit reversal, for the bit-reversed (LSB-first) codes
_REV8 = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def _canonical(lengths: list[int]) -> list[int]:
    """Bit-reversed codes for given lengths, assigned in symbol order within each length
    (what Go's assignment from bit counts amounts to)."""
    codes = [0] * len(lengths)
    code = 0
    nbits = 0
    for sym in sorted(compress(range(len(lengths)), lengths), key=lengths.__getitem__):
        ln = lengths[sym]
        if ln != nbits:
            code <<= ln - nbits
            nbits = ln
        codes[sym] = (_REV8[code & 0xFF] << 8 | _REV8[code >> 8]) >> (16 - ln)
        code += 1
    return codes


def _dot(a: list[int] | tuple[int, ...], b: list[int] | tuple[int, ...]) -> int:
    """Sum of products, over the shorter of the two."""
    return sum(map(mul, a, b))


# the fixed code spans 288 symbols (286 and 287 take code space but are never sent)
_FIXED_LIT_LENGTHS = [8] * 144 + [9] * 112 + [7] * 24 + [8] * 8
_FIXED_OFF_LENGTHS = [5] * 30


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


def _codegen(sizes: list[int]) -> list[int]:
    """The run-length coded code lengths of a dynamic header: symbols, 16-18 followed by
    their repeat counts."""
    out: list[int] = []
    for size, group in groupby(sizes):
        count = len(list(group))
        if size != 0:
            out.append(size)
            count -= 1
            while count >= 3:
                k = min(6, count)
                out += (16, k - 3)
                count -= k
        else:
            while count >= 11:
                k = min(138, count)
                out += (18, k - 11)
                count -= k
            if count >= 3:
                out += (17, count - 3)
                count = 0
        out.extend([size] * count)
    return out


def _codegen_freq(sizes: list[int]) -> list[int]:
    """How often each symbol occurs in _codegen(sizes), counted run by run."""
    freq = [0] * 19
    n = len(sizes)
    if not n:
        return freq
    starts = [0, *compress(range(1, n), map(ne, sizes[1:], sizes))]
    counts = map(sub, [*starts[1:], n], starts)
    for size, count in zip(map(sizes.__getitem__, starts), counts, strict=True):
        if count < 3 or (size and count < 4):
            freq[size] += count  # too short to repeat
        elif size:
            count -= 1  # the first is written as it is; then repeats of 3-6
            rest = count % 6
            freq[16] += count // 6 + (rest >= 3)
            freq[size] += 1 + (rest if rest < 3 else 0)
        else:  # zeros: repeats of 11-138, then one of 3-10
            rest = count % 138
            freq[18] += count // 138 + (rest >= 11)
            if 3 <= rest < 11:
                freq[17] += 1
            elif rest < 3:
                freq[0] += rest
    return freq


# --- block writer --------------------------------------------------------------------
# What the writer decides to write is kept as a list of operations, and only their
# size in bits is counted: the bytes are produced (by _emit) only when asked for.
_OP_BITS = 0  # (op, value, nbits)
_OP_ALIGN = 1  # (op,): pad to a byte boundary
_OP_BYTES = 2  # (op, data): stored block contents (byte aligned)
_OP_TOKENS = 3  # (op, items, lit_lengths, off_lengths)
_OP_HEADER = 4  # (op, first 17 bits, num_codegens, code lengths, codegen lengths)
_OP_EOB = 5  # (op, lit_lengths): end of a block written with this code


class _BlockWriter:
    """Go's huffmanBitWriter, as far as level 9 uses it."""

    def __init__(self) -> None:
        self.ops: list[tuple[object, ...]] = []
        self.nbits = 0  # size of what ops write
        self.prev_header = 0  # > 0: a dynamic table is open for reuse and owes an EOB
        self.lit_lengths: list[int] = []  # the dynamic table last written
        self.off_lengths: list[int] = []
        self.literal_freq: list[int] = []  # of the block being written
        self.offset_freq: list[int] = []

    def write_bits(self, value: int, nbits: int) -> None:
        self.ops.append((_OP_BITS, value, nbits))
        self.nbits += nbits

    def flush(self) -> None:
        self.ops.append((_OP_ALIGN,))
        self.nbits = (self.nbits + 7) & -8

    def _close_open_table(self) -> None:
        if self.prev_header > 0:
            self.ops.append((_OP_EOB, self.lit_lengths))
            self.nbits += self.lit_lengths[_EOB]
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
        self.write_bits(length | (length ^ 0xFFFF) << 16, 32)

    def write_stored(self, data: bytes, eof: bool) -> None:
        self.write_stored_header(len(data), eof)
        self.ops.append((_OP_BYTES, data))
        self.nbits += 8 * len(data)

    def write_fixed_header(self, eof: bool) -> None:
        self._close_open_table()
        self.write_bits(3 if eof else 2, 3)

    # sizes
    def _extra_bit_size(self) -> int:
        return (_dot(self.literal_freq[257:_LITERAL_COUNT], _LENGTH_EXTRA)
                + _dot(self.offset_freq, _OFFSET_EXTRA))

    def _fixed_size(self, extra_bits: int) -> int:
        lf = self.literal_freq  # fixed lengths: 8, 9 for 144-255, 7 for 256-279
        return (3 + 8 * sum(lf) + sum(lf[144:256]) - sum(lf[256:280])
                + 5 * sum(self.offset_freq[:_OFFSET_CODE_COUNT]) + extra_bits)

    def _can_reuse(self, tokens: _Tokens) -> bool:
        off_lengths = self.off_lengths
        for i in range(_OFFSET_CODE_COUNT):
            if tokens.off_hist[i] and not off_lengths[i]:
                return False
        lit_lengths = self.lit_lengths
        for i in range(_LITERAL_COUNT - 256):
            if tokens.extra_hist[i] and not lit_lengths[256 + i]:
                return False
        for i in range(256):
            if tokens.lit_hist[i] and not lit_lengths[i]:
                return False
        return True

    def _index_tokens(self, tokens: _Tokens) -> tuple[int, int, bool]:
        """Frequencies for the size estimates; also whether they count a distance code
        that no token uses (Go's: a block without matches still has one)."""
        lf = tokens.lit_hist + tokens.extra_hist + [0]
        of = tokens.off_hist[:]
        self.literal_freq = lf
        self.offset_freq = of
        if not tokens.items:
            return 0, 0, False
        num_lits = len(lf)
        while lf[num_lits - 1] == 0:
            num_lits -= 1
        num_offs = len(of)
        while num_offs > 0 and of[num_offs - 1] == 0:
            num_offs -= 1
        if num_offs == 0:
            of[0] = 1
            return num_lits, 1, True
        return num_lits, num_offs, False

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

        num_lits, num_offs, unused_offset = self._index_tokens(tokens)
        storable = data is not None and len(data) <= _MAX_STORED
        stored_size = (len(data) + 5) * 8 if storable and data is not None else 0
        real_extra_bits = self._extra_bit_size()
        extra_bits = real_extra_bits if storable or self.prev_header > 0 else 0
        n_tokens = len(tokens.items)
        # what the tokens take, from the sizes of the frequencies: those count an end of
        # block (written only when sync) and maybe a distance code no token uses
        eob_unwritten = not sync

        if self.prev_header > 0:
            new_size = self.prev_header + tokens.estimated_bits()
            new_size += self.lit_lengths[_EOB] + (new_size >> _NEW_TABLE_PENALTY_LOG)
            reuse_size = (_dot(self.literal_freq[:_LITERAL_COUNT], self.lit_lengths)
                          + _dot(self.offset_freq, self.off_lengths) + extra_bits)
            token_bits = (reuse_size - eob_unwritten * self.lit_lengths[_EOB]
                          - unused_offset * self.off_lengths[0])
            if new_size < reuse_size:
                self._close_open_table()
                size = new_size
            else:
                size = reuse_size
            if n_tokens < _MAX_FIXED_TOKENS and self._fixed_size(extra_bits) + 7 < size:
                if storable and data is not None and stored_size <= size:
                    self.write_stored(data, eof)
                    return
                self._write_fixed(tokens, eof, sync, unused_offset, real_extra_bits)
                return
            if storable and data is not None and stored_size <= size:
                self.write_stored(data, eof)
                return

        if self.prev_header == 0:
            self.literal_freq[_EOB] = 1
            lit_lengths, lit_bits = _code_lengths(self.literal_freq[:_LITERAL_COUNT], 15)
            off_lengths, off_bits = _code_lengths(self.offset_freq[:_OFFSET_CODE_COUNT], 15)
            self.lit_lengths = lit_lengths
            self.off_lengths = off_lengths
            code_lengths = lit_lengths[:num_lits] + off_lengths[:num_offs]
            cg_freq = _codegen_freq(code_lengths)
            cg_lengths, cg_bits = _code_lengths(cg_freq, 7)
            num_codegens = 19
            while num_codegens > 4 and cg_freq[_CODEGEN_ORDER[num_codegens - 1]] == 0:
                num_codegens -= 1
            header = (3 + 5 + 5 + 4 + 3 * num_codegens + cg_bits
                      + cg_freq[16] * 2 + cg_freq[17] * 3 + cg_freq[18] * 7)
            size = header + lit_bits + off_bits + extra_bits
            if n_tokens < _MAX_FIXED_TOKENS:
                pre_size = self._fixed_size(extra_bits)
                if pre_size <= size:
                    if storable and data is not None and stored_size <= pre_size:
                        self.write_stored(data, eof)
                        return
                    self._write_fixed(tokens, eof, sync, unused_offset, real_extra_bits)
                    return
            if storable and data is not None and stored_size <= size:
                self.write_stored(data, eof)
                return
            first = ((5 if eof else 4) | (num_lits - 257) << 3 | (num_offs - 1) << 8
                     | (num_codegens - 4) << 13)
            self.ops.append((_OP_HEADER, first, num_codegens, code_lengths, cg_lengths))
            self.nbits += header
            if not sync:
                self.prev_header = header
            token_bits = (lit_bits + off_bits + real_extra_bits
                          - eob_unwritten * lit_lengths[_EOB] - unused_offset * off_lengths[0])

        if sync:
            self.prev_header = 0
        self._write_tokens(tokens, self.lit_lengths, self.off_lengths, token_bits)

    def _write_fixed(self, tokens: _Tokens, eof: bool, sync: bool, unused_offset: bool,
                     extra_bits: int) -> None:
        self.write_fixed_header(eof)
        if not sync:
            tokens.add_eob()  # written here: the sizes counted it already
        bits = self._fixed_size(extra_bits) - 3 - 5 * unused_offset
        self._write_tokens(tokens, _FIXED_LIT_LENGTHS, _FIXED_OFF_LENGTHS, bits)

    def _write_tokens(self, tokens: _Tokens, lit_lengths: list[int],
                      off_lengths: list[int], bits: int) -> None:
        if tokens.items:
            self.ops.append((_OP_TOKENS, tokens.items, lit_lengths, off_lengths))
            self.nbits += bits

    def finish(self) -> None:
        """Close: owed EOB, then an empty final fixed block, byte aligned."""
        self.write_stored_header(0, True)


# the extra bits of a match length (xlength = length - 3): how many, and their value
_LENGTH_EXTRA_BITS = tuple(_LENGTH_EXTRA[_LENGTH_CODE[xl]] for xl in range(256))
_LENGTH_EXTRA_VALUE = tuple(xl - _LENGTH_BASE[_LENGTH_CODE[xl]] for xl in range(256))


def _emit(ops: list[tuple[object, ...]]) -> bytes:
    """The bytes the writer's operations stand for (bits LSB first)."""
    out = bytearray()
    acc = 0
    nbits = 0
    codes: dict[int, list[int]] = {}  # by id of a lengths list (kept alive by ops)

    def codes_of(lengths: list[int]) -> list[int]:
        found = codes.get(id(lengths))
        if found is None:
            found = codes[id(lengths)] = _canonical(lengths)
        return found

    for op in ops:
        kind = op[0]
        if kind == _OP_BITS:
            value, n = op[1], op[2]
            assert isinstance(value, int) and isinstance(n, int)
            acc |= value << nbits
            nbits += n
        elif kind == _OP_ALIGN:
            nbits = (nbits + 7) & -8
        elif kind == _OP_BYTES:
            data = op[1]
            assert isinstance(data, bytes)
            out += acc.to_bytes(nbits >> 3, "little")
            out += data
            acc = nbits = 0
        elif kind == _OP_EOB:
            lengths = op[1]
            assert isinstance(lengths, list)
            acc |= codes_of(lengths)[_EOB] << nbits
            nbits += lengths[_EOB]
        elif kind == _OP_HEADER:
            first, num_codegens, code_lengths, cg_lengths = op[1:]
            assert isinstance(first, int) and isinstance(num_codegens, int)
            assert isinstance(code_lengths, list) and isinstance(cg_lengths, list)
            codegen = _codegen(code_lengths)
            acc |= first << nbits
            nbits += 17
            for i in range(num_codegens):
                acc |= cg_lengths[_CODEGEN_ORDER[i]] << nbits
                nbits += 3
            cg_codes = codes_of(cg_lengths)
            i = 0
            while i < len(codegen):
                sym = codegen[i]
                i += 1
                acc |= cg_codes[sym] << nbits
                nbits += cg_lengths[sym]
                if sym >= 16:
                    acc |= codegen[i] << nbits
                    nbits += (2, 3, 7)[sym - 16]
                    i += 1
        else:
            items, lit_lengths, off_lengths = op[1:]
            assert isinstance(items, list) and isinstance(lit_lengths, list)
            assert isinstance(off_lengths, list)
            lit_codes = codes_of(lit_lengths)
            off_codes = codes_of(off_lengths)
            for t in items:
                if t <= _EOB:
                    acc |= lit_codes[t] << nbits
                    nbits += lit_lengths[t]
                else:
                    xl = (t >> 16) & 0xFF
                    c = 257 + _LENGTH_CODE[xl]
                    acc |= lit_codes[c] << nbits
                    nbits += lit_lengths[c]
                    n = _LENGTH_EXTRA_BITS[xl]
                    if n:
                        acc |= _LENGTH_EXTRA_VALUE[xl] << nbits
                        nbits += n
                    xoff = t & 0xFFFF
                    oc = _offset_code(xoff)
                    acc |= off_codes[oc] << nbits
                    nbits += off_lengths[oc]
                    n = _OFFSET_EXTRA[oc]
                    if n:
                        acc |= (xoff - _OFFSET_BASE[oc]) << nbits
                        nbits += n
                if nbits >= 1024:
                    nb = nbits >> 3
                    out += (acc & ((1 << (nb * 8)) - 1)).to_bytes(nb, "little")
                    acc >>= nb * 8
                    nbits -= nb * 8
        if nbits >= 1024:
            nb = nbits >> 3
            out += (acc & ((1 << (nb * 8)) - 1)).to_bytes(nb, "little")
            acc >>= nb * 8
            nbits -= nb * 8
    out += acc.to_bytes((nbits + 7) >> 3, "little")
    return bytes(out)


# --- LZ77 with lazy matching ---------------------------------------------------------


def _hashes(data: bytes) -> list[int]:
    """hash4 of every position that has four bytes (read as little-endian words,
    position k, k+4, k+8... at a time)."""
    n = len(data) - 3
    out = [0] * max(n, 0)
    shift = 32 - _HASH_BITS
    for k in range(min(4, n)):
        words = (n - k + 3) >> 2
        out[k::4] = [((v * _PRIME4) & 0xFFFFFFFF) >> shift
                     for v in struct.unpack_from(f"<{words}I", data, k)]
    return out


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


def _few_repeats(hashes: list[int]) -> tuple[dict[int, list[int]], bytearray]:
    """Buckets and repeats (see _Deflater), quickest when few hashes repeat: only those
    are visited."""
    n = len(hashes)
    buckets: dict[int, list[int]] = {}
    repeats = bytearray(n)
    first = dict(zip(reversed(hashes), range(n - 1, -1, -1), strict=True))  # -> first one
    if len(first) < n:
        get = buckets.get
        for pos in compress(range(n), map(ne, map(first.__getitem__, hashes), range(n))):
            h = hashes[pos]
            bucket = get(h)
            if bucket is None:
                bucket = buckets[h] = [first[h]]
            if pos - bucket[-1] <= _WINDOW:
                repeats[pos] = 1
            bucket.append(pos)
    return buckets, repeats


def _many_repeats(hashes: list[int]) -> tuple[dict[int, list[int]], bytearray]:
    """Buckets and repeats (see _Deflater), quickest when most hashes repeat."""
    buckets: defaultdict[int, list[int]] = defaultdict(list)
    for pos, h in enumerate(hashes):
        buckets[h].append(pos)
    n = len(hashes)
    if n <= _WINDOW + 1:  # no two positions too far apart: all but the first repeat
        repeats = bytearray(b"\1") * n
        for bucket in buckets.values():
            repeats[bucket[0]] = 0
    else:
        repeats = bytearray(n)
        for bucket in buckets.values():
            if len(bucket) > 1:
                for prev, pos in zip(bucket, bucket[1:], strict=False):
                    if pos - prev <= _WINDOW:
                        repeats[pos] = 1
    return buckets, repeats


class _Deflater:
    """Go's compressor.deflateLazy and helpers, over absolute positions.

    Go keeps hash chains as hashHead/hashPrev links. Every position that has four bytes
    is inserted, in increasing order, before it is looked at and after every earlier
    one, so the chain behind a position is exactly the list of earlier positions with
    the same hash, newest first: here each hash has the list of all its positions
    (`buckets`, made up front), and a chain is the part of it before the position,
    read backwards.
    """

    def __init__(self, data: bytes) -> None:
        _tables()
        self.data = data
        self.hashes = hashes = _hashes(data)
        # buckets: hash -> its positions, ascending (hashes found once may be left out);
        # repeats: 1 where the previous position with the same hash is close enough for
        # Go to look for a match (otherwise the position can only become a literal)
        self.buckets, self.repeats = (_few_repeats(hashes) if len(hashes) <= 1024
                                      else _many_repeats(hashes))
        self.writer = _BlockWriter()
        self.tokens = _Tokens()
        self.index = 0
        self.length = _MIN_MATCH - 1  # pending match from the previous position
        self.offset = 0
        self.byte_available = False  # data[index-1] still awaits a decision
        self.literal_counter = 0  # uint16 in Go: consecutive literals, wrapping
        self.base = 0  # absolute position of the start of Go's buffer
        self.block_start: int | None = 0  # None: the block's bytes left the buffer
        self.window_end = 0
        self.max_insert = 0
        self.sync = False
        self.cost_prefix: list[int] = []
        self.cost_origin = 0

    def run(self) -> _BlockWriter:
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
        self.writer.finish()
        return self.writer

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
        table = bytes(_code_lengths(hist, 15)[0]).replace(b"\0", b"\1")  # absent: 1 bit
        self.cost_prefix = list(accumulate(data[start:end].translate(table), initial=0))
        self.cost_origin = start

    def add_literal(self, b: int) -> None:
        t = self.tokens
        t.items.append(b)
        t.lit_hist[b] += 1
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
        k = bisect_left(bucket, pos)  # bucket[k] == pos
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

        if k - lo <= 16:  # short chain: every candidate, as consider() below does
            for idx in range(k - 1, lo - 1, -1):
                i = bucket[idx]
                agree = length + 1
                if data[i:i + agree] == data[pos:pos + agree]:
                    # _match_len, its first step here
                    step = look - agree if look - agree < 32 else 32
                    x = int.from_bytes(data[i + agree:i + agree + step], "little") ^ (
                        int.from_bytes(data[pos + agree:pos + agree + step], "little"))
                    if x:
                        n = agree + (((x & -x).bit_length() - 1) >> 3)
                    else:
                        n = agree + step + _match_len(data, i + agree + step, pos + agree + step,
                                                      look - agree - step)
                    new_gain = (costs[co + n] - c0 - _GAIN_OFFSET_EXTRA[pos - i] - _BASE_COST
                                - _GAIN_LENGTH_EXTRA[n])
                    if new_gain > gain:
                        gain = new_gain
                        length = n
                        offset = pos - i
                        if n >= nice:
                            break
            return length, offset

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
        # the newest position inserted so far (up to index) with the hash at the end
        bucket = self.buckets.get(self.hashes[prev_index + prev_length])
        newest = bisect_right(bucket, index) - 1 if bucket else -1
        cand = (bucket[newest] if bucket and newest >= 0 else _EMPTY) - prev_length
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
                break
            prev_length += 1
        return prev_length, prev_offset

    def skip_literals(self, literal_counter: int) -> None:
        """During long runs without matches (literal_counter > chain), emit literals in
        bursts."""
        n = 1 + ((literal_counter - _CHAIN) >> 6)
        data = self.data
        for _ in range(n):
            if self.index >= self.window_end - 1:
                break
            self.add_literal(data[self.index - 1])
            if len(self.tokens.items) == _MAX_BLOCK_TOKENS:
                self.write_block(self.index)
            self.index += 1
        self.add_literal(data[self.index - 1])
        if len(self.tokens.items) == _MAX_BLOCK_TOKENS:
            self.write_block(self.index)

    def step(self) -> None:
        """Go's deflateLazy for the buffer [base, window_end). The state lives in locals
        while the loop runs; helpers that read or change it get it through self."""
        data = self.data
        window_end = self.window_end
        sync = self.sync
        index = self.index
        if window_end - index < _LOOKAHEAD and not sync:
            return
        if window_end != index:
            self._prepare_costs()
        self.max_insert = max_insert = window_end - (_MIN_MATCH - 1)
        tokens = self.tokens
        items = tokens.items
        lit_hist = tokens.lit_hist
        repeats = self.repeats
        find_match = self.find_match
        length = self.length
        offset = self.offset
        byte_available = self.byte_available
        literal_counter = self.literal_counter
        # where a run of literals may go at once: below it every position is looked at
        run_end = window_end if sync else window_end - _LOOKAHEAD + 1
        while True:
            if length < _MIN_MATCH and literal_counter < _CHAIN and not (
                    index < max_insert and repeats[index]):
                # no pending match and no match to look for here: up to the next position
                # that may have one, every byte is a literal (at most until a block is
                # full or literals come in bursts); positions are inserted up front
                stop = min(run_end, index + _MAX_BLOCK_TOKENS - 1 - len(items),
                           index + _CHAIN - literal_counter)
                found = repeats.find(1, index, stop)
                stop = stop if found < 0 else found
                if stop > index + 1:
                    start = index if byte_available else index + 1
                    run = data[start - 1:stop - 1]
                    items += run
                    for b in run:
                        lit_hist[b] += 1
                    literal_counter += stop - start
                    byte_available = True
                    index = stop
            lookahead = window_end - index
            if lookahead < _LOOKAHEAD:
                if not sync:
                    break
                if lookahead == 0:
                    if byte_available:
                        b = data[index - 1]
                        items.append(b)
                        lit_hist[b] += 1
                        byte_available = False
                    if items:
                        self.write_block(index)
                    break
            prev_length = length
            prev_offset = offset
            length = _MIN_MATCH - 1
            offset = 0
            # Go looks when the newest earlier position with this hash (chainHead) is
            # recent enough: find_match finds nothing when it is older than base
            if (index < max_insert and repeats[index] and lookahead > prev_length
                    and prev_length < _LAZY):
                length, offset = find_match(index, lookahead)

            if prev_length >= _MIN_MATCH and length <= prev_length:
                self.index = index
                prev_length, prev_offset = self.better_match_at_end(
                    prev_length, prev_offset, lookahead)
                index = self.index
                tokens = self.tokens
                # add the match
                xl = prev_length - 3
                xo = prev_offset - 1
                tokens.items.append(_MATCH | xl << 16 | xo)
                tokens.extra_hist[_LENGTH_CODE[xl] + 1] += 1
                tokens.off_hist[_offset_code(xo)] += 1
                new_index = index + prev_length - 1
                index = new_index
                byte_available = False
                length = _MIN_MATCH - 1
                if len(tokens.items) == _MAX_BLOCK_TOKENS:
                    self.write_block(new_index)
                items = tokens.items
                lit_hist = tokens.lit_hist
                literal_counter = 0
                continue
            if length >= _MIN_MATCH:
                literal_counter = 0
            if byte_available:
                literal_counter = (literal_counter + 1) & 0xFFFF
                b = data[index - 1]
                items.append(b)
                lit_hist[b] += 1
                if len(items) == _MAX_BLOCK_TOKENS:
                    self.write_block(index)
                    items = tokens.items
                    lit_hist = tokens.lit_hist
                index += 1
                if literal_counter > _CHAIN:
                    self.index = index
                    self.skip_literals(literal_counter)
                    index = self.index
                    items = tokens.items
                    lit_hist = tokens.lit_hist
                    byte_available = False
            else:
                index += 1
                byte_available = True
        self.index = index
        self.length = length
        self.offset = offset
        self.byte_available = byte_available
        self.literal_counter = literal_counter


class Gzip:
    """Go's gzip of some bytes: its size at once, its bytes (payload) when asked for."""

    __slots__ = ("size", "_ops", "_data")

    def __init__(self, data: bytes) -> None:
        writer = _Deflater(data).run()
        self.size = len(_GZIP_HEADER) + writer.nbits // 8 + 8
        self._ops = writer.ops
        self._data = data

    def payload(self) -> bytes:
        """Go's gzip.NewWriterLevel(w, 9); Write(data); Close() output, byte for byte."""
        data = self._data
        return (_GZIP_HEADER + _emit(self._ops)
                + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))


def deflate(data: bytes) -> bytes:
    """The raw DEFLATE stream Go's flate.NewWriter(w, 9) writes for Write(data); Close()."""
    return _emit(_Deflater(data).run().ops)


def gzip_compress(data: bytes) -> bytes:
    """Go's gzip.NewWriterLevel(w, 9); Write(data); Close() output, byte for byte."""
    return Gzip(data).payload()


def gzip_len(data: bytes) -> int:
    """len(gzip_compress(data)), without writing the bytes."""
    return Gzip(data).size
