"""The pre-commit hooks: `butane-check` and `butane-translate`.

Both take many `.bu` files and translate them all in one process, print one
`file:line:col: kind at $.path: message` line per diagnostic on stderr, and
exit 1 when any file fails (0 otherwise, 2 on a usage error).

- `butane-check` writes nothing; it is strict by default (a warning fails),
  `--no-strict` lets warnings pass.
- `butane-translate` writes each `x.bu` to `x.ign` next to it, or to
  `--output-dir DIR/x.ign`, exactly as `butane-py x.bu` would print it, and
  fails when it wrote a file that was missing or different, so CI catches
  stale outputs. Not strict unless `--strict`.

`--files-dir DIR` allows embedding local files from DIR for every config.
Without it each config may embed files from its own directory (and below),
so `contents.local: files/motd` next to `node.bu` works wherever the hook
runs from.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator

from ..api import TranslateOptions, translate
from .common import InputError, diagnostics, read_config, rendered, run_main

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO


def _parser(prog: str, translating: bool) -> argparse.ArgumentParser:
    if translating:
        what = "Translate Butane configs to Ignition (x.bu -> x.ign); fail when an output changed."
    else:
        what = "Check Butane configs; strict unless --no-strict."
    p = argparse.ArgumentParser(prog=prog, description=what)
    p.add_argument("files", nargs="*", metavar="FILE", help="Butane configs (.bu)")
    p.add_argument("-d", "--files-dir", metavar="DIR",
                   help="allow embedding local files from DIR (default: each config's directory)")
    p.add_argument("-r", "--raw", action="store_true",
                   help="OpenShift: never wrap in a MachineConfig; force Ignition output")
    p.add_argument("-s", "--strict", action=argparse.BooleanOptionalAction,
                   default=not translating, help="fail on any warning (default: %(default)s)")
    if translating:
        p.add_argument("-p", "--pretty", action="store_true", help="output formatted json")
        p.add_argument("-o", "--output-dir", metavar="DIR",
                       help="write DIR/x.ign instead of x.ign next to x.bu")
    return p


def _update(target: str, data: bytes) -> str | None:
    """Write `data` to `target` unless it holds it already: how the file
    changed ("created", "updated"), or None when it was up to date."""
    from .output import write_atomic

    try:
        with open(target, "rb") as f:
            if f.read() == data:
                return None
        change = "updated"
    except FileNotFoundError:
        change = "created"
        directory = os.path.dirname(target)
        if directory:
            os.makedirs(directory, exist_ok=True)
    write_atomic(target, data)
    return change


class _Hook:
    __slots__ = ("options", "files_dir", "translating", "output_dir", "written")

    def __init__(self, options: TranslateOptions, files_dir: str | None, translating: bool,
                 output_dir: str | None) -> None:
        self.options = options
        self.files_dir = files_dir
        self.translating = translating
        self.output_dir = output_dir
        self.written: dict[str, str] = {}  # target -> its source

    def target(self, path: str) -> str:
        stem = path[:-3] if path.endswith(".bu") else path
        if self.output_dir is None:
            return stem + ".ign"
        return os.path.join(self.output_dir, os.path.basename(stem) + ".ign")

    def one(self, path: str) -> tuple[bool, list[str]]:
        """Whether `path` passes, and the lines to show for it."""
        try:
            data = read_config(path)
        except InputError as e:
            return False, [f"{path}: error: {e}"]
        files_dir = self.files_dir or os.path.dirname(path) or "."
        result = translate(data, self.options._replace(files_dir=files_dir))
        lines = diagnostics(result, path)
        if not result.ok or not self.translating:
            return result.ok, lines
        target = self.target(path)
        other = self.written.setdefault(target, path)
        if other != path:
            return False, [*lines, f"{path}: error: {target} is the output of {other} already"]
        try:
            change = _update(target, rendered(result))
        except OSError as e:
            from ..goerrors import path_error

            return False, [*lines, f"{path}: error: failed to write {target}: "
                                   f"{path_error('open', target, e)}"]
        if change is not None:
            return False, [*lines, f"{target}: {change} from {path}; stage it and commit again"]
        return True, lines


def run(argv: list[str], stderr: IO[str], prog: str, translating: bool) -> int:
    """One hook call over all its files; the exit status."""
    try:
        args = _parser(prog, translating).parse_args(argv)
    except SystemExit as e:  # argparse printed the usage (status 2) or the help (0)
        return e.code if isinstance(e.code, int) else 2
    hook = _Hook(TranslateOptions(pretty=getattr(args, "pretty", False), raw=args.raw,
                                  strict=args.strict),
                 args.files_dir, translating, getattr(args, "output_dir", None))
    status = 0
    for ok, lines in _results(hook, args.files):
        stderr.write("".join(line + "\n" for line in lines))
        if not ok:
            status = 1
    return status


# below this many files a second process costs more than it saves
_PARALLEL_FROM = 8


def _results(hook: _Hook, files: list[str]) -> Iterator[tuple[bool, list[str]]]:
    """Each file's verdict, in order. A long list is split with one forked child
    (the machines this runs on have two cores or more); the child gets the later
    half and sends its verdicts back through a pipe."""
    if len(files) < _PARALLEL_FROM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        yield from map(hook.one, files)
        return
    if hook.translating and len({hook.target(p) for p in files}) != len(files):
        yield from map(hook.one, files)  # the clash is reported in order by one process
        return
    # the first file loads everything lazily imported, so the child starts warm
    yield hook.one(files[0])
    rest = files[1:]
    half = len(rest) // 2
    mine, theirs = rest[:half], rest[half:]
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        yield from map(hook.one, rest)
        return
    if pid == 0:  # the child: its verdicts as JSON lines, then leave without cleanup
        os.close(read_end)
        code = 0
        try:
            with os.fdopen(write_end, "w", encoding="utf-8", errors="surrogateescape") as out:
                for path in theirs:
                    try:
                        verdict = hook.one(path)
                    except Exception as e:  # noqa: BLE001 - reported for that file
                        verdict = (False, [f"{path}: error: internal error ({type(e).__name__}: {e})"])
                    out.write(json.dumps(verdict) + "\n")
        except BaseException:  # noqa: BLE001 - the parent sees the missing verdicts
            code = 1
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8", errors="surrogateescape") as inp:
        yield from map(hook.one, mine)
        verdicts = [json.loads(line) for line in inp]
    os.waitpid(pid, 0)
    for i, path in enumerate(theirs):
        if i < len(verdicts):
            ok, lines = verdicts[i]
            yield bool(ok), [str(line) for line in lines]
        else:
            yield hook.one(path)  # the child died early: do the rest here


def check_main() -> None:
    """The `butane-check` command."""
    run_main(lambda: run(sys.argv[1:], sys.stderr, "butane-check", False), "butane-check")


def translate_main() -> None:
    """The `butane-translate` command."""
    run_main(lambda: run(sys.argv[1:], sys.stderr, "butane-translate", True), "butane-translate")
