"""butane_py.fastyaml: whenever parse_simple accepts an input, its tree is the
one source.parse (libyaml) builds — kinds, tags, values, styles, positions."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPORA, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from butane_py import source
from butane_py.fastyaml import Unsupported, parse_simple
from butane_py.source import Node, YamlError, _decode_input, _parse_full, parse


def diff(fast: Node | None, full: Node | None, path: str = "root") -> str | None:
    """The first difference between two trees, or None."""
    if fast is None or full is None:
        return None if fast is full else f"{path}: {fast!r} vs {full!r}"
    for f in ("kind", "tag", "value", "style", "line", "col"):
        if getattr(fast, f) != getattr(full, f):
            return f"{path}.{f}: fast {getattr(fast, f)!r}, full {getattr(full, f)!r}"
    if len(fast.pairs) != len(full.pairs) or len(fast.items) != len(full.items):
        return f"{path}: {len(fast.pairs)}/{len(fast.items)} children, full " \
               f"{len(full.pairs)}/{len(full.items)}"
    for i, ((ka, va), (kb, vb)) in enumerate(zip(fast.pairs, full.pairs, strict=True)):
        d = diff(ka, kb, f"{path}.key{i}") or diff(va, vb, f"{path}.value{i}")
        if d:
            return d
    for i, (x, y) in enumerate(zip(fast.items, full.items, strict=True)):
        d = diff(x, y, f"{path}[{i}]")
        if d:
            return d
    return None


# fastyaml reads small inputs with its general code only, larger ones with
# its regexes for the common lines too: every input is read both ways here


def check(data: bytes) -> bool:
    """Assert the oracle for one input; True when the fast path (with its
    regexes) took it."""
    text, problem = _decode_input(data)
    if problem is not None:
        return False  # source.parse raises a reader error: never offered to the fast path
    taken = False
    full: list[Node | None] = []
    # small inputs are read by the general code only, larger ones with the
    # regexes for the common lines too: read every input both ways
    for regexes in (False, True):
        try:
            fast = parse_simple(text, fast=regexes)
        except Unsupported:
            continue
        if not full:
            try:
                full.append(_parse_full(data))
            except YamlError as e:  # pragma: no cover - a failure
                raise AssertionError(f"fast path accepted an input libyaml rejects: "
                                     f"{e.message}") from e
        d = diff(fast, full[0])
        assert d is None, d
        taken = regexes
    return taken


def _inputs() -> list[Path]:
    files = sorted(CORPORA["conformance"].glob("*/*/input.bu"))
    if CORPORA["realworld"].is_dir():
        files += sorted(CORPORA["realworld"].glob("*/input.bu"))
    bench = ROOT / "bench" / "out"
    if bench.is_dir():
        files += sorted(p for p in bench.glob("*.bu") if p.stat().st_size < 600_000)
    return files


def test_corpora() -> None:
    """Every recorded input: accepted ones parse identically; most are accepted."""
    files = _inputs()
    accepted = sum(check(p.read_bytes()) for p in files)
    assert accepted >= 0.9 * len(files), f"only {accepted}/{len(files)} on the fast path"


# --- adversarial snippets ----------------------------------------------------

ACCEPTED = [
    "", "\n", "   \n", "# only a comment\n", "#\n\n# two\n",
    "a: 1", "a: 1\n", "a:\n", "a:", "a:   \n", "a:  # c\n", "a: b #c\n", "a: b#c\n",
    "a: b # c: d\n", "a: 'it''s'\n", "a: ''\n", 'a: ""\n', "'': x\n", '"": x\n',
    "a: '#x'\n", 'a: "#x"  # c\n', "a: b :c\n", "a: b:c\n", "a:b: c\n", "http://x: y\n",
    "a b: c\n", "a  b  :  c  \n", "ключ: значение\n", "emoji: 😀 ✓\n", "a: x y  z\n",
    "- a\n- b\n", "-\n-  \n- x\n", "- - a\n  - b\n- c\n", "-   a: 1\n    b: 2\n",
    "- a: 1\n  b:\n  - x\n  - y\n  c: 3\n", "a:\n- 1\n- 2\nb: 3\n", "a:\n - 1\n - 2\n",
    "a:\n    b: 1\n    c: 2\nd: 3\n", "  a: 1\n  b: 2\n", "a:\n  'x'\nb: 1\n",
    "a:\n  # c\n  b: 1\n", "a:\n\n\n  b: 1\n\n", "- a:\n- b\n", "- a:\n  - x\n",
    "a: ~\nb: null\nc: 0644\nd: 1e3\ne: .5\nf: 2001-12-14\ng: true\nh: -1\ni: 0x1F\n",
    "<<: {a: 1}\n", "'<<': 1\n", "a: -x\n", "a: a,b\n", "a: a]\n", "a: b{c}\n", "-foo: 1\n",
    "a: [a, b]\n", "a: [ a , b ]\n", "a: []\nb: {}\n", "a: {a: 1, b: [x, {c: d}]}\n",
    "a: [a, b,]\n", "a: [\"a\", 'b']\n", "a: [a b]\n", "a: [-1, -a]\n", "a: {a: 1,}\n",
    "a: [a]  # c\n", "[a]\n", "- [a, b]\n- {a: b}\n", "a:\n  [x]\n",
    'a: "\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\"\\/\\\\\\N\\_\\L\\P"\n',
    'a: "\\x41\\u00e9\\U0001F600\\x80\\x00"\n',
    "a: |\n  x\n  y\n", "a: |-\n  x\n\n", "a: |+\n  x\n\n\n", "a: >\n  x\n  y\n\n  z\n",
    "a: >\n  x\n    more\n  y\n", "a: >-\n  x\n   y\n  z\n", "a: |2\n    x\n  y\n",
    "a: |1-\n  x\n", "a: >+2\n   x\n", "a: |\n\n  x\n", "a: |\n  x\n  # not a comment\n",
    "a: |\n  x\n# comment\nb: 1\n", "a: |\nb: 1\n", "a: |+\n\nb: 1\n", "a: |\n  x",
    "a: |\n  x\n  ", "a: |\n  x\ty\n  \tz\n", "a: |\n  x\n    \n  y\n", "- |\n  x\n- >\n y\n",
    "- a: |\n   x\n  b: 1\n", "a:\n  |\n  x\n", "a: | # c\n  x\n", "a: >\n\n  x\n\n  y\n",
    "a: |\n    x\n   \n", "a: |+ \n\n x", "---\na: 1\n", "# c\n--- # c\na: 1\n", "a: 1\r\nb: |\r\n  x\r\n",
    "a: 1   \n  \nb: 2 \n", "'a'  : b\n", "a:: b\n", "-\n  x\n", "- |\n x\n", "a: |\n",
    "a: >\n  x\n\n\n  y\n", "a: |\n  x\n\n  \n", "a: |-\n  x\n  \n  \n", "a: x\u00a0# c\n",
    "a: x\u00a0\n", "a#b: c\n", "a: [<<, ~, 'x', \"y\"]\n", "a: >\n  x\n   \ty\n  z\n",
    # tabs in comments
    "a: 1 # x\ty\n", "# a\tb\na: 1\n", "a: | # c\tx\n  y\n", "a:\n  # \t\n  b: 1\n",
    # literal block scalars: the whole-text path and its fallbacks
    "a: |\n  x\n\n  y\nb: 1\n", "a: |\n  x\n\n\n  y\n\n\nb: 1\n", "a: |\n  x\n  \n  y\n",
    "a: |\n  x\n      \nb: 1\n", "a: |+\n  x\n\n\n", "a: |-\n  x\n\n", "a: |\n  x\n\n",
    "a: |+\n  x\n\nb: 1\n", "a: |\n  ---\n  ...\n  # x\nb: 1\n", "a: |\n  x\n # c\nb: 1\n",
    "a:\n  - |\n    x\n  - y\n", "- a: |-\n    x\n  b: 1\n", "a: |\n  日本\n  ✓ é\nb: é\n",
    "a: |\n  x\n   \n", "a: |\n  x\n  \t y\nb: 1\n",
    # characters of several bytes before a column
    "ключ: [a, b]\n", "ключ: 'x'\n", "ключ: |\n  x\n", "é:\n  - x\n", "- é: x\n  ü: [y]\n",
    "é: x # c\n", "é日:   ü\nb: 1\n", "'é': x\nb: [é, ü]\n", "- é\n- ü: 日\n",
    # plain scalars with ':' and '#' inside
    "url: https://example.com:8443/x?a=b#c\n", "a: b:c d\n", "a: b #c\n", "a b c: d e f\n",
    "a: " + "✓" * 40 + "\n",
]

REJECTED = [
    "a: &x 1\n", "a: *x\n", "a: !!str 1\n", "%YAML 1.1\n---\na: 1\n", "a: 1\n---\nb: 2\n",
    "a: 1\n...\n", "? a\n: b\n", "a:\n\tb: 1\n", "a: 1\rb: 2\n", "a: x\ufeff\n", "a: \x01\n",
    "a: b\n  c\n", "a: 'x\n  y'\n", "a: [a,\n  b]\n", "a: b: c\n", "a: 'x'#c\n", "a: - b\n",
    "a: 1\n- b\n", "- a\nb: 1\n", "a\n", "'a'\n", "a: |0\n  x\n", "a: |x\n",
    "a: @x\n", "a: `x`\n", "a: %x\n", "a: {a:1}\n", "a: [a: 1]\n", "a: [a,, b]\n", "- {a?: a}\n",
    "- [a?b]\n",
    'a: "\\\'"\n', 'a: "\\ud800"\n', 'a: "\\q"\n', "a: 1\n b: 2\n", "a:\n  b: 1\n c: 2\n",
    "k" * 1200 + ": v\n", "---\n", "a: |\n   \n  x\n", "a: ,b\n", "a: ?x\n", "a: \u2028\n",
    "a: |\n  x\n \tb\n", "a: x\x85\n", "a: |\n  x\n\x85\n",
    "a: 1\t# c\n", "b: |\n    y\n  c: 1\n", "a: |\n   x\n  y\n", "a: |\n  x\n---\n", "a: |\n  x\n...\n",
    "a: x\u2028y\n", "a: |\n  x\u2029\n", "a: b\ufeff\n", "a: " + "✓" * 40 + "\u2028\n",
]


@pytest.mark.parametrize("src", ACCEPTED)
def test_accepted(src: str) -> None:
    assert check(src.encode()), f"not on the fast path: {src!r}"


@pytest.mark.parametrize("src", REJECTED)
def test_rejected(src: str) -> None:
    assert not check(src.encode())


def _boom(*_: object) -> None:
    raise AssertionError("libyaml was used")


def test_parse_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """source.parse reads the subset without libyaml whatever the input's size
    and however many inputs a process reads, and with a UTF-8 BOM; the tree is
    libyaml's."""
    big = b"variant: fcos\nstorage:\n  files:\n" + b"".join(
        b"    - path: /etc/f%d\n      contents:\n        inline: |\n          x\n          y\n" % i
        for i in range(6000))
    assert len(big) > 300_000
    inputs = [big, b"\xef\xbb\xbfa: b\nc: [d, \xc3\xa9]\n"] + [b"a: %d\n" % i for i in range(5)]
    full = [_parse_full(data) for data in inputs]
    monkeypatch.setattr(source, "_parse_text", _boom)
    for data, tree in zip(inputs, full, strict=True):
        assert diff(parse(data), tree) is None


@pytest.mark.parametrize("regexes", [False, True])
def test_max_depth(regexes: bool) -> None:
    src = "a:\n b:\n  c:\n   d: 1\n"
    assert parse_simple(src, 4, regexes) is not None
    with pytest.raises(Unsupported):
        parse_simple(src, 3, regexes)
    with pytest.raises(Unsupported):
        parse_simple("a: [[[[1]]]]\n", 4, regexes)
    with pytest.raises(Unsupported):
        parse_simple("- - - - - a\n", 4, regexes)


def test_fast_regexes_compiled_after_64_kib() -> None:
    """Compiling the fast paths' regexes costs more start-up time than they
    save on a config or two: a process compiles them once it has read 64 KiB."""
    code = ("import butane_py.fastyaml as f, butane_py.source as s\n"
            "assert s.parse(b'variant: fcos\\nversion: 1.5.0\\n') is not None\n"
            "s.parse(b'a: 1\\n' * 9000)\n"
            "assert not f._fast\n"
            "s.parse(b'a: 1\\n' * 9000)\n"
            "assert f._fast\n"
            "assert f._Parser(b'a: 1\\n', 0, 100, None).entry is f._fast[0]\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_deep_nesting_falls_back() -> None:
    deep = "".join(" " * i + "k:\n" for i in range(400))
    with pytest.raises(Unsupported):
        parse_simple(deep)


# --- differential: random documents of the subset, and mutations ------------

_PLAIN = ["a", "b c", "x#y", "http://x", "a:b", "-1", "0644", "~", "null", "true", "1.5",
          "<<", "é", "日本", "a'b", 'a"b', "0x1F", "2001-12-14", "-", "a,b", "[x]", "yes",
          "c: d", "x #y", "1e3", ".inf", "?q", "*", "&a", "{", "a b  c", "a:", "!t", "%p",
          "@x", "`x", "x]", "x}", "x,y", ":x", "-x", "- x", "0o17", "+1", "NULL", "=",
          "|x", ">x", "a\\b", "\u00a0x"]
_QUOTED = ["", "a", "it's", 'say "hi"', "#", " lead", "trail ", "é\\", "a: b", "\t", "''",
           "x\\y", "  ", "[a]", "\u2028"]
_BLOCK_LINES = ["x", "y z", "", "  more", "\tt", "# h", "a: b", " ", "   "]


@st.composite
def _scalar(draw: st.DrawFn) -> str:
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "plain":
        return draw(st.sampled_from(_PLAIN))
    v = draw(st.sampled_from(_QUOTED))
    if style == "single":
        return "'" + v.replace("'", "''") + "'"
    esc = v.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    if draw(st.booleans()):
        esc += draw(st.sampled_from(["\\n", "\\x41", "\\u00e9", "\\U0001F600", "\\_", "\\ "]))
    return '"' + esc + '"'


def _block_scalar(draw: st.DrawFn, col: int) -> list[tuple[int, str]]:
    ind = col + draw(st.integers(1, 3))
    header = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|1", ">2-", "|+1"]))
    lines = [(-1, header + draw(st.sampled_from(["", " # c", "  "])))]
    for text in draw(st.lists(st.sampled_from(_BLOCK_LINES), min_size=0, max_size=5)):
        at = ind if text else 0
        if draw(st.integers(0, 7)) == 0:
            at = draw(st.integers(0, ind + 2))  # under- or over-indented
        lines.append((at, text))
    return lines


def _kind(draw: st.DrawFn, depth: int) -> str:
    return draw(st.sampled_from(["scalar", "scalar", "block", "flow", "map", "seq", "null"]
                                if depth < 4 else ["scalar", "block", "null"]))


def _node(draw: st.DrawFn, kind: str, col: int, depth: int) -> list[tuple[int, str]]:
    """The lines of a node; a line (-1, text) continues the current line."""
    if kind == "scalar":
        return [(-1, draw(_scalar()))]
    if kind == "null":
        return [(-1, draw(st.sampled_from(["", " ", "  # c"])))]
    if kind == "block":
        return _block_scalar(draw, col)
    if kind == "flow":
        items = draw(st.lists(_scalar(), max_size=3))
        if draw(st.booleans()):
            body = ", ".join(items)
            return [(-1, "[" + body + "]")]
        body = ", ".join(f"{k}: {v}" for k, v in zip(items, reversed(items), strict=True))
        return [(-1, "{" + body + "}")]
    out: list[tuple[int, str]] = []
    for _ in range(draw(st.integers(1, 3))):
        if kind == "map":
            key = draw(_scalar())
            sub_kind = _kind(draw, depth + 1)
            if sub_kind in ("map", "seq"):
                if sub_kind == "seq" and draw(st.booleans()):
                    sub_col = col  # an indentless sequence
                else:
                    sub_col = col + draw(st.integers(1, 3))
                sub = _node(draw, sub_kind, sub_col, depth + 1)
                out.append((col, key + ":"))
                out.extend(sub)
            else:
                sub = _node(draw, sub_kind, col, depth + 1)
                out.append((col, key + ":" + (" " if sub[0][1][:1] not in ("", " ") else "")
                            + sub[0][1]))
                out.extend(sub[1:])
        else:
            sub_kind = _kind(draw, depth + 1)
            if sub_kind in ("map", "seq"):
                gap = draw(st.integers(1, 3))
                sub = _node(draw, sub_kind, col + 1 + gap, depth + 1)
                if draw(st.booleans()):  # compact: "- a: 1" / "- - x"
                    out.append((col, "-" + " " * gap + sub[0][1]))
                    out.extend(sub[1:])
                else:
                    out.append((col, "-"))
                    out.extend(sub)
            else:
                sub = _node(draw, sub_kind, col, depth + 1)
                first = sub[0][1]
                out.append((col, "-" + (" " if first[:1] not in ("", " ") else "") + first))
                out.extend(sub[1:])
    return out


@st.composite
def documents(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["map", "map", "map", "seq"]))
    col = draw(st.sampled_from([0, 0, 0, 1, 2]))
    lines = _node(draw, kind, col, 0)
    out: list[str] = []
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["---", "# head", "--- # c", ""])))
    for c, text in lines:
        line = (" " * c if c > 0 else "") + text
        if text and draw(st.integers(0, 9)) == 0:
            line += draw(st.sampled_from([" ", "  # tail", "\t"]))
        out.append(line)
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(["", "  ", "# c", "    # c"])))
    doc = "\n".join(out)
    if draw(st.booleans()):
        doc += "\n"
    if draw(st.integers(0, 3)) == 0:  # a mutation
        pos = draw(st.integers(0, len(doc)))
        if draw(st.booleans()):
            doc = doc[:pos] + draw(st.sampled_from(list(" -:#\n'\"|>[]{},\t?&"))) + doc[pos:]
        else:
            doc = doc[:pos] + doc[pos + 1 :]
    return doc


_taken = {"fast": 0, "all": 0}


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(documents())
def _differential(doc: str) -> None:
    _taken["all"] += 1
    if check(doc.encode()):
        _taken["fast"] += 1


def test_differential() -> None:
    """Random documents of the subset (a quarter of them mutated): whatever the
    fast path accepts parses identically; a good share of them take it."""
    start = time.perf_counter()
    _differential()
    assert _taken["fast"] >= _taken["all"] // 4, _taken
    assert time.perf_counter() - start < 30
