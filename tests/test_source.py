"""Tests for butane_py.source: yaml.v3-compatible parsing, sniffing and scalar decoding."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPORA

from butane_py.source import (
    Node,
    TypeMismatch,
    YamlError,
    _decode_input,
    _reader_clean,
    decode_bool,
    decode_int,
    decode_str,
    duplicate_key_errors,
    is_null,
    parse,
    sniff,
    type_error,
)

_PREFIX = "Error translating config: Error unmarshaling yaml: "


def _cases() -> list[Path]:
    dirs: list[Path] = []
    for base in (CORPORA["conformance"] / "yaml", CORPORA["conformance"] / "errors",
                 CORPORA["realworld"]):
        if base.is_dir():
            dirs.extend(sorted(p for p in base.iterdir() if (p / "input.bu").exists()))
    return dirs


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_recorded_step1(case: Path) -> None:
    """Step 1 (parse + sniff) fails exactly when and as the reference did."""
    stderr = case / "expected.stderr"
    expected = stderr.read_text() if stderr.exists() else ""
    got: str | None = None
    try:
        sniff(parse((case / "input.bu").read_bytes()))
    except YamlError as e:
        got = _PREFIX + e.message
    if expected.startswith(_PREFIX):
        assert got == expected.rstrip("\n")
    else:
        assert got is None


def root(src: str) -> Node:
    n = parse(src.encode())
    assert n is not None
    return n


def value(src: str) -> Node:
    """The value of the single key of a one-line mapping."""
    return root(src).pairs[0][1]


def err(src: str | bytes) -> str:
    with pytest.raises(YamlError) as ei:
        sniff(parse(src.encode() if isinstance(src, str) else src))
    return ei.value.message


# --- parse: tree ------------------------------------------------------------


def test_tree_positions_and_tags() -> None:
    r = root("a: 1\nb:\n  - 'x'\n  - &k {c: ~}\nd: *k\ne:\n<<: {f: 1}\n")
    assert r.kind == "map" and (r.line, r.col) == (1, 1)
    keys = [k.value for k, _ in r.pairs]
    assert keys == ["a", "b", "d", "e", "<<"]
    a, b, d, e, m = (v for _, v in r.pairs)
    assert (a.tag, a.style, a.line, a.col) == ("!!int", "plain", 1, 4)
    assert b.kind == "seq" and (b.line, b.col) == (3, 3)
    assert (b.items[0].tag, b.items[0].style) == ("!!str", "single")
    assert b.items[1].anchor == "k" and b.items[1].style == ""
    assert d.kind == "alias" and d.target is b.items[1] and d.value == "k"
    assert e.tag == "!!null" and (e.line, e.col) == (6, 3)
    assert r.pairs[4][0].tag == "!!merge" and m.kind == "map"


def test_columns_count_characters() -> None:
    r = root("é日: ü\n")
    k, v = r.pairs[0]
    assert k.value == "é日" and v.col == 5


def test_empty_and_comment_only() -> None:
    assert parse(b"") is None
    assert parse(b"# just a comment\n") is None
    n = parse(b"---\n")
    assert n is not None and n.tag == "!!null"
    assert sniff(None) == ("", "")
    assert sniff(n) == ("", "")


def test_first_document_only() -> None:
    r = root("variant: fcos\n---\nvariant: other\n---\n: [\n")
    assert sniff(r) == ("fcos", "")


def test_bom_and_crlf() -> None:
    r = parse(b"\xef\xbb\xbfvariant: fcos\r\nversion: 1.5.0\r\n")
    assert sniff(r) == ("fcos", "1.5.0")
    assert r is not None and r.pairs[1][1].line == 2


def test_explicit_tags() -> None:
    r = root("a: !!str 0644\nb: !foo x\nc: ! 12\nd: !<tag:yaml.org,2002:int> 3\n")
    assert [v.tag for _, v in r.pairs] == ["!!str", "!foo", "!!int", "!!int"]


def test_flow_plain_scalar_with_colon() -> None:
    # libyaml 0.1.x rejects ':' inside flow plain scalars; yaml.v3 does not.
    r = root("a: [http://x/y, b:c, {k:v: 1}]\n")
    items = r.pairs[0][1].items
    assert [i.value for i in items[:2]] == ["http://x/y", "b:c"]
    assert items[2].pairs[0][0].value == "k:v"


# --- parse: errors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("a: 1\nb: [\n", "yaml: line 2: did not find expected node content"),
        ("a: 1\nb:\n\tc: 2\n", "yaml: line 3: found character that cannot start any token"),
        ("a: 1\n\tb: 2\n", "yaml: line 2: found a tab character that violates indentation"),
        ("a: b: c\n", "yaml: mapping values are not allowed in this context"),
        ("x: 1\na: b: c\n", "yaml: line 2: mapping values are not allowed in this context"),
        ("a: [1, 2\n", "yaml: line 1: did not find expected ',' or ']'"),
        ("a: '\n", "yaml: line 2: found unexpected end of stream"),
        ("a: 'x", "yaml: found unexpected end of stream"),
        ("a: &x 1\nb: *y\n", "yaml: unknown anchor 'y' referenced"),
        ("a: 1\n- b\n", "yaml: line 1: did not find expected key"),
        ('a: 1\nb: "\\ud83d"\n', "yaml: line 2: found invalid Unicode character escape code"),
        ('a: 1\nb: "\\q"\n', "yaml: line 2: found unknown escape character"),
        # a scanner error in yaml.v3's two-token lookahead after the first document
        ("a: 1\n---\n\tb: c\n", "yaml: line 3: found character that cannot start any token"),
    ],
)
def test_syntax_errors(src: str, message: str) -> None:
    assert err(src) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"a: \x01\n", "yaml: control characters are not allowed"),
        (b"a: \x7f\n", "yaml: control characters are not allowed"),
        (b"a: \xc2\x80\n", "yaml: control characters are not allowed"),
        (b"a: \xff\n", "yaml: invalid leading UTF-8 octet"),
        (b"a: \xc3", "yaml: incomplete UTF-8 octet sequence"),
        (b"a: \xc3x\n", "yaml: invalid trailing UTF-8 octet"),
        (b"a: \xc0\x80\n", "yaml: invalid length of a UTF-8 sequence"),
        (b"a: \xed\xa0\x80\n", "yaml: invalid Unicode character"),
    ],
)
def test_reader_errors(data: bytes, message: str) -> None:
    assert err(data) == message


_CHUNK = 1 << 16  # source._VALIDATE_CHUNK


@pytest.mark.parametrize(
    ("data", "clean"),
    [
        (b"a: b\n", True),
        (b"", True),
        (b"a: \xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\n", True),
        (b"\xef\xbb\xbfa: 1\n", True),
        (b"a: \xc2\xa0 \xc2\x85 \xef\xbf\xbd\n", True),  # NBSP, NEL, U+FFFD are read
        (b"a: \x01\n", False),
        (b"a: \x7f\n", False),
        (b"a: \xc2\x80\n", False),
        (b"a: \xc2\x9f\n", False),
        (b"a: \xef\xbf\xbe\n", False),
        (b"a: \xef\xbf\xbf\n", False),
        (b"a: \xff\n", False),
        (b"a: \xc3", False),
        (b"a: \xed\xa0\x80\n", False),
        (b"\xff\xfea\x00:\x00 \x001\x00", False),  # UTF-16: read by the full path
        # the lead byte often, then the refused character
        (b"a: " + b"\xc2\xa0" * 40 + b"\n", True),
        (b"a: " + b"\xc2\xa0" * 40 + b"\xc2\x80\n", False),
        # a character across the boundary of the validation chunks
        (b"#" + b"x" * (_CHUNK - 2) + "\u00e9\u65e5".encode() + b"\na: 1\n", True),
        (b"#" + b"x" * (_CHUNK - 2) + b"\xe6\x97" + b"\na: 1\n", False),
        (b"#" + b"x" * (3 * _CHUNK) + b"\xf0\x9f\x98", False),
    ],
)
def test_reader_clean(data: bytes, clean: bool) -> None:
    """The cheap check that gives an input to fastyaml: yaml.v3's reader finds
    nothing wrong in it (and it is UTF-8)."""
    assert _reader_clean(data) is clean
    if clean:
        assert _decode_input(data)[1] is None


def test_reader_error_beyond_first_document_is_ignored() -> None:
    # yaml.v3 reads 512-byte chunks; a bad byte far into a later document is never read
    data = b"variant: fcos\n---\n" + b"b: 1\n" * 200 + b"a: \x01\n"
    assert sniff(parse(data)) == ("fcos", "")
    assert err(b"variant: fcos\n---\na: \x01\n") == "yaml: control characters are not allowed"


def test_reader_error_after_syntax_error() -> None:
    data = b"x: 1\na: b: c\n" + b"b: 1\n" * 200 + b"a: \x01\n"
    assert err(data) == "yaml: line 2: mapping values are not allowed in this context"
    assert err(b"x: 1\na: b: c\nb: \x01\n") == "yaml: control characters are not allowed"
    # comments are skipped while looking for the next token, so they are read
    data = b"variant: fcos\n---\n" + b"# pad\n" * 200 + b"a: \x01\n"
    assert err(data) == "yaml: control characters are not allowed"


# --- sniff -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("variant: fcos\nversion: 1.5.0\n", ("fcos", "1.5.0")),
        ("version: 01.06.00\nvariant: 'fcos'\n", ("fcos", "01.06.00")),
        ("variant: ~\nversion: 1.0\n", ("", "1.0")),
        ("variant: true\nversion: 1\n", ("true", "1")),
        ("a: &v fcos\nvariant: *v\n", ("fcos", "")),
        ("<<: {variant: fcos, version: x}\nversion: 1.5.0\n", ("fcos", "1.5.0")),
        ("<<: [{variant: a}, {variant: b}]\n", ("a", "")),
        ("variant: fcos\nother: {x: 1, x: 2}\n", ("fcos", "")),
        ("hello\n", None),
        ("~\n", ("", "")),
    ],
)
def test_sniff_values(src: str, expected: tuple[str, str] | None) -> None:
    if expected is None:
        assert err(src) == (
            "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `hello` into config.commonFields"
        )
    else:
        assert sniff(root(src)) == expected


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("- variant: fcos\n", "line 1: cannot unmarshal !!seq into config.commonFields"),
        ("variant: [fcos]\n", "line 1: cannot unmarshal !!seq into string"),
        ("variant: {a: 1}\n", "line 1: cannot unmarshal !!map into string"),
        (
            "variant: {a: 1, a: 2}\n",
            'line 1: mapping key "a" already defined at line 1',
        ),
        (
            "variant: a\nx: 1\nvariant: b\n",
            'line 3: mapping key "variant" already defined at line 1',
        ),
        (
            "variant: [a]\nversion: {b: 1}\n",
            "line 1: cannot unmarshal !!seq into string\n"
            "  line 2: cannot unmarshal !!map into string",
        ),
        ("[k]: 1\n", "line 1: cannot unmarshal !!seq into string"),
        (
            "&a variant: fcos\n*a : x\n",
            "line 2: field variant already set in type config.commonFields",
        ),
        ("a: &x [1]\nvariant: *x\n", "line 1: cannot unmarshal !!seq into string"),
    ],
)
def test_sniff_unmarshal_errors(src: str, message: str) -> None:
    assert err(src) == "yaml: unmarshal errors:\n  " + message


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("variant: !!int abc\n", "yaml: cannot decode !!str `abc` as a !!int"),
        ("variant: !!binary '!!'\n", "yaml: !!binary value contains invalid base64 data"),
        ("<<: 1\n", "yaml: map merge requires map or sequence of maps as the value"),
        ("a: &a [1]\n<<: *a\n", "yaml: map merge requires map or sequence of maps as the value"),
    ],
)
def test_sniff_fatal_errors(src: str, message: str) -> None:
    assert err(src) == message


# --- scalar decoding: int ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("420", 420),
        ("0644", 420),
        ("0o644", 420),
        ("0O644", 420),
        ("0x1a4", 420),
        ("0X1A4", 420),
        ("0b110100100", 420),
        ("+0644", 420),
        ("0_644", 420),
        ("4_2_0", 420),
        ("-0644", -420),
        ("-0x10", -16),
        ("0", 0),
        ("-0", 0),
        ("644.9", 644),
        ("-644.9", -644),
        ("1e3", 1000),
        ("1.5e3", 1500),
        (".5", 0),
        ("0789", 789),
        ("1_0.5_", 10),
        ("09", 9),
        ("!!float 5", 5),
        ("!!int 0644", 420),
        ("9223372036854775807", 9223372036854775807),
        ("-9223372036854775808", -9223372036854775808),
        ("-9223372036854775809", -9223372036854775808),
        ("9.223372036854775808e18", -9223372036854775808),
        ("-.inf", -9223372036854775808),
    ],
)
def test_decode_int(text: str, expected: int) -> None:
    assert decode_int(value(f"k: {text}\n")) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("'0644'", "cannot unmarshal !!str `0644` into int"),
        ('"420"', "cannot unmarshal !!str `420` into int"),
        ("!!str 0644", "cannot unmarshal !!str `0644` into int"),
        ("rw-r--r--", "cannot unmarshal !!str `rw-r--r--` into int"),
        ("true", "cannot unmarshal !!bool `true` into int"),
        ("yes", "cannot unmarshal !!str `yes` into int"),
        ("2001-01-01", "cannot unmarshal !!timestamp `2001-01-01` into int"),
        ("99999999999999999999", "cannot unmarshal !!float `9999999...` into int"),
        ("9223372036854775808", "cannot unmarshal !!int `9223372...` into int"),
        ("1e400", "cannot unmarshal !!str `1e400` into int"),
        (".nan", "cannot unmarshal !!float `.nan` into int"),
        (".inf", "cannot unmarshal !!float `.inf` into int"),
        ("0x", "cannot unmarshal !!str `0x` into int"),
        ("[1]", "cannot unmarshal !!seq into int"),
        ("{a: 1}", "cannot unmarshal !!map into int"),
        ("!foo 1", "cannot unmarshal !foo `1` into int"),
        ("!!binary MTI=", "cannot unmarshal !!binary `MTI=` into int"),
        ("<<", "cannot unmarshal !!merge `<<` into int"),
        ("0123456789abc", "cannot unmarshal !!str `0123456...` into int"),
        ("éééééé", "cannot unmarshal !!str `ééé\udcc3...` into int"),
        ("ééééé", "cannot unmarshal !!str `ééééé` into int"),
    ],
)
def test_decode_int_errors(text: str, message: str) -> None:
    with pytest.raises(TypeMismatch) as ei:
        decode_int(value(f"k: {text}\n"))
    assert ei.value.text == message
    assert ei.value.entry == f"line 1: {message}"


def test_decode_int_alias_reports_anchor_line() -> None:
    r = root("a: &x 'no'\nb: *x\n")
    with pytest.raises(TypeMismatch) as ei:
        decode_int(r.pairs[1][1])
    assert ei.value.entry == "line 1: cannot unmarshal !!str `no` into int"
    assert decode_int(root("a: &x 0644\nb: *x\n").pairs[1][1]) == 420


def test_decode_int_tag_conflict_is_fatal() -> None:
    with pytest.raises(YamlError, match=r"^yaml: cannot decode !!str `abc` as a !!int$"):
        decode_int(value("k: !!int abc\n"))


# --- scalar decoding: bool -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
     "'yes'", '"on"', "!!bool true", "!!binary eWVz"],
)  # fmt: skip
def test_decode_bool_true(text: str) -> None:
    assert decode_bool(value(f"k: {text}\n")) is True


@pytest.mark.parametrize(
    "text",
    ["false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF", "'no'"],
)
def test_decode_bool_false(text: str) -> None:
    assert decode_bool(value(f"k: {text}\n")) is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"true"', "cannot unmarshal !!str `true` into bool"),
        ("'false'", "cannot unmarshal !!str `false` into bool"),
        ("1", "cannot unmarshal !!int `1` into bool"),
        ("tRUE", "cannot unmarshal !!str `tRUE` into bool"),
        ("1.0", "cannot unmarshal !!float `1.0` into bool"),
        ("[true]", "cannot unmarshal !!seq into bool"),
    ],
)
def test_decode_bool_errors(text: str, message: str) -> None:
    with pytest.raises(TypeMismatch) as ei:
        decode_bool(value(f"k: {text}\n"))
    assert ei.value.text == message


# --- scalar decoding: str / null --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0644", "0644"),
        ("true", "true"),
        ("1e3", "1e3"),
        ("2001-01-01", "2001-01-01"),
        ("''", ""),
        ("'a''b'", "a'b"),
        ('"a\\tb\\u00e9"', "a\tbé"),
        ("!!int 12", "12"),
        ("!foo bar", "bar"),
        ("!!binary aGVsbG8=", "hello"),
        ("<<", "<<"),
        ("|\n  x\n  y\n", "x\ny\n"),
        (">-\n  x\n  y\n", "x y"),
        ("a\n  b", "a b"),
    ],
)
def test_decode_str(text: str, expected: str) -> None:
    assert decode_str(value(f"k: {text}\n")) == expected


def test_decode_str_errors() -> None:
    with pytest.raises(TypeMismatch) as ei:
        decode_str(value("k: [a]\n"))
    assert ei.value.text == "cannot unmarshal !!seq into string"
    with pytest.raises(YamlError, match="invalid base64"):
        decode_str(value("k: !!binary 'a'\n"))
    with pytest.raises(YamlError, match=r"cannot decode !!str `x` as a !!null"):
        decode_str(value("k: !!null x\n"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", True), ("~", True), ("null", True), ("Null", True), ("NULL", True),
     ("!!null ''", True), ("''", False), ("'~'", False), ("nul", False), ("0", False)],
)  # fmt: skip
def test_is_null(text: str, expected: bool) -> None:
    assert is_null(value(f"k: {text}\n")) is expected


def test_is_null_through_alias() -> None:
    r = root("a: &x ~\nb: *x\n")
    assert is_null(r.pairs[1][1])


# --- resolution ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("1", "!!int"), ("-1", "!!int"), ("+1", "!!int"), ("0x1F", "!!int"), ("0b1", "!!int"),
        ("0o7", "!!int"), ("1_000", "!!int"), ("1.5", "!!float"), ("1.", "!!float"),
        (".5", "!!float"), ("1e5", "!!float"), ("-.inf", "!!float"), (".NaN", "!!float"),
        ("true", "!!bool"), ("False", "!!bool"), ("yes", "!!str"), ("on", "!!str"),
        ("~", "!!null"), ("null", "!!null"), ("", "!!null"), ("2001-01-01", "!!timestamp"),
        ("2001-1-2", "!!timestamp"), ("2001-01-01T10:00:00Z", "!!timestamp"),
        ("2001-01-01t10:00:00.5+01:00", "!!timestamp"), ("2001-01-01 1:2:3", "!!timestamp"),
        ("2001-02-30", "!!str"), ("2001-13-01", "!!str"), ("01-01-01", "!!str"),
        ("2001-01-01T10:00:00", "!!str"), ("1.2.3", "!!str"), ("0x", "!!str"),
        ("0o", "!!str"), ("1e", "!!str"), ("._5", "!!str"), ("+", "!!str"),
        ("12abc", "!!str"), ("é", "!!str"),
    ],
)  # fmt: skip
def test_plain_resolution(text: str, tag: str) -> None:
    assert value(f"k: {text}\n").tag == tag


# --- helpers ----------------------------------------------------------------


def test_type_error_texts() -> None:
    r = root("a: {x: 1}\nb: [1]\nc: /etc/a\nd: !foo {x: 1}\n")
    a, b, c, d = (v for _, v in r.pairs)
    assert type_error(a, "[]v0_6.File") == "cannot unmarshal !!map into []v0_6.File"
    assert type_error(b, "v0_5.Storage") == "cannot unmarshal !!seq into v0_5.Storage"
    assert type_error(c, "[]v0_5.File") == "cannot unmarshal !!str `/etc/a` into []v0_5.File"
    assert type_error(d, "string") == "cannot unmarshal !foo `` into string"


def test_duplicate_key_errors() -> None:
    r = root("a: 1\nb: 2\na: 3\n'a': 4\nb: 5\n")
    assert duplicate_key_errors(r) == [
        'line 3: mapping key "a" already defined at line 1',
        'line 4: mapping key "a" already defined at line 1',
        'line 5: mapping key "b" already defined at line 2',
        'line 4: mapping key "a" already defined at line 3',
    ]
    big = root("".join(f"k{i}: 1\n" for i in range(20)) + 'k3: 2\n"x\\ty": 1\n"x\\ty": 2\n')
    assert duplicate_key_errors(big) == [
        'line 21: mapping key "k3" already defined at line 4',
        'line 23: mapping key "x\\ty" already defined at line 22',
    ]
