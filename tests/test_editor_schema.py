"""Editor schemas: every conformance (and real-world) input the reference
accepts without a warning validates against the schema of its variant and
version, and every unknown key the reference warns about is rejected there."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPORA
from ruamel.yaml import YAML

from butane_py.editor_schema import (
    COMBINED,
    DESCRIPTIONS,
    combined_schema,
    description,
    main_schema,
    schema_file,
    schema_for,
    write_all,
)
from butane_py.registry import all_specs
from butane_py.suggest import butane_type_for

jsonschema = pytest.importorskip("jsonschema")

_YAML = YAML(typ="safe", pure=True)  # YAML 1.2, as yaml-language-server reads by default


def _plain(v: Any) -> Any:
    """What an editor's YAML parser gives: !!binary as text, merges applied."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _load(path: Path) -> Any:
    # the reference reads the first document only
    return _plain(next(iter(_YAML.load_all(path.read_bytes())), None))


def _unused(case: Path) -> list[str]:
    """The paths of the reference's unused-key warnings, `<<` ones left out
    (a yaml.v3 quirk: merges in list items are reported though applied)."""
    f = case / "expected.stderr"
    text = f.read_text() if f.exists() else ""
    out = []
    for line in text.splitlines():
        if line.startswith("warning at $") and ": unused key " in line:
            where = line[len("warning at "):].split(", line ")[0]
            if not where.endswith(".<<"):
                out.append(where)
    return out


def _cases() -> list[Path]:
    out = []
    for corpus in ("conformance", "realworld"):
        out += sorted(p.parent for p in CORPORA[corpus].glob("**/input.bu"))
    return out


def _accepted(case: Path) -> bool:
    err = case / "expected.stderr"
    return ((case / "expected.rc").read_text().strip() == "0"
            and (not err.exists() or err.read_text() == ""))


CASES = _cases()
ACCEPTED = [c for c in CASES if _accepted(c)]
UNUSED = [c for c in CASES if _unused(c)]


def _id(case: Path) -> str:
    return f"{case.parent.name}/{case.name}"


def _validator(data: Any) -> Any:
    schema = schema_for(str(data.get("variant")), str(data.get("version")))
    return jsonschema.Draft7Validator(schema)


def _where(path: Any) -> str:
    return "$" + "".join(f".{p}" for p in path)


@pytest.mark.parametrize("case", ACCEPTED, ids=_id)
def test_accepted_input_validates(case: Path) -> None:
    data = _load(case / "input.bu")
    errors = [f"{_where(e.absolute_path)}: {e.message}" for e in _validator(data).iter_errors(data)]
    assert not errors


@pytest.mark.parametrize("case", UNUSED, ids=_id)
def test_unused_keys_are_rejected(case: Path) -> None:
    data = _load(case / "input.bu")
    rejected = {_where(e.absolute_path) + "." + key
                for e in _validator(data).iter_errors(data) if e.validator == "additionalProperties"
                for key in e.instance if key not in e.schema["properties"]}
    assert set(_unused(case)) <= rejected


def test_corpus_is_there() -> None:
    assert len(ACCEPTED) > 150 and len(UNUSED) >= 15


@pytest.mark.parametrize("spec", all_specs(), ids=lambda s: f"{s.variant}-{s.version}")
def test_schema_is_valid_draft7_and_described(spec: Any) -> None:
    schema = schema_for(spec.variant, spec.version)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["properties"]["variant"] == {"description": DESCRIPTIONS["variant"],
                                               "const": spec.variant}
    assert schema["required"] == ["variant", "version"]
    # every field of the Butane type has a description
    seen: set[int] = set()
    missing: list[str] = []

    def walk(t: Any) -> None:
        if id(t) in seen:
            return
        seen.add(id(t))
        if t.kind == "struct":
            for name, f in t.fields.items():
                if not description(t.name, name):
                    missing.append(f"{t.name}.{name}")
                walk(f.type)
        elif t.kind == "list":
            walk(t.elem)

    walk(butane_type_for(spec))
    assert not missing


def _validate(schema: dict[str, Any], data: dict[str, Any]) -> list[str]:
    return sorted(e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data))


def test_enums_types_and_required() -> None:
    s = schema_for("fcos", "1.6.0")
    ok = {"variant": "fcos", "version": "1.6.0",
          "boot_device": {"layout": "s390x-eckd", "luks": {"device": "/dev/dasda", "tpm2": True}},
          "storage": {"files": [{"path": "/a", "mode": 0o644, "overwrite": "yes",
                                 "contents": {"inline": "x", "compression": None}}],
                      "filesystems": [{"device": "/dev/vdb", "format": "xfs", "path": "/var"}],
                      "raid": [{"name": "md", "level": 1, "devices": ["/dev/a", "/dev/b"]}]},
          "systemd": {"units": [{"name": "a.service", "enabled": True}]}}
    assert _validate(s, ok) == []
    bad = {"variant": "fcos", "version": "1.6.0",
           "boot_device": {"layout": "sparc"},
           "storage": {"files": [{"mode": "0644"}],
                       "filesystems": [{"device": "/dev/vdb", "format": "ext3"}]},
           "systemd": {"units": [{"name": "a.servic"}]}}
    assert len(_validate(s, bad)) == 5
    # fcos 1.5 knows only the legacy layouts; openshift's kernel_type and labels
    assert _validate(schema_for("fcos", "1.5.0"),
                     {"variant": "fcos", "version": "1.5.0", "boot_device": {"layout": "s390x-virt"}})
    o = schema_for("openshift", "4.14.0")
    base = {"variant": "openshift", "version": "4.14.0"}
    good = {**base, "metadata": {"name": "m", "labels": {"machineconfiguration.openshift.io/role": "worker"}},
            "openshift": {"kernel_type": "realtime"}}
    assert _validate(o, good) == []
    assert len(_validate(o, {**base, "metadata": {"name": "m", "labels": {}},
                             "openshift": {"kernel_type": "rt"}})) == 2
    # version consts: another version's schema refuses the document
    assert _validate(schema_for("fcos", "1.5.0"), {"variant": "fcos", "version": "1.6.0"})


def test_write_all_catalog_and_combined(tmp_path: Path) -> None:
    written = write_all(tmp_path, "https://example.test/butane/")
    names = {p.name for p in written}
    assert {schema_file(s) for s in all_specs()} | {COMBINED, "catalog.json"} == names
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    assert catalog["version"] == 1
    entries = {e["name"]: e for e in catalog["schemas"]}
    assert entries["Butane"]["fileMatch"][0] == "*.bu"
    assert entries["Butane (fcos)"]["url"] == "https://example.test/butane/fcos-1.7.0.json"
    assert "1.8.0-experimental" in entries["Butane (fcos)"]["versions"]
    for e in catalog["schemas"]:
        assert {"name", "description", "url"} <= set(e)

    # the combined schema dispatches on variant/version through relative references
    from referencing import Registry, Resource

    reg: Registry = Registry()
    for p in written:
        if p.name == "catalog.json":
            continue
        reg = reg.with_resource(p.name, Resource.from_contents(json.loads(p.read_text())))
    v = jsonschema.Draft7Validator(combined_schema(), registry=reg)
    assert not list(v.iter_errors({"variant": "flatcar", "version": "1.1.0"}))
    errs = list(v.iter_errors({"variant": "flatcar", "version": "1.1.0", "boot_device": {}}))
    assert [e.validator for e in errs] == ["additionalProperties"]
    assert list(v.iter_errors({"variant": "fcos", "version": "9.9.9"}))


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.BytesIO(), io.BytesIO()
    rc = main_schema(argv, out, err)
    return rc, out.getvalue().decode(), err.getvalue().decode()


def test_main_schema(tmp_path: Path) -> None:
    rc, out, err = _run(["--variant", "fcos", "--version", "1.6.0"])
    assert rc == 0 and err == ""
    assert json.loads(out) == schema_for("fcos", "1.6.0")
    target = tmp_path / "fcos.json"
    assert _run(["--variant", "fcos", "--version", "1.6.0", "-o", str(target)])[:2] == (0, "")
    assert json.loads(target.read_text())["title"].startswith("Butane config, variant fcos")
    rc, out, err = _run(["--all", "--output-dir", str(tmp_path / "all")])
    assert rc == 0 and len(out.splitlines()) == len(all_specs()) + 2
    rc, out, err = _run(["--variant", "fcos", "--version", "9.0.0"])
    assert (rc, out, err) == (1, "", "No translator exists for variant fcos with version 9.0.0\n")
    assert _run(["--variant", "fcos"])[0] == 2
    assert _run(["--all"])[0] == 2
    assert _run(["--bogus"])[0] == 2
    assert _run(["--help"])[0] == 0
