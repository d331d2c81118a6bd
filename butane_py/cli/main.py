"""The `butane-py` command: the reference's flags, output and exit codes."""

from __future__ import annotations

import os
import sys

from .. import messages as msg
from .common import run_main

TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, NoReturn

    from ..api import Result
    from .flags import Parsed

# `butane-py NAME ...` runs these, unless a file called NAME is there (then it is the input)
_SUBCOMMANDS = {
    "schema": ("..editor_schema", "main_schema"),
    "upgrade": ("..upgrade", "main_upgrade"),
    "decompile": ("..decompile", "main_decompile"),
}


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
    from .common import InputError, read_config
    from .flags import UsageError, parse, usage

    def say(text: str) -> None:
        stderr.write(text.encode("utf-8", "surrogateescape"))

    def fail(text: str) -> NoReturn:
        say(text + "\n")
        raise _Exit(1)

    sub = _SUBCOMMANDS.get(argv[0]) if argv else None
    if sub is not None and not os.path.exists(argv[0]):
        import importlib

        module, func = sub
        command: Callable[[list[str], IO[bytes], IO[bytes]], int] = getattr(
            importlib.import_module(module, __package__), func)
        return command(argv[1:], stdout, stderr)
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

    from ..api import TranslateOptions, references_configs, translate

    options = TranslateOptions(
        files_dir=opts.get("files-dir") or None,
        pretty=opts.flag("pretty"),
        raw=opts.flag("raw"),
    )
    templating = (opts.flag("template") or opts.flag("env") or bool(opts.get_all("var"))
                  or bool(opts.get("values")))
    composing = opts.flag("fragments") or bool(opts.get_all("include"))
    # Beyond the reference, a Butane file given as a merged Ignition config is caught;
    # --raw-errors keeps the reference's report exactly, so it skips that check.
    checking_locals = not opts.flag("raw-errors") and b"local" in data
    pretty_report: bytes | None = None
    result: Result | None = None
    if not (templating or composing):
        result = translate(data, options)
        if checking_locals and references_configs(result.config):
            result = None  # merged configs' local files are looked at by the composer
    if result is None:
        from ..fragments import translate_with_fragments

        preprocess = _template_preprocessor(opts, say) if templating else None
        composed = translate_with_fragments(data, filename, options,
                                            includes=opts.get_all("include"),
                                            fragments=composing, preprocess=preprocess)
        result = composed.as_result()
        if result.report and not opts.flag("raw-errors") and opts.get("diagnostics") in ("", "text"):
            pretty_report = composed.render_report(False, colorize)
        elif result.report and opts.flag("raw-errors"):
            pretty_report = composed.render_report(True, colorize)
    strict_failed = opts.flag("strict") and bool(result.report) and result.error is None
    fmt = opts.get("diagnostics")
    if fmt in ("json", "sarif"):
        # one document on stderr says everything, the failure included
        stderr.write(_machine_report(result, filename, fmt, strict_failed).encode("utf-8"))
        return 1 if result.error is not None or strict_failed else _write(result, opts, fail, stdout)
    if fmt not in ("", "text"):
        say(usage(prog))
        say(f'invalid argument "{fmt}" for "--diagnostics" flag: must be text, json or sarif\n')
        return 2
    if pretty_report is not None and not opts.flag("suggest"):
        stderr.write(pretty_report)
    elif result.report:
        if opts.flag("raw-errors"):
            text = result.report.raw().encode("utf-8", "surrogateescape")
        else:
            from ..render.pretty import render_pretty

            report = result.report
            if opts.flag("suggest"):
                from ..suggest import suggest_result

                report = suggest_result(result)
            text = render_pretty(report, filename, data, colorize)
        stderr.write(text)
    if result.error is not None:
        fail(msg.TRANSLATE_FAILED.format(result.error))
    if strict_failed:
        fail(msg.STRICT_FAILED)
    return _write(result, opts, fail, stdout)


def _template_preprocessor(opts: Parsed, say: Callable[[str], None]
                           ) -> Callable[[bytes, str], bytes]:
    """Renders every file read (the config and its fragments) as a strict template."""
    from ..template import TemplateError, load_values, parse_var, render_bytes

    variables: dict[str, object] = {}
    values_file = opts.get("values")
    try:
        if values_file:
            variables.update(load_values(values_file))
        variables.update(dict(parse_var(v) for v in opts.get_all("var")))
    except (ValueError, TemplateError, OSError) as e:
        say(f"{e}\n")
        raise _Exit(1) from None
    env = opts.flag("env")
    return lambda data, name: render_bytes(data, variables, name, env)


def _machine_report(result: Result, filename: str, fmt: str, strict_failed: bool) -> str:
    from .. import __version__
    from ..render.machine import render_json, render_sarif
    from ..suggest import butane_type_for

    root_type = butane_type_for(result.spec) if result.spec is not None else None
    error = result.error if result.error is not None else (msg.STRICT_FAILED if strict_failed else None)
    if fmt == "json":
        return render_json(result.report, filename, error, root_type)
    return render_sarif(result.report, filename, error, __version__, root_type)


def _write(result: Result, opts: Parsed, fail: Callable[[str], NoReturn], stdout: IO[bytes]) -> int:
    """The output of a successful run: nothing with --check, else stdout or -o."""
    from ..goerrors import path_error
    from .common import rendered_chunks
    if opts.flag("check"):
        return 0
    out = rendered_chunks(result)
    target = opts.get("output")
    if target:
        from .output import WriteFailed, write_atomic

        try:
            write_atomic(target, out)
        except WriteFailed as e:
            fail(f"Failed to write config to {target}: {path_error('write', target, e)}")
        except OSError as e:
            fail(f"failed to open {target}: {path_error('open', target, e)}")
    else:
        for chunk in out:
            stdout.write(chunk)
    return 0


def main() -> None:
    run_main(lambda: run(sys.argv[1:], sys.stdin.buffer, sys.stdout.buffer, sys.stderr.buffer,
                         sys.argv[0] or "butane-py"), "butane-py")
