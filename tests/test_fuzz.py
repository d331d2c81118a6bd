"""Property tests over generated Butane documents (valid, mutated and junk),
through the API and the command line, in-process.

Properties: nothing raises; the command exits 0 or 1 and never prints a
traceback; a success is JSON (or, for an OpenShift MachineConfig, YAML) that
passes the Ignition JSON schema of its spec version; a failure names a
severity and a message for every diagnostic, with a line and column inside
the document when the input parsed; translating twice gives the same bytes,
also under another PYTHONHASHSEED.

BUTANE_PY_FUZZ_SCALE multiplies the example counts (`make fuzz` runs the long
version); the bounded run here executes at least 2,000 documents.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import (
    SPECS,
    any_document,
    configs,
    documents,
    ignition_schema,
    junk,
    mutated_documents,
    render,
)

from butane_py import translate
from butane_py.source import YamlError, parse

SCALE = max(1, int(os.environ.get("BUTANE_PY_FUZZ_SCALE", "1") or "1"))
SEVERITIES = {"error", "warning", "info"}
ARGS = [[], ["--pretty"], ["--strict"], ["--raw-errors"], ["-r"], ["--check"],
        ["--pretty", "--raw-errors"]]

STATS: dict[str, int] = {"documents": 0, "ok": 0, "failed": 0, "cli": 0}


def make_files_dir(root: Path) -> Path:
    """A files directory with every hazard the fuzz may name: a FIFO, links out
    of it, a link loop."""
    files = root / "files"
    (files / "dir").mkdir(parents=True)
    (files / "a.txt").write_text("hello\n")
    (files / "dir" / "b.txt").write_bytes(b"\x00\xffbinary")
    (files / "empty").write_bytes(b"")
    (root / "outside").write_text("secret\n")
    os.mkfifo(files / "fifo")
    os.symlink("../outside", files / "out-link")
    os.symlink(str(root), files / "dir-link")
    os.symlink("loop", files / "loop")
    return files


@pytest.fixture(scope="module")
def files_dir() -> Any:
    with tempfile.TemporaryDirectory() as d:
        yield str(make_files_dir(Path(d)))


_VALIDATORS: dict[int, Any] = {}


def validate_output(text: str, minor: int, machine_config: bool) -> None:
    if machine_config:
        from ruamel.yaml import YAML

        doc = YAML(typ="safe", pure=True).load(text)
        assert doc["kind"] == "MachineConfig"
        config = doc["spec"]["config"]
    else:
        config = json.loads(text)
    v = _VALIDATORS.get(minor)
    if v is None:
        v = _VALIDATORS[minor] = jsonschema.Draft202012Validator(ignition_schema(minor))
    v.validate(config)


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks


def _inside(data: bytes, line: int, col: int) -> bool:
    lines = _BREAKS.split(data.decode("utf-8", "replace"))
    if not 1 <= line <= len(lines):
        return False
    return 1 <= col <= len(lines[line - 1]) + 1


def check(data: bytes, files_dir: str, cli_args: list[str] | None = None) -> None:
    """Every property for one document."""
    STATS["documents"] += 1
    first = translate(data, files_dir=files_dir)
    again = translate(data, files_dir=files_dir)
    assert (first.output, first.error, [e.raw() for e in first.report]) == (
        again.output, again.error, [e.raw() for e in again.report])
    for e in first.report:
        assert e.kind in SEVERITIES and e.message
    if first.ok:
        STATS["ok"] += 1
        assert first.output is not None and first.spec is not None
        machine_config = first.spec.variant == "openshift"
        validate_output(first.output, first.spec.ign_minor, machine_config)
    else:
        STATS["failed"] += 1
        assert first.error
        try:
            parsed = parse(data) is not None
        except YamlError:
            parsed = False
        if parsed:
            for e in first.report:
                if e.line:
                    assert _inside(data, e.line, e.col), (e, data)
    if cli_args is not None:
        STATS["cli"] += 1
        r = run_cli([*cli_args, "-d", files_dir], stdin=data)
        assert r.rc in (0, 1), (r.rc, r.err)
        assert b"Traceback" not in r.err and b"internal error" not in r.err
        if r.rc == 0 and "--check" not in cli_args:
            assert r.out.endswith(b"\n")
            if "-r" in cli_args or first.spec is None or first.spec.variant != "openshift":
                json.loads(r.out)


def _run(strategy: st.SearchStrategy[bytes], n: int, files_dir: str) -> int:
    count = [0]

    @settings(max_examples=n * SCALE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=strategy, cli=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(ARGS)))
    def prop(data: bytes, cli: list[str] | None) -> None:
        count[0] += 1
        check(data, files_dir, cli)

    prop()
    return count[0]


def test_valid_documents_across_every_spec(files_dir: str) -> None:
    # each registered variant and version, then random ones
    for spec in SPECS:
        assert _run(configs(spec).map(lambda sc: render(sc[1], False, [0, 1, 2])), 8,
                    files_dir) >= 8
    assert _run(documents(), 500, files_dir) >= 500


def test_mutated_documents(files_dir: str) -> None:
    assert _run(mutated_documents(), 900, files_dir) >= 900


def test_junk(files_dir: str) -> None:
    assert _run(junk(), 350, files_dir) >= 350


def test_bounded_run_count() -> None:
    """The acceptance count: at least 2,000 documents above (when run together)."""
    if STATS["documents"] == 0:
        pytest.skip("run with the other fuzz tests")
    print(f"fuzz: {STATS}")
    assert STATS["documents"] >= 2000 * SCALE


_HASH_SCRIPT = """
import base64, hashlib, json, sys
from butane_py import translate
h = hashlib.sha256()
for line in sys.stdin:
    r = translate(base64.b64decode(line), files_dir=sys.argv[1])
    h.update(json.dumps([r.output, r.error, [e.raw() for e in r.report]]).encode("utf-8", "surrogatepass"))
print(h.hexdigest())
"""


def _digest_in(seed: str, docs: list[bytes], files_dir: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", _HASH_SCRIPT, files_dir], env=env, cwd=ROOT,
                          input="\n".join(base64.b64encode(d).decode() for d in docs) + "\n",
                          capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def test_same_bytes_under_another_hash_seed(files_dir: str) -> None:
    docs: list[bytes] = []

    @settings(max_examples=200 * SCALE, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(any_document())
    def collect(data: bytes) -> None:
        docs.append(data)

    collect()
    here = hashlib.sha256()
    for d in docs:
        r = translate(d, files_dir=files_dir)
        here.update(json.dumps([r.output, r.error, [e.raw() for e in r.report]]).encode(
            "utf-8", "surrogatepass"))
    a = _digest_in("1", docs, files_dir)
    b = _digest_in("4242", docs, files_dir)
    assert a == b == here.hexdigest()


def test_schema_rejects_what_it_should() -> None:
    """The generated schema is not vacuous."""
    validate: Callable[[Any], None] = jsonschema.Draft202012Validator(ignition_schema(5)).validate
    validate({"ignition": {"version": "3.5.0"}})
    for bad in ({"ignition": {"version": "3.4.0"}}, {"ignition": {"version": "3.5.0"}, "x": 1},
                {"ignition": {"version": "3.5.0"}, "storage": {"files": [{"mode": 420}]}},
                {"ignition": {"version": "3.5.0"}, "storage": {"files": [{"path": "/a",
                                                                          "mode": "420"}]}}):
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)
