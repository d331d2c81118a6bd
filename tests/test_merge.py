"""Ignition's config merge (spec 5.12) and the merge of translated configs."""

from __future__ import annotations

import json
from typing import Any

from conftest import FIXTURES

from butane_py.ignition.merge import (
    CHILD,
    PARENT,
    item_key,
    merge_configs,
    merge_transcribe,
    merge_translated,
)
from butane_py.schema import ignition_config
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
