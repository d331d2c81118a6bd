"""Resource bombs: each translates with memory in proportion to its output, or
stops with a clear diagnostic, within seconds; never a RecursionError or a
MemoryError (docs/limits.md)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from conftest import ROOT

from butane_py import translate
from butane_py.api import Result

HEAD = b"variant: fcos\nversion: 1.6.0\n"


class Hung(Exception):
    pass


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the body runs longer."""
    def alarm(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run(data: bytes, seconds: float = 10) -> Result:
    limit = sys.getrecursionlimit()
    with within(seconds):
        result = translate(data)
    assert sys.getrecursionlimit() == limit
    return result


# ---------------------------------------------------------------------------
# alias expansion


def merge_laughs(levels: int) -> bytes:
    """Each level merges the one below twice: 2**levels decodes for yaml.v3."""
    s = HEAD + b"a0: &a0 {version: 3.5.0}\n"
    for i in range(1, levels):
        s += b"a%d: &a%d {<<: [*a%d, *a%d]}\n" % (i, i, i - 1, i - 1)
    return s + b"ignition: {<<: *a%d}\n" % (levels - 1)


def test_merge_key_alias_bomb_stops_with_yaml_v3_message() -> None:
    t = time.monotonic()
    r = run(merge_laughs(60), seconds=5)
    assert r.error == "yaml: document contains excessive aliasing"
    assert time.monotonic() - t < 5


def test_merge_key_bomb_in_the_variant_sniff_stops_too() -> None:
    s = HEAD.replace(b"version: 1.6.0\n", b"") + b"a0: &a0 {version: 1.6.0}\n"
    for i in range(1, 60):
        s += b"a%d: &a%d {<<: [*a%d, *a%d]}\n" % (i, i, i - 1, i - 1)
    r = run(s + b"<<: *a59\n", seconds=5)
    assert r.error == "Error unmarshaling yaml: yaml: document contains excessive aliasing"


def test_small_alias_use_still_translates() -> None:
    r = run(merge_laughs(5))
    assert r.ok, r.error
    assert json.loads(r.output or "") == {"ignition": {"version": "3.5.0"}}


def billion_laughs(field: bytes) -> bytes:
    s = HEAD + b"a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        s += b"a%d: &a%d [" % (i, i) + b", ".join([b"*a%d" % (i - 1)] * 10) + b"]\n"
    return s + field


def test_classic_billion_laughs_is_never_expanded() -> None:
    # nine levels of ten: 10**9 strings if anything expanded them
    r = run(billion_laughs(b""), seconds=5)
    assert r.ok and [e.message for e in r.report][:1] == ["unused key a0"]
    r = run(billion_laughs(b"kernel_arguments: {should_exist: *a9}\n"), seconds=5)
    assert r.error and "cannot unmarshal !!seq into v0_6.KernelArgument" in r.error


# ---------------------------------------------------------------------------
# nesting


@pytest.mark.parametrize("open_, close", [(b"[", b"]"), (b"{a: ", b"}")])
def test_flow_nesting_at_yaml_v3_max_depth_translates(open_: bytes, close: bytes) -> None:
    r = run(HEAD + b"x: " + open_ * 9999 + close * 9999 + b"\n")
    assert r.ok, r.error


def test_flow_nesting_beyond_max_depth_stops_with_yaml_v3_message() -> None:
    r = run(HEAD + b"x: " + b"[" * 10001 + b"]" * 10001 + b"\n")
    assert r.error == "Error unmarshaling yaml: yaml: line 3: exceeded max depth of 10000"
    r = run(b"[" * 100_000 + b"]" * 100_000)
    assert r.error == "Error unmarshaling yaml: yaml: exceeded max depth of 10000"


def test_block_nesting_beyond_max_depth_stops_with_yaml_v3_message() -> None:
    # the root mapping is one level; 10,000 nested sequences make 10,001
    r = run(HEAD + b"x:\n  " + b"- " * 10000 + b"a\n")
    assert r.error == "Error unmarshaling yaml: yaml: line 3: exceeded max depth of 10000"
    r = run(HEAD + b"x:\n  " + b"- " * 9999 + b"a\n")
    assert r.ok, r.error


def test_deep_nesting_inside_a_known_field_is_a_type_error() -> None:
    r = run(HEAD + b"storage: {files: [{path: /a, contents: {source: " + b"[" * 9990
            + b"]" * 9990 + b"}}]}\n")
    assert r.error == "yaml: unmarshal errors:\n  line 3: cannot unmarshal !!seq into string"


def test_max_depth_can_be_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUTANE_PY_MAX_DEPTH", "50")
    r = run(HEAD + b"x: " + b"[" * 51 + b"]" * 51 + b"\n")
    assert r.error == "Error unmarshaling yaml: yaml: line 3: exceeded max depth of 50"
    monkeypatch.setenv("BUTANE_PY_MAX_DEPTH", "20000")
    r = run(HEAD + b"x: " + b"[" * 15000 + b"]" * 15000 + b"\n")
    assert r.ok, r.error


# ---------------------------------------------------------------------------
# size (in a child process, to measure its peak memory)

_MEASURE = """
import json, resource, sys, time
from butane_py import translate
data = sys.stdin.buffer.read()
t = time.monotonic()
r = translate(data)
print(json.dumps({"seconds": time.monotonic() - t, "ok": r.ok, "error": r.error,
                  "out": len(r.output or ""),
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def measure(data: bytes, env: dict[str, str] | None = None) -> dict[str, object]:
    import os

    proc = subprocess.run([sys.executable, "-c", _MEASURE], input=data, capture_output=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out: dict[str, object] = json.loads(proc.stdout)
    return out


def test_hundred_megabyte_scalar_translates_in_bounded_memory() -> None:
    size = 100_000_000
    data = HEAD + b"storage: {files: [{path: /a, contents: {inline: '" + b"x" * size + b"'}}]}\n"
    m = measure(data)
    assert m["ok"], m
    assert isinstance(m["seconds"], float) and m["seconds"] < 20
    assert isinstance(m["rss"], int) and m["rss"] < 8 * size  # a few copies of the input


def test_input_over_the_size_limit_stops_with_a_clear_message() -> None:
    m = measure(HEAD + b"x: " + b"y" * 5000 + b"\n", {"BUTANE_PY_MAX_INPUT_BYTES": "4096"})
    assert m["error"] == ("Error unmarshaling yaml: input is 5033 bytes, over the limit of 4096 "
                          "bytes (raise it with BUTANE_PY_MAX_INPUT_BYTES)")


def test_million_list_items_translate_in_bounded_memory() -> None:
    items = 1_000_000
    data = HEAD + b"kernel_arguments:\n  should_exist:\n" + b"".join(
        b"  - a%d\n" % i for i in range(items))
    m = measure(data)
    assert m["ok"], m
    out = m["out"]
    assert isinstance(out, int) and out > 8 * items
    assert isinstance(m["seconds"], float) and m["seconds"] < 30
    assert isinstance(m["rss"], int) and m["rss"] < 200 * out  # in proportion to the output


def test_million_unknown_list_items_translate() -> None:
    r = run(HEAD + b"x:\n" + b"  - a\n" * 1_000_000, seconds=20)
    assert r.ok and r.report.entries[0].message == "unused key x"
