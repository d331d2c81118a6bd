"""Tests for butane_py.emit.goyaml (yaml.v3-compatible MachineConfig output)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPORA

from butane_py.emit.goyaml import HEADER, dump, format_float, key_less, resolves_to_non_string

# ---------------------------------------------------------------------------
# Recorded reference outputs

_CORPORA = list(CORPORA.values())
_GO_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:e[-+][0-9]+)?")


def _machineconfig_cases() -> list[Path]:
    found: list[Path] = []
    for root in _CORPORA:
        if not root.is_dir():
            continue
        for expected in sorted(root.glob("**/expected.json")):
            case = expected.parent
            rc = case / "expected.rc"
            if not rc.is_file() or rc.read_text().strip() != "0":
                continue
            args_file = case / "args"
            if args_file.is_file():
                args = shlex.split(args_file.read_text())
                if any(
                    a in ("-r", "--raw") or (re.fullmatch(r"-[a-zA-Z]+", a) and "r" in a)
                    for a in args
                ):
                    continue
            if not expected.read_bytes().startswith(HEADER.encode()):
                continue
            found.append(case)
    return found


def _from_node(node: Any) -> Any:
    """Turn a ruamel node tree into the generic data yaml.v3 was given."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for k, v in node.value:
            key = _from_node(k)
            assert isinstance(key, str)
            out[key] = _from_node(v)
        return out
    if isinstance(node, SequenceNode):
        return [_from_node(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    text: str = node.value
    if node.style is not None:
        return text
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    if _GO_NUMBER.fullmatch(text):
        return float(text)
    return text


def _load(text: str) -> Any:
    from ruamel.yaml import YAML

    return _from_node(YAML(typ="safe", pure=True).compose(text))


_CASES = _machineconfig_cases()


@pytest.mark.skipif(not _CASES, reason="reference corpora not available")
@pytest.mark.parametrize("case", _CASES, ids=[f"{c.parent.name}/{c.name}" for c in _CASES])
def test_reference_machineconfigs(case: Path) -> None:
    expected = (case / "expected.json").read_bytes().decode("utf-8")
    data = _load(expected)
    assert dump(data) + "\n" == expected


def test_corpus_found_cases() -> None:
    if not any(root.is_dir() for root in _CORPORA):
        pytest.skip("reference corpora not available")
    assert len(_CASES) >= 30


# ---------------------------------------------------------------------------
# Helpers


def _value(v: Any) -> str:
    """The text emitted for a single mapping value ``k: <v>``."""
    out = dump({"k": v})
    assert out.startswith(HEADER + "k:")
    return out[len(HEADER) + 2 :]


def _key(k: str) -> str:
    out = dump({k: 1.0})
    assert out.startswith(HEADER)
    return out[len(HEADER) :]


# ---------------------------------------------------------------------------
# Document assembly


def test_header_and_trim() -> None:
    assert dump({"a": "b"}) == HEADER + "a: b"
    assert dump({}) == HEADER + "{}"
    # A keep-chomped block scalar at the very end loses its newlines to the trim.
    assert dump({"a": "x\n\n"}) == HEADER + "a: |+\n  x"


def test_nesting_and_indentation() -> None:
    data = {
        "spec": {
            "config": {"passwd": {"users": [{"name": "core", "keys": ["k1", "k2"]}]}},
            "list": [["a", "b"], [], {}, [{"x": 1}]],
            "empty": {},
            "none": [],
        }
    }
    assert dump(data) == HEADER + (
        "spec:\n"
        "  config:\n"
        "    passwd:\n"
        "      users:\n"
        "        - keys:\n"
        "            - k1\n"
        "            - k2\n"
        "          name: core\n"
        "  empty: {}\n"
        "  list:\n"
        "    - - a\n"
        "      - b\n"
        "    - []\n"
        "    - {}\n"
        "    - - x: 1\n"
        "  none: []"
    )


def test_block_scalar_in_sequence_and_following_key() -> None:
    assert dump({"u": [{"contents": "a\nb\n", "name": "x"}]}) == HEADER + (
        "u:\n  - contents: |\n      a\n      b\n    name: x"
    )


# ---------------------------------------------------------------------------
# Scalars other than strings


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (420, "420"),
        (420.0, "420"),
        (0, "0"),
        (-0.0, "-0"),
        (-5, "-5"),
        (1.5, "1.5"),
        (123456, "123456"),
        (999999, "999999"),
        (1000000, "1e+06"),
        (1000000.0, "1e+06"),
        (1234567, "1.234567e+06"),
        (123456789, "1.23456789e+08"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (0.000123, "0.000123"),
        (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"),
        (0.1, "0.1"),
        (2**53, "9.007199254740992e+15"),
        (float("inf"), ".inf"),
        (float("-inf"), "-.inf"),
        (float("nan"), ".nan"),
    ],
)
def test_format_float(value: float, text: str) -> None:
    assert format_float(value) == text


def test_bool_null_number_values() -> None:
    assert _value(True) == " true"
    assert _value(False) == " false"
    assert _value(None) == " null"
    assert _value(1000000) == " 1e+06"


# ---------------------------------------------------------------------------
# String styles


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # plain
        ("abc", "abc"),
        ("café", "café"),
        ("-x", "-x"),
        ("a#b", "a#b"),
        ("a:b", "a:b"),
        (":x", ":x"),
        ("?x", "?x"),
        ("x?", "x?"),
        ('a"b\\c', 'a"b\\c'),
        ("a'b", "a'b"),
        ("nan", "nan"),
        ("inf", "inf"),
        ("NaN", "NaN"),
        ("<<", "<<"),
        ("0x", "0x"),
        ("0b", "0b"),
        ("1.2.3", "1.2.3"),
        ("2001-02-30", "2001-02-30"),
        ("2001-1-1x", "2001-1-1x"),
        ("._5", "._5"),
        (".", "."),
        ("-", "'-'"),
        ("a\u00a0b", "a\u00a0b"),
        # single quoted: emitter indicators
        ("a: b", "'a: b'"),
        ("a:", "'a:'"),
        ("x: ", "'x: '"),
        ("#c", "'#c'"),
        ("x #y", "'x #y'"),
        ("@x", "'@x'"),
        ("`x", "'`x'"),
        ("- x", "'- x'"),
        ("? x", "'? x'"),
        (": x", "': x'"),
        ("[a]", "'[a]'"),
        ("{a}", "'{a}'"),
        ("!x", "'!x'"),
        ("&x", "'&x'"),
        ("*x", "'*x'"),
        ("|x", "'|x'"),
        (">x", "'>x'"),
        ("%x", "'%x'"),
        (",x", "',x'"),
        ("'x", "'''x'"),
        ('"x', "'\"x'"),
        ("---x", "'---x'"),
        ("...", "'...'"),
        (" lead", "' lead'"),
        ("trail ", "'trail '"),
        ("it's: x", "'it''s: x'"),
        # double quoted: would resolve to something else
        ("", '""'),
        ("~", '"~"'),
        ("null", '"null"'),
        ("Null", '"Null"'),
        ("NULL", '"NULL"'),
        ("true", '"true"'),
        ("False", '"False"'),
        ("yes", '"yes"'),
        ("no", '"no"'),
        ("No", '"No"'),
        ("y", '"y"'),
        ("n", '"n"'),
        ("on", '"on"'),
        ("OFF", '"OFF"'),
        ("1", '"1"'),
        ("0123", '"0123"'),
        ("08", '"08"'),
        ("1_000", '"1_000"'),
        ("0o12", '"0o12"'),
        ("0x1F", '"0x1F"'),
        ("0b101", '"0b101"'),
        ("0b-1", '"0b-1"'),
        ("-0o7", '"-0o7"'),
        ("1.5", '"1.5"'),
        ("+.5", '"+.5"'),
        (".5", '".5"'),
        (".5_5", '".5_5"'),
        ("1e3", '"1e3"'),
        ("1.", '"1."'),
        ("-1E-3", '"-1E-3"'),
        ("99999999999999999999", '"99999999999999999999"'),
        (".inf", '".inf"'),
        ("-.Inf", '"-.Inf"'),
        (".NaN", '".NaN"'),
        ("2001-01-01", '"2001-01-01"'),
        ("2000-02-29", '"2000-02-29"'),
        ("2001-1-2", '"2001-1-2"'),
        ("2001-12-14t21:59:43.10Z", '"2001-12-14t21:59:43.10Z"'),
        ("2001-12-14T21:59:43+05:00", '"2001-12-14T21:59:43+05:00"'),
        ("2001-12-14 21:59:43.10", '"2001-12-14 21:59:43.10"'),
        ("12:30", '"12:30"'),
        ("-1:20:30.5", '"-1:20:30.5"'),
        # double quoted: escapes
        ("tab\there", '"tab\\there"'),
        ("\tx", '"\\tx"'),
        ("x\x85y", '"x\\Ny"'),
        ("a\x00b", '"a\\0b"'),
        ("bell\x07", '"bell\\a"'),
        ("del\x7f", '"del\\x7F"'),
        ("c1\x9f", '"c1\\x9F"'),
        ("x\ufeff", '"x\\uFEFF"'),
        ("\ufeffab", '"\\uFEFF\\x61\\x62"'),
        ("x\ufffe", '"x\\uFFFE"'),
        ("smile\U0001f600", '"smile\\U0001F600"'),
        ("cr\r", '"cr\\r"'),
        ('q"\t\\', '"q\\"\\t\\\\"'),
        ("esc\x1b", '"esc\\e"'),
    ],
)
def test_string_styles(value: str, text: str) -> None:
    assert _value(value) == " " + text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("a\nb", " |-\n  a\n  b"),
        ("a\nb\n", " |\n  a\n  b"),
        ("a\n\n", " |+\n  a\n"),
        ("  lead\nx\n", " |2\n    lead\n  x"),
        ("\nx", " |2-\n  x"),  # yaml.v3 drops a leading line break
        ("\n", " |2+"),
        ("\n\n", " |2+\n"),
        ("a\n\nb", " |-\n  a\n\n  b"),
        ("a\n b", " |-\n  a\n   b"),
        ("tab\tin\nblock", " |-\n  tab\tin\n  block"),
        ("x:\ny", " |-\n  x:\n  y"),
        # fall back to double quotes
        ("A=1 \nB=2\n", ' "A=1 \\nB=2\\n"'),
        ("[Unit]\nA=1 \nB=2\n", ' "[Unit]\\nA=1 \\nB=2\\n"'),
        ("trail\n ", ' "trail\\n "'),
        ("x\ny\x01", ' "x\\ny\\x01"'),
        ("x\r\ny", ' "x\\r\\ny"'),
    ],
)
def test_multiline_styles(value: str, text: str) -> None:
    # Follow with another key so that trailing newlines are not trimmed away.
    out = dump({"k": value, "z": 1})
    assert out == HEADER + "k:" + text + "\nz: 1"


def test_line_separator_without_newline_single_quoted() -> None:
    # U+2028 is a printable line break: not plain, but single quotes are fine.
    assert dump({"k": "a\u2028b", "z": 1}) == HEADER + "k: 'a\u2028  b'\nz: 1"
    assert dump({"k": "a \u2028b"}) == HEADER + 'k: "a \\Lb"'


def test_keys_quoting() -> None:
    assert _key("plain") == "plain: 1"
    assert _key("1") == '"1": 1'
    assert _key("yes") == '"yes": 1'
    assert _key("a: b") == "'a: b': 1"
    assert _key("") == '"": 1'
    assert _key("x\ty") == '"x\\ty": 1'


def test_long_and_multiline_keys_use_explicit_form() -> None:
    long_key = "k" * 129
    assert dump({long_key: "v"}) == HEADER + f"? {long_key}\n: v"
    assert dump({"k" * 128: "v"}) == HEADER + "k" * 128 + ": v"
    assert dump({long_key: {"a": 1}}) == HEADER + f"? {long_key}\n: a: 1"
    assert dump({"a\nb": "v"}) == HEADER + "? |-\n  a\n  b\n: v"


# ---------------------------------------------------------------------------
# Key order


def test_natural_key_order() -> None:
    keys = ["machineconfiguration.openshift.io/role", "b10", "a", "b9", "1"]
    out = dump({k: 1 for k in keys})
    assert out == HEADER + (
        '"1": 1\na: 1\nb9: 1\nb10: 1\nmachineconfiguration.openshift.io/role: 1'
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1", "a"),
        ("a", "b"),
        ("A", "a"),
        ("b9", "b10"),
        ("a1", "a01"),
        ("a", "ab"),
        ("a-b", "ab"),
        ("a_", "ab"),
        ("1a", "12"),
        ("x1y", "x12"),
        ("kernelArguments", "kernelType"),
        ("apiVersion", "kind"),
    ],
)
def test_key_less(a: str, b: str) -> None:
    assert key_less(a, b)
    assert not key_less(b, a)


def test_resolver_helpers() -> None:
    assert resolves_to_non_string("")
    assert resolves_to_non_string("0")
    assert not resolves_to_non_string("yes")  # quoted for YAML 1.1 only
    assert not resolves_to_non_string("0x")
    assert not resolves_to_non_string("2001-13-01")
    assert resolves_to_non_string("1e5")
    assert not resolves_to_non_string("1e999")


def test_lone_surrogates_become_replacement_characters() -> None:
    assert dump({"k\udc80": "a\ud800b"}) == HEADER + "k\ufffd: a\ufffdb"


def test_digit_runs_compare_numerically() -> None:
    keys = ["x10", "x05", "x5", "x9", "x100", "x1"]
    out = dump({k: 1 for k in keys})
    assert out == HEADER + "x1: 1\nx5: 1\nx05: 1\nx9: 1\nx10: 1\nx100: 1"


def test_tuple_and_mapping_subclasses() -> None:
    from collections import OrderedDict

    assert dump(OrderedDict([("b", (1, "x")), ("a", None)])) == HEADER + "a: null\nb:\n  - 1\n  - x"


def test_unsupported_type() -> None:
    with pytest.raises(TypeError):
        dump({"a": object()})
