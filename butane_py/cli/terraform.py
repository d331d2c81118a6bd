"""`butane-py-terraform`: a program for Terraform's `external` data source.

The protocol, exactly: stdin holds one JSON object whose values are strings;
stdout gets one flat JSON object of strings; on failure a one-line reason
goes to stderr, nothing to stdout, and the exit status is 1. Nothing is
written anywhere else.

Query keys:

- `content` (Butane text) or `path` (a Butane file, relative to Terraform's
  working directory; use `"${path.module}/x.bu"`): exactly one of them.
- `files_dir`: allow embedding local files from this directory. Default: the
  directory of `path`; none with `content`.
- `strict`, `pretty`, `raw`: "true" or "false" (default "false").

An empty string or null counts as absent (the external provider sends ""
or null for a null query value, depending on its version).

Result keys: `rendered` (the Ignition JSON, or the MachineConfig with an
openshift variant, without a final newline) and `warnings` (one
`file:line:col: warning at $.path: message` line each, "" when none).
"""

from __future__ import annotations

import json
import os
import sys

from .common import InputError, diagnostics, read_config, run_main

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

_TEXT_KEYS = ("content", "path", "files_dir")
_FLAG_KEYS = ("strict", "pretty", "raw")
_CONTENT_NAME = "<content>"


class QueryError(Exception):
    """The reason a query failed: one line for stderr."""


def _query(raw: bytes) -> dict[str, str]:
    """The query's non-empty values; raises QueryError for anything but a JSON
    object of strings with known keys."""
    try:
        query = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as e:
        raise QueryError(f"the query on stdin is not valid JSON: {e}") from e
    if not isinstance(query, dict):
        raise QueryError(f"the query on stdin must be a JSON object, not {json.dumps(query)[:40]}")
    known = _TEXT_KEYS + _FLAG_KEYS
    values: dict[str, str] = {}
    for key, value in query.items():
        if key not in known:
            raise QueryError(f"unknown query key {key!r}; known keys: {', '.join(known)}")
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise QueryError(f"query value {key!r} must be a string, not {json.dumps(value)}")
        if key in _FLAG_KEYS and value not in ("true", "false"):
            raise QueryError(f'query value {key!r} must be "true" or "false", not {value!r}')
        values[key] = value
    if ("content" in values) == ("path" in values):
        raise QueryError('the query needs exactly one of "content" and "path"')
    return values


def render(query: dict[str, str]) -> dict[str, str]:
    """The result object for a checked query; raises QueryError on failure."""
    from ..api import TranslateOptions, translate

    path = query.get("path")
    files_dir: str | None
    if path is not None:
        try:
            data = read_config(path)
        except InputError as e:
            raise QueryError(str(e)) from e
        files_dir = query.get("files_dir", os.path.dirname(path) or ".")
    else:
        data = query["content"].encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8
        files_dir = query.get("files_dir")
    result = translate(data, TranslateOptions(
        files_dir=files_dir,
        pretty=query.get("pretty") == "true",
        raw=query.get("raw") == "true",
        strict=query.get("strict") == "true",
    ))
    lines = diagnostics(result, path or _CONTENT_NAME)
    if result.output is None:
        raise QueryError("; ".join(lines))
    return {"rendered": result.output, "warnings": "".join(line + "\n" for line in lines)}


def run(stdin: IO[bytes], stdout: IO[str], stderr: IO[str]) -> int:
    """One data source read; the exit status."""
    try:
        out = json.dumps(render(_query(stdin.read())))
    except QueryError as e:
        stderr.write(" ".join(str(e).splitlines()) + "\n")
        return 1
    stdout.write(out + "\n")
    return 0


def main() -> None:
    """The `butane-py-terraform` command (it takes no arguments)."""
    if sys.argv[1:]:
        sys.stderr.write("butane-py-terraform takes no arguments; it reads a JSON query on stdin\n")
        raise SystemExit(1)
    run_main(lambda: run(sys.stdin.buffer, sys.stdout, sys.stderr), "butane-py-terraform", 1)
