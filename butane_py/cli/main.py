"""The `butane-py` command: the reference's flags, output and exit codes."""

from __future__ import annotations

import os
import sys
from typing import IO, NoReturn

from .. import messages as msg
from .common import run_main


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _colorize(setting: str, stderr: IO[bytes]) -> bool:
    if setting in ("always", "yes"):
        return True
    if setting == "auto":
        return "NO_COLOR" not in os.environ and _is_char_device(stderr)
    return False


def _is_char_device(stream: IO[bytes]) -> bool:
    import stat

    try:
        return stat.S_ISCHR(os.fstat(stream.fileno()).st_mode)
    except (OSError, AttributeError, ValueError):
        return False


def run(argv: list[str], stdin: IO[bytes], stdout: IO[bytes], stderr: IO[bytes],
        prog: str = "butane-py") -> int:
    """The whole command; returns the exit status."""
    try:
        return _run(argv, stdin, stdout, stderr, prog)
    except _Exit as e:
        return e.code


def _run(argv: list[str], stdin: IO[bytes], stdout: IO[bytes], stderr: IO[bytes],
         prog: str) -> int:
    from ..goerrors import path_error
    from .common import InputError, read_config, rendered
    from .flags import UsageError, parse, usage

    def say(text: str) -> None:
        stderr.write(text.encode("utf-8", "surrogateescape"))

    def fail(text: str) -> NoReturn:
        say(text + "\n")
        raise _Exit(1)

    try:
        opts = parse(argv)
    except UsageError as e:
        say(usage(prog))
        say(f"{e}\n")
        return 2
    for notice in opts.notices:
        say(notice + "\n")
    colorize = _colorize(opts.get("color"), stderr)
    infile = opts.get("input")
    if len(opts.args) == 1 and not infile:
        infile = opts.args[0]
    elif opts.args:
        say(usage(prog))
        return 2
    if opts.flag("help"):
        stdout.write(usage(prog).encode())
        return 0
    if opts.flag("version"):
        from ..version import VERSION_TEXT

        stdout.write((VERSION_TEXT + "\n").encode())
        return 0

    filename = infile or "<stdin>"
    if infile:
        try:
            data = read_config(infile)
        except InputError as e:
            fail(str(e))
    else:
        data = stdin.read()

    from ..api import TranslateOptions, translate

    result = translate(data, TranslateOptions(
        files_dir=opts.get("files-dir") or None,
        pretty=opts.flag("pretty"),
        raw=opts.flag("raw"),
    ))
    if result.report:
        if opts.flag("raw-errors"):
            text = result.report.raw().encode("utf-8", "surrogateescape")
        else:
            from ..render.pretty import render_pretty

            text = render_pretty(result.report, filename, data, colorize)
        stderr.write(text)
    if result.error is not None:
        fail(msg.TRANSLATE_FAILED.format(result.error))
    if opts.flag("strict") and result.report:
        fail(msg.STRICT_FAILED)
    if opts.flag("check"):
        return 0
    out = rendered(result)
    target = opts.get("output")
    if target:
        from .output import write_atomic

        try:
            write_atomic(target, out)
        except OSError as e:
            fail(f"failed to open {target}: {path_error('open', target, e)}")
    else:
        stdout.write(out)
    return 0


def main() -> None:
    run_main(lambda: run(sys.argv[1:], sys.stdin.buffer, sys.stdout.buffer, sys.stderr.buffer,
                         sys.argv[0] or "butane-py"), "butane-py")
