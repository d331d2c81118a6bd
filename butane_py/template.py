"""Strict templates: Butane text rendered through a sandboxed Jinja2 before it
is parsed, only when asked for (see docs/compose.md, "Strict templates").

* Every name must be defined: a missing variable is a `TemplateError` at its
  line and column in the template, never an empty string (`StrictUndefined`).
  `{{ name | default("x") }}` and `{% if name is defined %}` still work.
* The environment is reachable only through `env`, and only when the caller
  turns it on: `{{ env.HOSTNAME }}`, `{{ env["HOSTNAME"] }}`, or
  `{{ env("HOSTNAME", "fallback") }}`; an unset variable is an error like any
  other missing name.
* The sandbox refuses `__class__`-style attribute access and calls of
  unsafe callables; there is no autoescaping (the output is YAML, not HTML),
  so quote substituted values yourself or with `| tojson`.

Jinja2 is imported only inside `render_template`: a config rendered without
templates never loads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["TemplateError", "load_values", "parse_var", "render_bytes", "render_template"]

# the name Jinja2 gives a template made with `from_string`, as seen in tracebacks
_TEMPLATE_FRAME = "<template>"
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAG = re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)", re.S)
# where Jinja2's messages name the thing that failed
_NAMED = (
    re.compile(r"^'([^']*)' is undefined"),
    re.compile(r"has no attribute '([^']*)'"),
    re.compile(r"^environment variable '([^']*)' is not set"),
    re.compile(r"access to attribute '([^']*)'"),
    re.compile(r"has no element '?([^'\s]*)'?"),
)


class TemplateError(Exception):
    """A template that cannot be rendered; `line`/`col` are 1-based (0: unknown).

    `str(e)` is `file:line:col: message`, like the one-line diagnostics."""

    def __init__(self, message: str, line: int = 0, col: int = 0, filename: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.filename = filename

    def __str__(self) -> str:
        where = self.filename or "<template>"
        if self.line > 0:
            where += f":{self.line}"
            if self.col > 0:
                where += f":{self.col}"
        return f"{where}: {self.message}"


def parse_var(text: str) -> tuple[str, str]:
    """`KEY=VALUE` (from `--var`) -> (key, value); the value is always a string.

        >>> parse_var("host=node1=a")
        ('host', 'node1=a')
    """
    key, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"--var {text!r}: expected KEY=VALUE")
    if not _VAR_NAME.fullmatch(key):
        raise ValueError(f"--var {text!r}: {key!r} is not a valid variable name "
                         "(letters, digits and _, not starting with a digit)")
    return key, value


def load_values(path: str) -> dict[str, Any]:
    """The variables of a YAML (or JSON) values file: a mapping at the top.

    Raises OSError when the file cannot be read and TemplateError (with the
    position when the YAML says it) when it is not a mapping of names."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise TemplateError(f"invalid values file: {e.problem or e}", line, col, path) from None
    except YAMLError as e:
        raise TemplateError(f"invalid values file: {e}", 0, 0, path) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError("a values file must hold a mapping of variable names to values",
                            1, 1, path)
    for key in data:
        if not isinstance(key, str) or not _VAR_NAME.fullmatch(key):
            raise TemplateError(f"{key!r} is not a valid variable name", 0, 0, path)
    return dict(data)


def render_bytes(data: bytes, variables: Mapping[str, object], filename: str,
                 env_lookup: bool = False) -> bytes:
    """`render_template` over bytes; bytes that are not UTF-8 pass through
    untouched (the YAML parser reports them)."""
    text = data.decode("utf-8", "surrogateescape")
    return render_template(text, variables, filename, env_lookup).encode("utf-8",
                                                                          "surrogateescape")


def render_template(text: str, variables: Mapping[str, object], filename: str,
                    env_lookup: bool = False) -> str:
    """Render `text` with `variables`; raises TemplateError at the failing
    line and column of the template (syntax errors, missing variables,
    sandbox refusals, and any error raised by an expression)."""
    from jinja2 import StrictUndefined
    from jinja2.exceptions import TemplateError as JinjaError
    from jinja2.exceptions import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    if env_lookup and "env" in variables:
        raise TemplateError("the variable 'env' is reserved for environment lookup", 0, 0,
                            filename)
    environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                       keep_trailing_newline=True)
    lines = text.splitlines()
    try:
        template = environment.from_string(text)
    except TemplateSyntaxError as e:
        line = e.lineno or 0
        raise TemplateError(f"template syntax error: {e.message}", line,
                            _tag_col(lines, line), filename) from None
    context: dict[str, Any] = dict(variables)
    if env_lookup:
        context["env"] = _Environ(dict(os.environ), StrictUndefined)
    try:
        return template.render(context)
    except Exception as e:  # noqa: BLE001 - any expression may raise; report where
        line = _template_line(e)
        message = str(e) if isinstance(e, JinjaError) else f"{type(e).__name__}: {e}"
        raise TemplateError(message, line, _error_col(lines, line, str(e)), filename) from None


class _Environ:
    """`env` in a template: `env.NAME`, `env["NAME"]`, `env("NAME", default)`.

    An unset name gives a strict undefined value: an error when used, unless
    the template gives a default (`| default(...)`) or tests `is defined`."""

    # what the sandbox asks of a callable (not environment variables)
    unsafe_callable = False
    alters_data = False

    def __init__(self, environ: dict[str, str], undefined: Any) -> None:
        self._environ = environ
        self._undefined = undefined

    def _lookup(self, name: str) -> Any:
        if name in self._environ:
            return self._environ[name]
        return self._undefined(hint=f"environment variable '{name}' is not set", name=name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._lookup(name)

    def __getitem__(self, name: str) -> Any:
        return self._lookup(name)

    def __call__(self, name: str, *default: str) -> Any:
        if len(default) > 1:
            raise TypeError("env(name[, default]) takes at most one default")
        if name not in self._environ and default:
            return default[0]
        return self._lookup(name)


def _template_line(e: BaseException) -> int:
    """The template line Jinja2's rewritten traceback names (the innermost)."""
    line = 0
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FRAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _tag_col(lines: list[str], line: int) -> int:
    """The column of the first tag on the line (1 when it has none)."""
    if not 1 <= line <= len(lines):
        return 0
    m = _TAG.search(lines[line - 1])
    return m.start() + 1 if m else 1


def _error_col(lines: list[str], line: int, message: str) -> int:
    """The column of the name the message is about, inside a tag of the line;
    else the first tag's column."""
    if not 1 <= line <= len(lines):
        return 0
    text = lines[line - 1]
    for pattern in _NAMED:
        m = pattern.search(message)
        if m is None or not m.group(1):
            continue
        name = re.compile(rf"(?<![\w]){re.escape(m.group(1))}(?![\w])")
        for tag in _TAG.finditer(text):
            hit = name.search(text, tag.start(), tag.end())
            if hit is not None:
                return hit.start() + 1
        break
    return _tag_col(lines, line)
