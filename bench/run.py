#!/usr/bin/env python3
"""butane-py benchmarks: whole-process timings, paired against `python -c pass`.

    python bench/run.py [--bin DIR] [--inputs DIR] [--runs N] [--json FILE] [--only NAME ...]

Each measurement alternates the baseline and the command (paired runs), so both
see the same machine load; the table shows medians, the ratio of medians, MB/s
of YAML for the large inputs, and peak memory (max RSS of the child).
Inputs come from ../shared/bench/gen_configs.py (generated once into --inputs).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_configs.py"


@dataclass
class Case:
    name: str
    argv: list[str]
    yaml_bytes: int = 0
    files: int = 0
    stdin: bytes | None = None
    target: str = ""


def _run(argv: list[str], stdin: bytes | None) -> tuple[float, int, int]:
    """Wall time, exit status and the child's peak RSS in KiB."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stdin is not None:
        assert p.stdin is not None
        p.stdin.write(stdin)
        p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, os.waitstatus_to_exitcode(status), usage.ru_maxrss


def measure(case: Case, python: str, runs: int) -> dict[str, object]:
    base, cmd, rss = [], [], []
    _run(case.argv, case.stdin)  # warm the page cache
    for _ in range(runs):
        b, _, _ = _run([python, "-c", "pass"], None)
        c, rc, kib = _run(case.argv, case.stdin)
        if rc not in (0,):
            raise SystemExit(f"{case.name}: exit status {rc}: {' '.join(case.argv)}")
        base.append(b)
        cmd.append(c)
        rss.append(kib)
    med_b, med_c = statistics.median(base), statistics.median(cmd)
    out: dict[str, object] = {
        "name": case.name, "runs": runs, "baseline_ms": round(med_b * 1000, 2),
        "median_ms": round(med_c * 1000, 2), "ratio": round(med_c / med_b, 2),
        "peak_rss_mib": round(max(rss) / 1024, 1), "target": case.target,
    }
    if case.yaml_bytes:
        out["yaml_mb"] = round(case.yaml_bytes / 1e6, 2)
        out["mb_per_s"] = round(case.yaml_bytes / 1e6 / med_c, 1)
        out["rss_over_yaml"] = round(max(rss) * 1024 / case.yaml_bytes, 1)
    if case.files:
        out["ms_per_file"] = round(med_c * 1000 / case.files, 4)
    return out


def cases(bindir: Path, inputs: Path) -> list[Case]:
    bpy = str(bindir / "butane-py")
    check = str(bindir / "butane-check")
    size = lambda n: (inputs / n).stat().st_size  # noqa: E731
    batch_dir = inputs / "batch"
    if not batch_dir.exists():
        batch_dir.mkdir()
        spec_src = (inputs / "typical.bu").read_text()
        for i in range(50):
            (batch_dir / f"node{i:02}.bu").write_text(spec_src.replace("typical", f"typical-{i}"))
    batch = sorted(str(p) for p in batch_dir.glob("*.bu"))
    return [
        Case("version", [bpy, "--version"], target="<= 2x"),
        Case("tiny", [bpy, str(inputs / "tiny.bu")], target="<= 3x"),
        Case("typical", [bpy, str(inputs / "typical.bu")], target="<= 3.5x"),
        Case("typical --pretty", [bpy, "--pretty", str(inputs / "typical.bu")]),
        Case("large", [bpy, str(inputs / "large.bu")], size("large.bu"), 2000, target=">= 15 MB/s"),
        Case("large --pretty", [bpy, "--pretty", str(inputs / "large.bu")], size("large.bu"), 2000,
             target="<= 1.15x compact"),
        Case("huge", [bpy, str(inputs / "huge.bu")], size("huge.bu"), 20000,
             target=">= 15 MB/s, <= 8x RSS"),
        Case("trees", [bpy, "-d", str(inputs / "fdir"), str(inputs / "trees.bu")], files=5000,
             target="<= 0.12 ms/file"),
        Case("locals", [bpy, "-d", str(inputs / "fdir"), str(inputs / "locals.bu")],
             size("locals.bu"), 5000, target="<= 0.12 ms/file"),
        Case("one typical (butane-check)", [check, batch[0]]),
        Case("batch of 50 (butane-check)", [check, *batch], target="<= 0.25 s, < 3x one"),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / ".venv-bench" / "bin"))
    ap.add_argument("--inputs", default=str(ROOT / "bench" / "out"))
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--json", default=str(ROOT / "bench" / "out" / "results.json"))
    ap.add_argument("--only", action="append", default=[])
    a = ap.parse_args()
    inputs = Path(a.inputs)
    if not (inputs / "typical.bu").exists():
        if not GEN.exists():
            raise SystemExit(f"no inputs in {inputs} and no generator at {GEN}")
        inputs.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GEN), str(inputs)], check=True, stdout=subprocess.DEVNULL)
    bindir = Path(a.bin)
    python = str(bindir / "python")
    results = []
    load = os.getloadavg()
    print(f"load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"({os.cpu_count()} cores; figures from a busy machine overstate every ratio)")
    print(f"{'input':30} {'median':>10} {'baseline':>9} {'ratio':>6} {'MB/s':>6} {'ms/file':>8} "
          f"{'RSS MiB':>8} {'RSS/YAML':>8}  target")
    for case in cases(bindir, inputs):
        if a.only and not any(o in case.name for o in a.only):
            continue
        runs = a.runs if not case.yaml_bytes or case.yaml_bytes < 10e6 else max(3, a.runs // 3)
        r = measure(case, python, runs)
        results.append(r)
        print(f"{case.name:30} {r['median_ms']:>8.1f}ms {r['baseline_ms']:>7.1f}ms {r['ratio']:>6} "
              f"{r.get('mb_per_s', ''):>6} {r.get('ms_per_file', ''):>8} {r['peak_rss_mib']:>8} "
              f"{r.get('rss_over_yaml', ''):>8}  {case.target}", flush=True)
    by_name = {r["name"]: r for r in results}
    one, batch = by_name.get("one typical (butane-check)"), by_name.get("batch of 50 (butane-check)")
    if one and batch:
        ratio = round(float(batch["median_ms"]) / float(one["median_ms"]), 2)
        print(f"batch of 50 / one typical (butane-check): {ratio}x  target < 3x (issue 5)")
        results.append({"name": "batch of 50 / one", "ratio": ratio, "target": "< 3x"})
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "load": load, "results": results},
                                       indent=2) + "\n")
    print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
