"""Unit tests for the small core pieces: paths, translation sets, data URLs,
the JSON emitter, the registry and the command-line parser."""

from __future__ import annotations

import base64
import gzip
import json

import pytest

from butane_py.cli.flags import UsageError, parse, usage
from butane_py.desugar.dataurl import make_data_url
from butane_py.emit.json_go import dumps, go_escape, shape
from butane_py.paths import camel_to_snake, json_to_yaml_fallback, render, snake_to_camel
from butane_py.registry import SpecError, lookup, normalise_version
from butane_py.schema import butane_config, ignition_config
from butane_py.translation import TranslationSet


class TestPaths:
    def test_render(self) -> None:
        assert render(("storage", "files", 0, "mode")) == "$.storage.files.0.mode"
        assert render(()) == "$"

    @pytest.mark.parametrize(("camel", "snake"), [
        ("sizeMiB", "size_mib"), ("typeGuid", "type_guid"), ("httpHeaders", "http_headers"),
        ("sshAuthorizedKeys", "ssh_authorized_keys"), ("name", "name"), ("keyFile", "key_file"),
    ])
    def test_case_conversion(self, camel: str, snake: str) -> None:
        assert camel_to_snake(camel) == snake
        assert snake_to_camel(snake) == camel

    def test_fallback_keeps_indexes(self) -> None:
        assert json_to_yaml_fallback(("storage", "luks", 0, "keyFile")) == ("storage", "luks", 0, "key_file")


class TestTranslationSet:
    def test_resolve_and_fallback(self) -> None:
        ts = TranslationSet()
        ts.add(("storage", "files", 0, "contents", "inline"), ("storage", "files", 0, "contents", "source"))
        assert ts.resolve(("storage", "files", 0, "contents", "source")) == (
            "storage", "files", 0, "contents", "inline")
        assert ts.resolve(("storage", "disks", 0, "partitions", 1, "sizeMiB")) == (
            "storage", "disks", 0, "partitions", 1, "size_mib")

    def test_add_tree_maps_every_subpath(self) -> None:
        ts = TranslationSet()
        ts.add_tree(("x",), ("systemd", "units", 0), {"name": "a.mount", "dropins": [{"name": "b"}]})
        assert ts.resolve(("systemd", "units", 0, "dropins", 0, "name")) == ("x",)
        assert ts.resolve(("systemd", "units", 0)) == ("x",)

    def test_prefixed_merge_later_wins(self) -> None:
        inner = TranslationSet()
        inner.add(("a",), ("b",))
        ts = TranslationSet()
        ts.add(("old",), ("spec", "config", "b"))
        ts.add_prefixed((), ("spec", "config"), inner)
        assert ts.resolve(("spec", "config", "b")) == ("a",)


class TestDataURL:
    def test_percent_escaping(self) -> None:
        assert make_data_url(b"hello <world> & stuff\n", None, True) == (
            "data:,hello%20%3Cworld%3E%20%26%20stuff%0A", "")

    def test_empty(self) -> None:
        assert make_data_url(b"", None, True) == ("data:,", "")

    def test_base64_when_strictly_shorter(self) -> None:
        url, comp = make_data_url(bytes(range(256)), None, False)
        assert url.startswith("data:;base64,") and comp == ""

    def test_gzip_when_much_shorter(self) -> None:
        url, comp = make_data_url(b"a" * 140, None, True)
        assert comp == "gzip"
        assert gzip.decompress(base64.b64decode(url.split(",", 1)[1])) == b"a" * 140

    def test_no_auto_compression(self) -> None:
        url, comp = make_data_url(b"a" * 140, None, False)
        assert comp == "" and url == "data:," + "a" * 140

    def test_user_compression_is_kept(self) -> None:
        url, comp = make_data_url(b"a" * 140, "gzip", True)
        assert comp is None and url == "data:," + "a" * 140

    def test_gzip_header_is_gos(self) -> None:
        url, _ = make_data_url(b"b" * 500, None, True)
        raw = base64.b64decode(url.split(",", 1)[1])
        assert raw[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


class TestJsonEmitter:
    def test_go_escapes(self) -> None:
        text = json.dumps("<a>&\u2028\b\f\\b", ensure_ascii=False)
        assert go_escape(text) == '"\\u003ca\\u003e\\u0026\\u2028\\u0008\\u000c\\\\b"'

    def test_key_order_and_omission(self) -> None:
        it = ignition_config(5)
        cfg = {"storage": {"files": [{"mode": 420, "path": "/a", "contents": {"compression": ""}}]},
               "ignition": {"version": "3.5.0", "config": {"replace": {}}}}
        assert dumps(shape(cfg, it)[0]) == (
            '{"ignition":{"version":"3.5.0"},"storage":{"files":[{"path":"/a",'
            '"contents":{"compression":""},"mode":420}]}}')

    def test_version_specific_non_omitempty(self) -> None:
        it = ignition_config(0)
        cfg = {"ignition": {"version": "3.0.0", "config": {"replace": {"verification": {"hash": "x"}}}},
               "storage": {"links": [{"path": "/l"}]}}
        out = dumps(shape(cfg, it)[0])
        assert '"replace":{"source":null,"verification":{"hash":"x"}}' in out
        assert '{"path":"/l","target":""}' in out

    def test_pretty(self) -> None:
        assert dumps({"a": [], "b": {}}, pretty=True) == '{\n  "a": [],\n  "b": {}\n}'


class TestRegistry:
    def test_normalise(self) -> None:
        assert normalise_version("01.06.00") == "1.6.0"
        assert normalise_version("1.8.0-experimental") == "1.8.0-experimental"
        with pytest.raises(ValueError):
            normalise_version("1.6")

    @pytest.mark.parametrize(("variant", "version", "message"), [
        ("", "1.6.0", "error parsing variant; must be specified"),
        ("fcos", "x", "error parsing version; must be a valid semver"),
        ("fcos", "1.5.0-experimental", "No translator exists for variant fcos with version 1.5.0-experimental"),
        ("FCOS", "1.6.0", "No translator exists for variant FCOS with version 1.6.0"),
        ("rhcos", "0.1.0", "rhcos variant has been removed; use openshift variant instead: "
                           "https://coreos.github.io/butane/upgrading-openshift/"),
    ])
    def test_lookup_errors(self, variant: str, version: str, message: str) -> None:
        with pytest.raises(SpecError, match="^" + message.replace(".", r"\.").replace("(", r"\(")
                           .replace(")", r"\)") + "$"):
            lookup(variant, version)

    def test_every_openshift_version(self) -> None:
        for minor in range(8, 23):
            assert lookup("openshift", f"4.{minor}.0").ocp_minor == minor
        assert lookup("openshift", "4.23.0-experimental").ign_version == "3.7.0-experimental"
        assert lookup("openshift", "4.22.0").ign_version == "3.5.0"


class TestSchema:
    def test_go_type_names(self) -> None:
        c = butane_config(5)
        storage = c.fields["storage"].type
        assert storage.go == "v0_5.Storage"
        assert storage.fields["files"].type.go == "[]v0_5.File"
        users = c.fields["passwd"].type.fields["users"].type.elem
        assert users is not None and users.fields["groups"].type.go == "[]v0_5.Group"

    def test_fcos_sections(self) -> None:
        assert "boot_device" not in butane_config(3).fields
        assert "grub" in butane_config(5, 5).fields
        assert "cex" in butane_config(6, 6).fields["boot_device"].type.fields["luks"].type.fields


class TestFlags:
    def test_pflag_forms(self) -> None:
        p = parse(["x.bu", "-pr", "-dfiles", "--color", "--output=o.ign"])
        assert p.args == ["x.bu"]
        assert p.flag("pretty") and p.flag("raw")
        assert p.get("files-dir") == "files" and p.get("color") == "always" and p.get("output") == "o.ign"

    def test_color_value_is_not_consumed(self) -> None:
        p = parse(["--color", "always"])
        assert p.args == ["always"] and p.get("color") == "always"

    def test_double_dash(self) -> None:
        assert parse(["--", "-p"]).args == ["-p"]

    @pytest.mark.parametrize(("argv", "message"), [
        (["--bogus"], "unknown flag: --bogus"),
        (["-x"], "unknown shorthand flag: 'x' in -x"),
        (["-o"], "flag needs an argument: 'o' in -o"),
        (["--output"], "flag needs an argument: --output"),
    ])
    def test_errors(self, argv: list[str], message: str) -> None:
        with pytest.raises(UsageError, match=message):
            parse(argv)

    def test_usage_alignment(self) -> None:
        text = usage("butane-py")
        assert text.startswith("Usage: butane-py [options] [input-file]\nOptions:\n")
        assert '      --color string[="always"]   control color output: "auto", "always", or "never" (default "auto")\n' in text
        assert "  -c, --check                     check config without producing output\n" in text
        assert "--input" not in text and "--debug" not in text


def test_escape_matches_urllib() -> None:
    import os
    from urllib.parse import quote_from_bytes

    from butane_py.desugar.dataurl import escape

    for data in (b"", b"plain-text_1.2~", bytes(range(256)), os.urandom(4096), "é ü\n<>".encode()):
        assert escape(data) == quote_from_bytes(data, safe="!*'()")


def test_data_url_memo_is_transparent_and_bounded() -> None:
    from butane_py.desugar import dataurl

    dataurl._MEMO.clear()
    data = b"repeated contents of a fleet's shared file\n" * 20
    first = dataurl.make_data_url(data, None, True)
    assert dataurl.make_data_url(data, None, True) == first == dataurl._make_data_url(data, None, True)
    assert len(dataurl._MEMO) == 1
    # user-compressed contents and auto-compression off are never remembered
    dataurl.make_data_url(data, "gzip", True)
    dataurl.make_data_url(data, None, False)
    assert len(dataurl._MEMO) == 1
    for i in range(dataurl._MEMO_ENTRIES + 5):
        dataurl.make_data_url(b"%d" % i, None, True)
    assert len(dataurl._MEMO) <= dataurl._MEMO_ENTRIES


def test_machineconfig_type_is_built_once_per_ignition_type() -> None:
    from butane_py.schema import ignition_config
    from butane_py.variants.openshift import _machineconfig_type

    first = _machineconfig_type(ignition_config(4))
    assert _machineconfig_type(ignition_config(4)) is first
    assert first.fields["spec"].type.fields["config"].type is ignition_config(4)
    assert _machineconfig_type(ignition_config(3)) is not first
