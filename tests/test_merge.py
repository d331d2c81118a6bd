"""Ignition's config merge (spec 5.12) and the merge of translated configs."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from conftest import FIXTURES

from butane_py.ignition.merge import (
    CHILD,
    PARENT,
    is_zero,
    item_key,
    merge_configs,
    merge_transcribe,
    merge_translated,
)
from butane_py.paths import Path
from butane_py.schema import Type, ignition_config
from butane_py.translation import TranslationSet


def storage(**kw: Any) -> dict[str, Any]:
    return {"storage": kw}


def merged(parent: dict[str, Any], child: dict[str, Any], minor: int = 5) -> dict[str, Any]:
    return merge_configs(parent, child, minor)[0]


def test_scalars_pointers_and_structs() -> None:
    parent = {"passwd": {"users": [{"name": "core", "shell": "/bin/sh", "uid": 5,
                                    "gecos": "p"}]}}
    child = {"passwd": {"users": [{"name": "core", "shell": "/bin/bash", "uid": 0}]}}
    user = merged(parent, child)["passwd"]["users"][0]
    # child pointers win even when zero; unset child pointers keep the parent's
    assert user == {"name": "core", "shell": "/bin/bash", "uid": 0, "gecos": "p"}


def test_non_pointer_scalar_takes_child_zero() -> None:
    # partitions keyed by label; `number` is a plain int, so the child's 0 wins
    parent = storage(disks=[{"device": "/dev/sda", "partitions": [{"label": "x", "number": 0,
                                                                    "sizeMiB": 5}]}])
    child = storage(disks=[{"device": "/dev/sda", "partitions": [{"label": "x"}]}])
    assert merged(parent, child)["storage"]["disks"][0]["partitions"] == [{"label": "x",
                                                                           "sizeMiB": 5}]


def test_struct_zero_rules() -> None:
    parent = {"ignition": {"timeouts": {"httpTotal": 5}}}
    assert merged(parent, {})["ignition"] == {"timeouts": {"httpTotal": 5}}
    assert merged({}, parent)["ignition"] == {"timeouts": {"httpTotal": 5}}
    both = merged(parent, {"ignition": {"timeouts": {"httpResponseHeaders": 1}}})
    assert both["ignition"]["timeouts"] == {"httpTotal": 5, "httpResponseHeaders": 1}


def test_keyed_list_order() -> None:
    parent = storage(filesystems=[{"device": "/a", "format": "xfs"}, {"device": "/b"}])
    child = storage(filesystems=[{"device": "/c"}, {"device": "/a", "label": "L"}])
    assert merged(parent, child)["storage"]["filesystems"] == [
        {"device": "/a", "format": "xfs", "label": "L"}, {"device": "/b"}, {"device": "/c"}]


def test_concatenated_lists() -> None:
    parent = storage(luks=[{"name": "root", "options": ["--a"]}],
                     raid=[{"name": "md", "devices": ["/x"], "options": ["-o"]}],
                     filesystems=[{"device": "/a", "options": ["-f"], "mountOptions": ["ro"]}])
    child = storage(luks=[{"name": "root", "options": ["--a", "--b"]}],
                    raid=[{"name": "md", "devices": ["/y", "/x"], "options": ["-o"]}],
                    filesystems=[{"device": "/a", "options": ["-f"], "mountOptions": ["ro"]}])
    out = merged(parent, child)["storage"]
    assert out["luks"][0]["options"] == ["--a", "--a", "--b"]
    # raid devices are keyed strings, raid options are concatenated
    assert out["raid"][0] == {"name": "md", "devices": ["/x", "/y"], "options": ["-o", "-o"]}
    assert out["filesystems"][0] == {"device": "/a", "options": ["-f", "-f"],
                                     "mountOptions": ["ro", "ro"]}


def test_file_append_concatenated_and_contents_merged() -> None:
    parent = storage(files=[{"path": "/f", "append": [{"source": "data:,a"}],
                             "contents": {"source": "data:,p", "compression": ""}}])
    child = storage(files=[{"path": "/f", "append": [{"source": "data:,a"}],
                            "contents": {"source": "data:,c"}}])
    f = merged(parent, child)["storage"]["files"][0]
    assert f["append"] == [{"source": "data:,a"}, {"source": "data:,a"}]
    assert f["contents"] == {"source": "data:,c", "compression": ""}


def test_node_key_space_shared() -> None:
    parent = storage(files=[{"path": "/a"}, {"path": "/b", "mode": 420}],
                     links=[{"path": "/c", "target": "/x"}])
    child = storage(directories=[{"path": "/a"}], files=[{"path": "/b"}, {"path": "/c"}])
    out = merged(parent, child)["storage"]
    # /a: the child has it as a directory, so the parent's file is dropped
    assert out["directories"] == [{"path": "/a"}]
    assert out["files"] == [{"path": "/b", "mode": 420}, {"path": "/c"}]
    assert out["links"] == []  # an emptied list stays (non-nil, omitted when emitted)


def test_kernel_argument_key_space_shared() -> None:
    parent = {"kernelArguments": {"shouldExist": ["a", "b"]}}
    child = {"kernelArguments": {"shouldNotExist": ["a"]}}
    assert merged(parent, child)["kernelArguments"] == {"shouldExist": ["b"],
                                                        "shouldNotExist": ["a"]}


def test_http_header_null_value_deletes() -> None:
    hdr = [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    parent = storage(files=[{"path": "/f", "contents": {"source": "http://x", "httpHeaders": hdr}}])
    child = storage(files=[{"path": "/f", "contents": {"httpHeaders": [{"name": "A"},
                                                                        {"name": "C", "value": "3"}]}}])
    contents = merged(parent, child)["storage"]["files"][0]["contents"]
    assert contents == {"source": "http://x",
                        "httpHeaders": [{"name": "B", "value": "2"}, {"name": "C", "value": "3"}]}


def test_partition_keys() -> None:
    disk = ignition_config(5).fields["storage"].type.fields["disks"].type.elem
    assert disk is not None
    part = disk.fields["partitions"].type.elem
    assert part is not None
    assert item_key({"number": 3, "label": "x"}, part) == "number:3"
    assert item_key({"label": "x"}, part) == "label:x"
    assert item_key({"sizeMiB": 3}, part) == ""
    assert item_key("--x", part.fields["label"].type) == "--x"


def test_duplicate_child_keys_last_wins() -> None:
    parent = storage(disks=[{"device": "/d", "wipeTable": False}])
    child = storage(disks=[{"device": "/d", "wipeTable": True}, {"device": "/d"}])
    # the parent item merges with the last child item of that key; no child item is appended
    assert merged(parent, child)["storage"]["disks"] == [{"device": "/d", "wipeTable": False}]


def test_clevis_pointer_struct_spec_3_2() -> None:
    parent = storage(luks=[{"name": "root", "clevis": {"tpm2": True}}])
    child = storage(luks=[{"name": "root", "clevis": {"threshold": 2}}])
    assert merged(parent, child, 2)["storage"]["luks"][0]["clevis"] == {"tpm2": True, "threshold": 2}


def test_inputs_are_left_alone() -> None:
    """The merge builds new containers where it combines; it never edits its inputs
    (subtrees taken whole from one side may be shared, since callers drop the inputs)."""
    import copy

    parent = storage(luks=[{"name": "root", "options": ["--a"]}])
    child = storage(luks=[{"name": "root", "options": ["--c"]}], raid=[{"name": "md"}])
    before = copy.deepcopy((parent, child))
    out = merged(parent, child)
    assert (parent, child) == before
    assert out["storage"]["luks"][0]["options"] == ["--a", "--c"]


def test_transcript() -> None:
    parent = storage(disks=[{"device": "/d", "wipeTable": False}])
    child = storage(disks=[{"device": "/d"}, {"device": "/e"}])
    _, transcript = merge_transcribe(parent, child, ignition_config(5))
    d = ("storage", "disks")
    assert transcript == [
        (CHILD, d + (0, "device"), d + (0, "device")),
        (PARENT, d + (0, "wipeTable"), d + (0, "wipeTable")),
        (PARENT, d + (0,), d + (0,)),
        (CHILD, d + (0,), d + (0,)),
        (CHILD, d + (1, "device"), d + (1, "device")),
        (CHILD, d + (1,), d + (1,)),
        (PARENT, d, d),
        (CHILD, d, d),
        (PARENT, ("storage",), ("storage",)),
        (CHILD, ("storage",), ("storage",)),
    ]


def test_merge_translated_child_wins() -> None:
    parent = storage(filesystems=[{"device": "/a", "format": "xfs"}])
    child = storage(filesystems=[{"device": "/b"}, {"device": "/a", "label": "x"}])
    pts, cts = TranslationSet(), TranslationSet()
    pts.add_tree(("gen",), ("storage",), parent["storage"])
    fs = ("storage", "filesystems")
    for i, item in enumerate(child["storage"]["filesystems"]):
        for k in item:
            cts.add(("storage", "filesystems", i, k), fs + (i, k))
        cts.add(fs + (i,), fs + (i,))
    cts.add(fs, fs)
    cts.add(("unused",), ("nowhere",))
    result, ts = merge_translated(parent, pts, child, cts, 5)
    assert result["storage"]["filesystems"] == [{"device": "/a", "format": "xfs", "label": "x"},
                                                {"device": "/b"}]
    assert ts.map[fs + (0, "format")] == ("gen",)
    assert ts.map[fs + (0, "label")] == fs + (1, "label")
    assert ts.map[fs + (0, "device")] == fs + (1, "device")
    assert ts.map[fs + (0,)] == fs + (1,)
    assert ts.map[fs + (1,)] == fs + (0,)
    assert ts.map[fs] == fs
    assert ts.map[("storage",)] == ("gen",)
    assert ("nowhere",) not in ts.map


def test_generated_mount_unit_merge_order() -> None:
    """output/merge-order-generated-units: the generated unit first, the user's
    settings merged into it, other user units after."""
    case = FIXTURES / "cases" / "output" / "merge-order-generated-units"
    expected = json.loads((case / "expected.json").read_text())
    unit = expected["systemd"]["units"][0]
    parent = {"systemd": {"units": [{"contents": unit["contents"], "enabled": True,
                                     "name": "var-srv.mount"}]}}
    child = {"ignition": {"version": "3.4.0"},
             "storage": {"filesystems": [{"device": "/dev/vdb", "format": "xfs",
                                          "path": "/var/srv"}]},
             "systemd": {"units": [{"name": "var-srv.mount", "enabled": False},
                                   {"name": "other.service", "enabled": True}]}}
    assert merged(parent, child, 4) == expected


# --- the fast paths against the plain walk --------------------------------------------

def _plain_merge(parent: Any, pp: Path, child: Any, cp: Path, rp: Path, t: Type,
                 transcript: list[tuple[str, Path, Path]]) -> dict[str, Any]:
    """Spec 5.12's merge as first written: no shortcut under an empty parent,
    every key computed, every path built anew."""
    def transcribe(side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> bool:
        if value is None:
            return False
        if t.kind in ("string", "int", "bool"):
            if not ptr and not value:
                return False
            transcript.append((side, frm, to))
            return True
        found = False
        if t.kind == "struct":
            for name, f in t.fields.items():
                found = transcribe(side, frm + (name,), to + (name,), value.get(name), f.type,
                                   f.ptr) or found
        else:
            assert t.elem is not None
            for i, item in enumerate(value):
                found = transcribe(side, frm + (i,), to + (i,), item, t.elem, False) or found
        if found:
            transcript.append((side, frm, to))
        return found

    def take(side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> Any:
        transcribe(side, frm, to, value, t, ptr)
        return value

    concatenated = {"File": {"append"}, "Filesystem": {"options", "mountOptions"},
                    "Luks": {"options"}, "Raid": {"options"}}.get(t.name, set())
    shared = {"Storage": {"directories": "node", "files": "node", "links": "node"},
              "KernelArguments": {"shouldExist": "ka", "shouldNotExist": "ka"}}.get(t.name, {})
    child_items = {}
    for name, f in t.fields.items():
        if f.type.kind == "list" and name not in concatenated:
            assert f.type.elem is not None
            for j, item in enumerate(child.get(name) or ()):
                child_items[(shared.get(name, name), item_key(item, f.type.elem))] = (name, j, item)
    result: dict[str, Any] = {}
    for name, f in t.fields.items():
        ft, pv, cv = f.type, parent.get(name), child.get(name)
        pf, cf, rf = pp + (name,), cp + (name,), rp + (name,)
        if ft.kind == "list":
            if not pv and not cv:
                continue
            et = ft.elem
            assert et is not None
            pv, cv = pv or [], cv or []
            out: list[Any] = []
            if name in concatenated:
                out = [take(PARENT, pf + (i,), rf + (i,), x, et, False) for i, x in enumerate(pv)]
                out += [take(CHILD, cf + (j,), rf + (len(pv) + j,), x, et, False)
                        for j, x in enumerate(cv)]
                from_parent, from_child = bool(pv), bool(cv)
            else:
                from_parent = from_child = False
                for i, item in enumerate(pv):
                    ip, at = pf + (i,), rf + (len(out),)
                    hit = child_items.get((shared.get(name, name), item_key(item, et)))
                    if hit is None:
                        out.append(take(PARENT, ip, at, item, et, False))
                        from_parent = True
                        continue
                    if hit[0] != name:
                        continue
                    from_parent = from_child = True
                    jp = cf + (hit[1],)
                    if et.kind != "struct":
                        out.append(take(CHILD, jp, at, hit[2], et, False))
                        continue
                    if name == "httpHeaders" and hit[2].get("value") is None:
                        continue
                    out.append(_plain_merge(item, ip, hit[2], jp, at, et, transcript))
                    transcript += [(PARENT, ip, at), (CHILD, jp, at)]
                keys = {item_key(item, et) for item in pv}
                for j, item in enumerate(cv):
                    if item_key(item, et) not in keys:
                        out.append(take(CHILD, cf + (j,), rf + (len(out),), item, et, False))
                        from_child = True
            transcript += [(PARENT, pf, rf)] if from_parent else []
            transcript += [(CHILD, cf, rf)] if from_child else []
            value: Any = out
        elif ft.kind in ("string", "int", "bool") and not f.ptr:
            value = take(CHILD, cf, rf, cv, ft, False)
        elif f.ptr and not (ft.kind == "struct" and pv is not None and cv is not None):
            value = take(PARENT, pf, rf, pv, ft, True) if cv is None else take(CHILD, cf, rf, cv,
                                                                                ft, True)
        elif f.ptr or not (is_zero(cv, ft, False) or is_zero(pv, ft, False)):
            value = _plain_merge(pv, pf, cv, cf, rf, ft, transcript)
            transcript += [(PARENT, pf, rf), (CHILD, cf, rf)]
        elif is_zero(cv, ft, False):
            value = take(PARENT, pf, rf, pv, ft, False)
        else:
            value = take(CHILD, cf, rf, cv, ft, False)
        if value is not None:
            result[name] = value
    return result


def _plain_translated(parent: dict[str, Any], pts: TranslationSet, child: dict[str, Any],
                      cts: TranslationSet, minor: int) -> tuple[dict[str, Any], list[Any]]:
    """merge_translated through a whole transcript, as first written; the map
    as a list, so that its order counts too."""
    transcript: list[tuple[str, Path, Path]] = []
    result = _plain_merge(copy.deepcopy(parent), (), copy.deepcopy(child), (), (),
                          ignition_config(minor), transcript)
    out: dict[Path, Path] = {}
    for side, frm, to in transcript:
        source = (cts if side == CHILD else pts).map.get(frm)
        if source is not None and (side == CHILD or to not in out):
            out[to] = source
    return result, list(out.items())


_WORDS = ["", "a", "b", "/a", "/b", "c"]


def _random_value(rng: random.Random, t: Type, depth: int) -> Any:
    """A value of `t` from a few words, so that keys collide and zeros are common."""
    if t.kind == "string":
        return rng.choice(_WORDS)
    if t.kind == "int":
        return rng.choice([0, 0, 1, 2])
    if t.kind == "bool":
        return rng.choice([False, True])
    if t.kind == "list":
        assert t.elem is not None
        return [_random_value(rng, t.elem, depth + 1) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
    odds = 0.7 if depth < 2 else 0.35
    return {name: _random_value(rng, f.type, depth + 1) for name, f in t.fields.items()
            if rng.random() < odds}


def _random_ts(rng: random.Random, value: Any, tag: str) -> TranslationSet:
    """Sources for most paths of `value` (zero leaves included) and a few strays."""
    ts = TranslationSet()
    stack: list[tuple[Path, Any]] = [((), value)]
    while stack:
        path, v = stack.pop()
        if path and rng.random() < 0.8:
            ts.add((tag, len(ts)), path)
        if isinstance(v, dict):
            stack += [(path + (k,), x) for k, x in v.items()]
        elif isinstance(v, list):
            stack += [(path + (i,), x) for i, x in enumerate(v)]
    ts.add((tag, "stray"), ("storage", "files", 99))
    return ts


def test_merge_translated_matches_the_plain_walk_on_random_configs() -> None:
    rng = random.Random(5)
    for n in range(400):
        minor = rng.choice([0, 1, 2, 3, 4, 5, 6])
        t = ignition_config(minor)
        child = _random_value(rng, t, 0)
        parent = {} if n % 3 == 0 else _random_value(rng, t, 0)
        pts, cts = _random_ts(rng, parent, "p"), _random_ts(rng, child, "c")
        want = _plain_translated(parent, pts, child, cts, minor)
        result, ts = merge_translated(parent, pts, child, cts, minor)
        assert (result, list(ts.map.items())) == want, n


def test_empty_parent_shortcut_matches_the_plain_walk() -> None:
    """Zero structs and empty lists of the child are dropped, a non-empty list
    whose items are all zero is still recorded, and zero leaves are not."""
    t = ignition_config(5)
    child: dict[str, Any] = {
        "ignition": {"config": {}, "version": "3.5.0"}, "passwd": {"users": []},
        "storage": {"files": [{"path": ""}], "links": [{"path": "/l", "hard": False}]},
        "systemd": {}, "kernelArguments": {"shouldExist": [""]}}
    cts = _random_ts(random.Random(1), child, "c")
    assert len(cts) > 10
    want = _plain_translated({}, TranslationSet(), child, cts, 5)
    result, ts = merge_translated({}, TranslationSet(), child, cts, 5)
    assert (result, list(ts.map.items())) == want
    # an empty list inside a struct taken whole makes it non-zero (Go's nil rule)
    assert list(result) == ["ignition", "kernelArguments", "passwd", "storage"]
    assert ("storage", "files", 0) not in ts.map
    assert ("storage", "links", 0, "hard") in ts.map
    storage = {**child["storage"], "directories": [], "raid": [{"name": ""}]}
    for parent_type, value in ((t, child), (t.fields["storage"].type, storage)):
        transcript: list[tuple[str, Path, Path]] = []
        want_value = _plain_merge({}, (), value, (), (), parent_type, transcript)
        assert merge_transcribe({}, value, parent_type) == (want_value, transcript)
    # the storage struct itself: its empty list is dropped, its list of zero items kept
    assert "directories" not in want_value and (CHILD, ("raid",), ("raid",)) in transcript
    assert (CHILD, ("raid", 0), ("raid", 0)) not in transcript


def test_merge_translated_matches_the_plain_walk_on_the_corpus(monkeypatch: Any) -> None:
    from butane_py import api
    from butane_py.ignition import merge
    from butane_py.variants import fcos

    seen: list[Any] = []

    def checked(*args: Any) -> Any:
        want = _plain_translated(*args)
        result, ts = merge_translated(*args)
        assert (result, list(ts.map.items())) == want
        seen.append(args)
        return result, ts

    monkeypatch.setattr(merge, "merge_translated", checked)
    monkeypatch.setattr(fcos, "merge_translated", checked)
    for case in sorted((FIXTURES / "cases").glob("*/*/input.bu")):
        files = case.parent / "files"
        api.translate(case.read_bytes(), api.TranslateOptions(
            files_dir=str(files if files.is_dir() else case.parent)))
    assert len(seen) > 100
    assert any(not args[0] for args in seen) and any(args[0] for args in seen)
