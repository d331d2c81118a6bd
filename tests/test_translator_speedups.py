"""The decode, unused-key and translation walks against their plain forms: the
shortcuts (string scalars and keys decoded inline, remembered ints, per-type
field tables) must give what the plain walks give, counters included."""

from __future__ import annotations

import random
from typing import Any

import pytest
from conftest import FIXTURES
from strategies import random_butane

from butane_py.api import translate
from butane_py.decode import _BOOLS, _Decoder, decode, unused_keys
from butane_py.paths import Path, snake_to_camel
from butane_py.report import Entry
from butane_py.schema import Type, butane_config, ignition_config
from butane_py.source import parse
from butane_py.translator import Options, translate_config
from butane_py.yaml_scalars import _RESOLVE_MAP, BOOL_TAG, Node, YamlError, is_null


def _counts(text: str) -> tuple[int, int, dict[str, Any] | None]:
    root = parse(text.encode())
    assert root is not None
    d = _Decoder()
    d.tick()  # the document node
    d.tick()  # its root
    out = d.struct(root, butane_config(5))
    return d.count, d.alias_count, out


def test_inline_string_decodes_count_as_yaml_v3_calls() -> None:
    """Every key and value decoded inline is one d.unmarshal call, counted as
    aliased inside an alias, so alias bombs stop where yaml.v3 stops them."""
    # document, root; passwd: key, map; users: key, seq; the first item: map, 2 keys,
    # 2 values; the alias (not itself aliased); then its map, 2 keys, 2 values aliased
    count, aliased, out = _counts("passwd:\n  users:\n    - &u {name: a, shell: b}\n    - *u\n")
    assert (count, aliased) == (17, 5)
    assert out == {"passwd": {"users": [{"name": "a", "shell": "b"}] * 2}}
    # a list of strings: the first one decoded plainly, then through the alias
    count, aliased, out = _counts("passwd:\n  users:\n    - name: a\n"
                                  "      ssh_authorized_keys: &k [x, y]\n"
                                  "    - name: b\n      ssh_authorized_keys: *k\n")
    assert (count, aliased) == (21, 3)
    assert out is not None and out["passwd"]["users"][1]["ssh_authorized_keys"] == ["x", "y"]


def _mode(text: str) -> Any:
    root = parse(f"storage:\n  files:\n    - path: /a\n      mode: {text}\n".encode())
    assert root is not None
    return decode(root, butane_config(5))["storage"]["files"][0]["mode"]


def test_remembered_ints_keep_to_their_tag() -> None:
    assert _mode("0644") == 420
    assert _mode("!!int 0644") == 420
    # the same text quoted is a string, which no int field takes
    with pytest.raises(YamlError, match="cannot unmarshal !!str `0644` into int"):
        _mode('"0644"')
    assert _mode("0x1A4") == 420


def _unit(text: str) -> Any:
    root = parse(f"systemd:\n  units:\n    - {text}\n".encode())
    assert root is not None
    return decode(root, butane_config(5))["systemd"]["units"][0]


def test_bools_decoded_inline_are_the_resolved_ones() -> None:
    assert _BOOLS == {k: v[2] for k, v in _RESOLVE_MAP.items() if v[0] == BOOL_TAG}
    assert _unit("{name: a, enabled: True, mask: false}") == {"name": "a", "enabled": True,
                                                             "mask": False}
    assert _unit("{name: a, enabled: yes, mask: !!bool FALSE}")["enabled"] is True
    with pytest.raises(YamlError, match="cannot decode !!str `yes` as a !!bool"):
        _unit("{name: a, enabled: !!bool yes}")


@pytest.mark.parametrize("keys", ["{name: a, name: b}", "{name: a, enabled: true, name: b}"])
def test_duplicate_keys_still_stop_a_mapping(keys: str) -> None:
    with pytest.raises(YamlError, match='mapping key "name" already defined at line 3'):
        _unit(keys)
    assert _unit("{name: a, 'enabled': true}") == {"name": "a", "enabled": True}


# --- unused keys -------------------------------------------------------------------------


def _plain_unused(t: Type, ctx: Node | None, path: Path, ptr: bool, out: list[Entry]) -> None:
    """The unused-key walk as first written: every struct and list field visited."""
    if ctx is None:
        return
    if t.kind == "struct":
        if ctx.kind != "map":
            if ptr and ctx.kind == "scalar" and is_null(ctx):
                return
            out.append(Entry("warning", "mismatch", path, ctx.line, ctx.col))
            return
        children: dict[str, Node] = {}
        for k, v in ctx.pairs:
            children[k.value] = v
            if k.value not in t.fields:
                out.append(Entry("warning", f"unused key {k.value}", path + (k.value,), k.line,
                                 k.col))
        for name, f in t.fields.items():
            if f.type.kind in ("struct", "list"):
                _plain_unused(f.type, children.get(name), path + (name,), f.ptr, out)
    elif t.kind == "list" and ctx.kind == "seq":
        assert t.elem is not None
        if t.elem.kind == "struct":
            decoded = sum(1 for item in ctx.items if not (item.kind == "scalar" and is_null(item)))
            for i, item in enumerate(ctx.items[:decoded]):
                _plain_unused(t.elem, item, path + (i,), False, out)


def _key(e: Entry) -> tuple[Any, ...]:
    message = "mismatch" if e.message.startswith("context tree") else e.message
    return (e.kind, message, e.path, e.line, e.col)


def test_unused_keys_match_the_plain_walk_on_the_corpus() -> None:
    from butane_py import variants
    from butane_py.registry import lookup

    _types = [variants.layer_for(spec).butane_type(spec)
              for spec in (lookup("fcos", "1.5.0"), lookup("fcos", "1.8.0-experimental"),
                           lookup("openshift", "4.20.0"))]
    checked = warned = 0
    for case in sorted((FIXTURES / "cases").glob("*/*/input.bu")):
        try:
            root = parse(case.read_bytes())
        except YamlError:
            continue
        if root is None:
            continue
        for t in _types:
            want: list[Entry] = []
            _plain_unused(t, root, (), False, want)
            got = unused_keys(root, t)
            assert [_key(e) for e in got] == [_key(e) for e in want], case
            checked += 1
            warned += len(got)
    assert checked > 300 and warned > 300


def test_unused_keys_of_lists_with_null_items() -> None:
    """Null items are dropped from the decoded list but the YAML list is
    indexed, as the reference does: the null item is walked as a struct, the
    last item not at all."""
    root = parse(b"storage:\n  files:\n    - ~\n    - {path: /a, x: 1}\n    - {path: /b, y: 1}\n")
    assert root is not None
    got = [(e.message[:30], e.path) for e in unused_keys(root, butane_config(5))]
    assert got == [("context tree does not match co", ("storage", "files", 0)),
                   ("unused key x", ("storage", "files", 1, "x"))]


# --- translation --------------------------------------------------------------------------


class _PlainTranslator:
    """The field copy as first written, without hooks: every field looked up
    through a fresh table each time."""

    def __init__(self) -> None:
        self.ts: dict[Path, Path] = {}

    def value(self, bt: Type, it: Type, v: Any, fp: Path, tp: Path) -> Any:
        if bt.kind == "struct":
            return self.struct(bt, it, v, fp, tp)
        if bt.kind == "list":
            assert bt.elem is not None and it.elem is not None
            if bt.elem.kind == "struct":
                out = [self.struct(bt.elem, it.elem, x, fp + (i,), tp + (i,))
                       for i, x in enumerate(v)]
            else:
                for i in range(len(v)):
                    self.ts[tp + (i,)] = fp + (i,)
                out = list(v)
            self.ts[tp] = fp
            return out
        self.ts[tp] = fp
        return v

    def struct(self, bt: Type, it: Type, data: dict[str, Any], fp: Path, tp: Path
               ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        before = len(self.ts)
        for name, f in bt.fields.items():
            jname = snake_to_camel(name)
            jf = it.fields.get(jname)
            if jf is None:
                continue
            if name in data:
                out[jname] = self.value(f.type, jf.type, data[name], fp + (name,), tp + (jname,))
            elif not f.ptr and f.type.kind in ("string", "int", "bool"):
                out[jname] = {"string": "", "int": 0, "bool": False}[f.type.kind]
                self.ts[tp + (jname,)] = fp + (name,)
        if len(self.ts) > before and _nonzero(bt, data):
            self.ts[tp] = fp
        return out


def _nonzero(bt: Type, data: dict[str, Any]) -> bool:
    for name, v in data.items():
        f = bt.fields.get(name)
        if f is None or f.ptr or f.type.kind in ("list", "map"):
            return True
        if f.type.kind == "struct" and _nonzero(f.type, v) or f.type.kind != "struct" and v:
            return True
    return False


def _random_butane(rng: random.Random, t: Type, depth: int) -> Any:
    return random_butane(rng, t, ["", "a", "/b"], [0, 1, 420], (0.6, 0.3), depth)


@pytest.mark.parametrize(("base", "minor"), [(1, 0), (2, 1), (4, 3), (5, 4), (6, 5), (8, 7)])
def test_translation_matches_the_plain_field_copy(base: int, minor: int) -> None:
    """Output, its key order and the TranslationSet in its order: zero scalars
    copied and recorded, structs recorded only when something under them is
    and they are not zero."""
    rng = random.Random(base)
    bt, it = butane_config(base), ignition_config(minor)
    for n in range(150):
        cfg = _random_butane(rng, bt, 0)
        plain = _PlainTranslator()
        want = plain.struct(bt, it, cfg, (), ())
        want.setdefault("ignition", {})["version"] = "v"
        got, tr = translate_config(bt, it, cfg, "v", Options(), {})
        assert got == want and repr(got) == repr(want), n
        plain.ts[("ignition", "version")] = ("version",)
        plain.ts[("ignition",)] = ("ignition",)
        assert list(tr.ts.map.items()) == list(plain.ts.items()), n


def test_hooks_see_the_copied_struct() -> None:
    seen: list[tuple[dict[str, Any], Path]] = []
    bt, it = butane_config(5), ignition_config(4)
    cfg = {"storage": {"files": [{"path": "/a", "mode": 420}]}}
    out, tr = translate_config(bt, it, cfg, "3.4.0", Options(),
                               {"File": lambda tr, data, out, fp, tp: seen.append((dict(out), tp))})
    assert seen == [({"path": "/a", "mode": 420}, ("storage", "files", 0))]
    assert out["storage"]["files"] == [{"path": "/a", "mode": 420}]
    assert tr.ts.map[("storage", "files", 0)] == ("storage", "files", 0)


def test_whole_translation_still_reports_positions() -> None:
    r = translate(b"variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /a\n"
                  b"      mode: 644\n")
    assert [(e.kind, e.path, e.line, e.col) for e in r.report] == [
        ("warning", ("storage", "files", 0, "mode"), 6, 13)] * 2
