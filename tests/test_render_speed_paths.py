"""The fast paths of output checking and rendering (Ignition validation, the duplicate
check, the JSON emitter) give the answers of the plain algorithms they stand in for."""

from __future__ import annotations

import itertools
import json
import random
import re
import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from butane_py.emit import json_go
from butane_py.emit.json_go import dumps, go_escape, shape
from butane_py.ignition import gopath, systemd_unit, urls
from butane_py.ignition.dataurl_decode import dataurl_error
from butane_py.ignition.validate import duplicates, validate
from butane_py.schema import ignition_config

V34 = "3.4.0"

# --- Go path helpers ---------------------------------------------------------------------


def _clean_by_elements(p: str) -> str:
    """Go's path.Clean written plainly, element by element."""
    if p == "":
        return "."
    rooted = p.startswith("/")
    out: list[str] = []
    for part in p.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    joined = "/".join(out)
    return "/" + joined if rooted else joined or "."


def _ext_by_scan(p: str) -> str:
    for i in range(len(p) - 1, -1, -1):
        if p[i] == "/":
            break
        if p[i] == ".":
            return p[i:]
    return ""


def test_clean_and_ext_agree_with_the_plain_algorithms() -> None:
    for n in range(8):
        for chars in itertools.product("/.a", repeat=n):
            p = "".join(chars)
            assert gopath.clean(p) == _clean_by_elements(p), p
            assert gopath.ext(p) == _ext_by_scan(p), p
    for p in ("/etc/.hidden", "/a/..b", "/a/b..", "/a./b", "/..", "/./", "/a/b/", "/é/../x"):
        assert gopath.clean(p) == _clean_by_elements(p), p


# --- URLs ----------------------------------------------------------------------------------

_PLAIN_DATA_URL = re.compile(r"data:,(?:[!$&'()*+,\-./0-9:;=?@A-Z_a-z~]|%[0-9A-Fa-f]{2})*")
_BASE64_DATA_URL = re.compile(
    r"data:;base64,(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def test_simple_data_urls_are_the_two_shapes_butane_writes() -> None:
    rng = random.Random(7)
    prefixes = ["data:,", "data:;base64,", "data:", "DATA:,", "data:;base64", "data:text/plain,", ""]
    alphabets = ["aZ09+/=%fG,;:.#? \"\\\x00\x7fé\u2028\udc80-_~", "aZ0+/="]
    for _ in range(20000):
        text = rng.choice(prefixes) + "".join(
            rng.choice(rng.choice(alphabets)) for _ in range(rng.randint(0, 9)))
        simple = bool(_PLAIN_DATA_URL.fullmatch(text) or _BASE64_DATA_URL.fullmatch(text))
        assert urls.simple_data_url_ok(text) == simple, repr(text)
        if simple:
            assert dataurl_error(text) is None
            assert urls.url_error(text, 0) is None


def _check_escapes_by_char(s: str, host: bool = False, zone: bool = False) -> bool:
    """Go's unescape validity (host and zone modes), one character at a time."""
    hex_digits = "0123456789abcdefABCDEF"
    i = 0
    while i < len(s):
        c = s[i]
        if c == "%":
            if i + 2 >= len(s) or s[i + 1] not in hex_digits or s[i + 2] not in hex_digits:
                return False
            if host and int(s[i + 1], 16) < 8 and s[i : i + 3] != "%25":
                return False
            if zone:
                v = int(s[i + 1 : i + 3], 16)
                if s[i : i + 3] != "%25" and v != 0x20 and chr(v) not in urls._HOST_OK:
                    return False
            i += 3
            continue
        if (host or zone) and ord(c) < 0x80 and c not in urls._HOST_OK:
            return False
        i += 1
    return True


def test_escape_check_agrees_with_the_character_scan() -> None:
    rng = random.Random(11)
    alphabet = [chr(c) for c in range(0x80)] + ["é", "\u2028", "%", "%2", "%25", "%41", "%0"]
    for _ in range(20000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        for host, zone in ((False, False), (True, False), (False, True)):
            try:
                urls._check_escapes(s, host=host, zone=zone)
                ok = True
            except urls.URLParseError:
                ok = False
            assert ok == _check_escapes_by_char(s, host, zone), (s, host, zone)


# --- validation ----------------------------------------------------------------------------


def test_each_link_above_a_node_is_reported() -> None:
    """Links found by their paths, each of the same path counted; "" is above every path."""
    cfg = {"storage": {
        "directories": [{"path": "/t"}, {"path": "/l/d"}, {"path": "/t"}],
        "files": [{"path": "/l/f"}, {"path": "/x//y"}, {"path": "/other"}, {"path": "rel/l/f"}],
        "links": [{"path": "/l", "target": "/a"}, {"path": "/l", "target": "/b"},
                  {"path": "", "target": "/c"}, {"path": "/x/", "target": "/d"},
                  {"path": "/h", "target": "/t", "hard": True},
                  {"path": "/l/in", "target": "../t", "hard": True}]}}
    dirs, files, links = (("storage", kind) for kind in ("directories", "files", "links"))
    in_dir, in_file = "directory path includes link in config", "file path includes link in config"
    in_link = "link path includes link in config"
    assert validate(cfg, V34) == [
        ("error", (*dirs, 0), in_dir),
        *[("error", (*dirs, 1), in_dir)] * 3,
        ("error", (*dirs, 2), in_dir),
        *[("error", (*files, 0), in_file)] * 3,
        *[("error", (*files, 1), in_file)] * 2,
        ("error", (*files, 2), in_file),
        ("error", (*links, 0), in_link),
        ("error", (*links, 1), in_link),
        ("error", (*links, 3), in_link),
        ("error", (*links, 4), in_link),
        *[("error", (*links, 4), "hard link target is a directory")] * 2,
        *[("error", (*links, 5), in_link)] * 3,
        ("error", (*files, 1, "path"), "path is not fully simplified"),
        ("error", (*files, 3, "path"), "path not absolute"),
        ("error", (*links, 2, "path"), "path not specified"),
        ("error", (*links, 3, "path"), "path is not fully simplified"),
    ]


def test_duplicates_in_every_checked_list() -> None:
    """The walk goes under every struct that has a checked list below it (file append
    entries and LUKS key files too) and skips the lists Ignition does not check."""
    cfg = {
        "kernelArguments": {"shouldExist": ["a", "b"], "shouldNotExist": ["b", "a", "c", "c"]},
        "storage": {
            "files": [{"path": "/f",
                       "append": [{"source": "https://x/a", "httpHeaders": [{"name": "H"}, {"name": "H"}]},
                                  {"source": "https://x/a"}],
                       "contents": {"source": "https://x/b", "httpHeaders": [
                           {"name": "A", "value": "1"}, {"name": "A", "value": "2"}]}}],
            "disks": [{"device": "/dev/a", "partitions": [
                {"number": 1}, {"number": 1, "label": "x"}, {"label": "x"}, {"label": "x"}, {}, {}]}],
            "filesystems": [{"device": "/dev/b", "options": ["o", "o"], "mountOptions": ["m", "m"]}],
            "luks": [{"name": "l", "options": ["o", "o"], "openOptions": ["p", "p"],
                      "clevis": {"tang": [{"url": "http://t"}, {"url": "http://t"}]},
                      "keyFile": {"source": "https://k", "httpHeaders": [{"name": "K"}, {"name": "K"}]}}]},
        "passwd": {"users": [{"name": "u", "groups": ["g", "g"], "sshAuthorizedKeys": ["k", "k"]},
                             {"name": "u"}]},
    }
    assert [path for _, path, _ in duplicates(cfg, V34)] == [
        ("kernelArguments", "shouldNotExist", 0),
        ("kernelArguments", "shouldNotExist", 1),
        ("kernelArguments", "shouldNotExist", 3),
        ("passwd", "users", 1),
        ("passwd", "users", 0, "groups", 1),
        ("passwd", "users", 0, "sshAuthorizedKeys", 1),
        ("storage", "disks", 0, "partitions", 1),
        ("storage", "disks", 0, "partitions", 3),
        ("storage", "disks", 0, "partitions", 5),
        ("storage", "files", 0, "append", 0, "httpHeaders", 1),
        ("storage", "files", 0, "contents", "httpHeaders", 1),
        ("storage", "luks", 0, "openOptions", 1),
        ("storage", "luks", 0, "clevis", "tang", 1),
        ("storage", "luks", 0, "keyFile", "httpHeaders", 1),
    ]


def test_unit_answers_are_remembered_within_a_bound(monkeypatch: Any) -> None:
    monkeypatch.setattr(systemd_unit, "_MEMO", {})
    monkeypatch.setattr(systemd_unit, "_memo_chars", 0)
    monkeypatch.setattr(systemd_unit, "_MEMO_MAX_CHARS", 100)
    good = "[Unit]\nA=b\n[Install]\nWantedBy=x\n"
    bad = "[Unit\nA=b\n"
    first = systemd_unit.parse_unit_error(good)
    assert first == (["Unit", "Install"], None)
    assert systemd_unit.parse_unit_error(good) is first
    assert systemd_unit.parse_unit_error(bad) == (None, "invalid unit content: unable to find end of section")
    for i in range(20):
        assert systemd_unit.parse_unit_error(f"[S{i}]\nA=b\n") == ([f"S{i}"], None)
        assert sum(map(len, systemd_unit._MEMO)) <= 100
    cfg = {"systemd": {"units": [{"name": "a.service", "contents": bad}, {"name": "b.service", "contents": bad}]}}
    assert [p for _, p, _ in validate(cfg, V34)] == [("systemd", "units", 0, "contents"),
                                                     ("systemd", "units", 1, "contents")]


def test_speed_files_under_many_links() -> None:
    cfg = {"storage": {
        "files": [{"path": f"/etc/d{i % 50}/f{i}", "contents": {"source": "data:;base64,YQ=="}}
                  for i in range(20000)],
        "links": [{"path": f"/l{i}", "target": "/x"} for i in range(2000)],
    }}
    start = time.perf_counter()
    assert validate(cfg, V34) == []
    assert time.perf_counter() - start < 1.0


# --- JSON output ---------------------------------------------------------------------------

_GO_ESCAPES = re.compile(r'\\[bf\\]|[<>&\u2028\u2029]')
_GO = {"\\b": "\\u0008", "\\f": "\\u000c", "\\\\": "\\\\", "<": "\\u003c", ">": "\\u003e",
       "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _go_json(value: Any, pretty: bool) -> str:
    """The emitter's output written the plain way: json.dumps, then Go's escapes."""
    if pretty:
        text = json.dumps(value, ensure_ascii=False, indent=2, separators=(",", ": "))
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _GO_ESCAPES.sub(lambda m: _GO[m.group()], text)
    return re.sub("[\ud800-\udfff]", r"\\ufffd", text)


def test_go_escape_agrees_with_one_pass_over_the_escapes() -> None:
    rng = random.Random(3)
    for _ in range(20000):
        s = "".join(rng.choice("ab\\<>&\u2028\u2029\b\f\"é") for _ in range(rng.randint(0, 8)))
        text = json.dumps(s, ensure_ascii=False)
        assert go_escape(text) == _GO_ESCAPES.sub(lambda m: _GO[m.group()], text), repr(s)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(alphabet=st.one_of(st.characters(exclude_categories=()),
                                                st.sampled_from('<>&\u2028\u2029\b\f\\"')),
                             max_size=6))
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=3), inner, max_size=4),
        st.dictionaries(st.integers(), inner, max_size=2),
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_dumps_agrees_with_json_dumps(value: Any) -> None:
    for pretty in (False, True):
        assert dumps(value, pretty) == _go_json(value, pretty)


def test_indenting_a_config_leaves_json_dumps_alone(monkeypatch: Any) -> None:
    """A shaped config is indented by the C encoder, container by container."""
    cfg = {"ignition": {"version": V34}, "storage": {
        "files": [{"path": f"/etc/f{i}", "mode": 420, "overwrite": True,
                   "contents": {"source": "data:,a%3Cb%3E", "compression": ""}} for i in range(3)],
        "directories": [{"path": "/d", "user": {"name": "core"}}]},
        "systemd": {"units": [{"name": "a.service", "enabled": False, "contents": "[Unit]\n<&>\b\n",
                               "dropins": [{"name": "x.conf", "contents": "[Unit]\n"}]}]}}
    shaped = shape(cfg, ignition_config(4))[0]
    want = _go_json(shaped, True)

    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("json.dumps used")

    monkeypatch.setattr(json, "dumps", refuse)
    assert dumps(shaped, pretty=True) == want


def test_emitter_caches_stay_bounded() -> None:
    """OpenShift builds its MachineConfig types per call, and dumps takes any keys."""
    from butane_py.schema import Field, Type

    string = Type("string", "string")
    for i in range(json_go._ROWS_MAX + 10):
        t = Type("struct", f"x.T{i}", fields={"a": Field("a", string)})
        assert shape({"a": "v"}, t) == ({"a": "v"}, False)
        assert len(json_go._ROWS) <= json_go._ROWS_MAX
    many = {"nested": {f"key{i}": [i] for i in range(json_go._KEY_LINES_MAX + 10)}}
    assert dumps(many, pretty=True) == _go_json(many, True)
    assert all(len(lines) <= json_go._KEY_LINES_MAX for lines in json_go._KEY_LINES.values())


def test_compact_output_without_the_json_package() -> None:
    """The compact writer is the C encoder itself: same text as json.dumps, and the
    json package (with its decoder and re) is not loaded for it."""
    import subprocess
    import sys

    code = ("import sys; from butane_py.emit.json_go import dumps;"
            "t = dumps({'a': ['<x>&', 1, True, None, {}], 'b': 'q\"\\\\'});"
            "print(t); print('json' in sys.modules, 're' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    text, loaded = out.stdout.splitlines()
    assert text == _go_json({"a": ["<x>&", 1, True, None, {}], "b": 'q"\\'}, False)
    assert loaded == "False False"
    for value in ("é\u2028\ud800", "\b\f\\b", ["x", {"k": "\u2029<"}]):
        assert dumps(value) == _go_json(value, False)
