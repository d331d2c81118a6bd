"""Machine-readable diagnostics, from the same report the annotated one shows:
a small JSON document of our own, and SARIF 2.1.0 for CI code-scanning
annotations. The shapes are described in docs/beyond.md.

Messages are the reference's exact texts; a "did you mean" suggestion (when
the caller gives the config's Butane type) is a separate field in JSON and a
property (plus a sentence of the message) in SARIF.
"""

from __future__ import annotations

import json
import re
from functools import cache

from ..report import ERROR, INFO, WARNING, Entry, Report

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from ..schema import Type

JSON_FORMAT_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "butane-py"
INFORMATION_URI = "https://coreos.github.io/butane/"

_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note"}
_ERROR_LINE = re.compile(r"\bline (\d+)\b")
_FAILED_RULE = "translation-failed"
_FAILED_TEXT = "The config could not be translated."
_UNUSED_RULE = "unused-key"


def _path(e: Entry) -> str | None:
    from ..paths import render

    return render(e.path) if e.path else None


def _suggestions(report: Report, root_type: Type | None) -> list[str | None]:
    if root_type is None:
        return [None] * len(report)
    from ..suggest import suggest

    return [suggest(e, root_type) for e in report]


def _error_line(error: str) -> int | None:
    """The line a YAML error names ("yaml: line 4: ..."), if any."""
    m = _ERROR_LINE.search(error)
    return int(m.group(1)) if m else None


def _unreported(report: Report, error: str | None) -> str | None:
    """The fatal error when no error entry of the report stands for it (a YAML,
    variant/version or --strict failure), else None."""
    if error is None or any(e.kind == ERROR for e in report):
        return None
    return error


def render_json(report: Report, filename: str, error: str | None,
                root_type: Type | None = None) -> str:
    """The diagnostics as one JSON document (with a final newline):

        {"version": 1, "file": "node.bu", "ok": false,
         "error": {"message": "source config is invalid", "line": null},
         "diagnostics": [{"severity": "error", "message": "...", "path": "$.storage.files.0.mode",
                          "line": 9, "column": 13, "file": "node.bu", "suggestion": null}],
         "summary": {"errors": 1, "warnings": 0, "infos": 0}}

    `error` is the fatal error of the translation (Result.error: the text after
    "Error translating config: "), or None when it succeeded. `path`, `line`
    and `column` are null where unknown; `suggestion` is the nearest valid key
    of an unused-key warning when `root_type` is given, else null.
    """
    suggestions = _suggestions(report, root_type)
    diags = [{
        "severity": e.kind,
        "message": e.message,
        "path": _path(e),
        "line": e.line if e.has_marker else None,
        "column": e.col if e.has_marker else None,
        "file": filename,
        "suggestion": s,
    } for e, s in zip(report, suggestions, strict=True)]
    doc = {
        "version": JSON_FORMAT_VERSION,
        "file": filename,
        "ok": error is None,
        "error": None if error is None else {"message": error, "line": _error_line(error)},
        "diagnostics": diags,
        "summary": {
            "errors": sum(1 for e in report if e.kind == ERROR),
            "warnings": sum(1 for e in report if e.kind == WARNING),
            "infos": sum(1 for e in report if e.kind == INFO),
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------
# SARIF


@cache
def _catalogue() -> list[tuple[str, re.Pattern[str], str]]:
    """(rule id, pattern, text) for each message of the catalogue: DECIMAL_MODE
    becomes rule `decimal-mode`; `{}` placeholders match anything."""
    from .. import messages

    out = []
    for name, text in vars(messages).items():
        if name.isupper() and isinstance(text, str):
            parts = [re.escape(p) for p in text.split("{}")]
            out.append((name.lower().replace("_", "-"), re.compile("(?s)" + ".+".join(parts)), text))
    return out


def rule_id(e: Entry) -> str:
    """A stable rule id: `unused-key`, the catalogue name of a known message,
    or the severity (`error`, `warning`, `info`) for the rest."""
    from ..suggest import unused_key

    if unused_key(e) is not None:
        return _UNUSED_RULE
    for rid, pattern, _ in _catalogue():
        if pattern.fullmatch(e.message):
            return rid
    return e.kind


def _rule(rid: str, kind: str) -> dict[str, Any]:
    texts = {r: t for r, _, t in _catalogue()}
    text = {
        _UNUSED_RULE: "A key that no field of its mapping takes; it is ignored.",
        _FAILED_RULE: _FAILED_TEXT,
        ERROR: "The config is invalid.",
        WARNING: "The config is valid but probably not what was meant.",
        INFO: "Information about the config.",
    }.get(rid) or texts.get(rid, rid)
    return {
        "id": rid,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": _LEVEL.get(kind, "warning")},
    }


def _uri(filename: str) -> str:
    """A URI reference for the file: relative paths stay relative (with `/`)."""
    from pathlib import PurePath
    from urllib.parse import quote

    p = PurePath(filename)
    if p.is_absolute():
        from pathlib import Path

        return Path(filename).as_uri()
    return quote(p.as_posix())


def _location(uri: str, line: int | None, col: int | None, path: str | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": 0}}
    if line:
        region: dict[str, int] = {"startLine": line}
        if col:
            region["startColumn"] = col
        physical["region"] = region
    loc: dict[str, Any] = {"physicalLocation": physical}
    if path is not None:
        loc["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return loc


def render_sarif(report: Report, filename: str, error: str | None, tool_version: str,
                 root_type: Type | None = None) -> str:
    """The diagnostics as a SARIF 2.1.0 log (with a final newline): one run of
    tool `butane-py`, one result per entry (plus one `translation-failed`
    result when the translation failed with no error entry to show for it,
    located at the line a YAML error names). Columns count Unicode code
    points, as the reference's do."""
    from ..suggest import suggestion_text

    uri = _uri(filename)
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def rule_index(rid: str, kind: str) -> int:
        if rid not in index:
            index[rid] = len(rules)
            rules.append(_rule(rid, kind))
        return index[rid]

    results: list[dict[str, Any]] = []
    for e, s in zip(report, _suggestions(report, root_type), strict=True):
        rid = rule_id(e)
        result: dict[str, Any] = {
            "ruleId": rid,
            "ruleIndex": rule_index(rid, e.kind),
            "level": _LEVEL.get(e.kind, "warning"),
            "message": {"text": e.message if s is None else suggestion_text(e.message, s)},
            "locations": [_location(uri, e.line if e.has_marker else None,
                                    e.col if e.has_marker else None, _path(e))],
        }
        if s is not None:
            result["properties"] = {"suggestion": s}
        results.append(result)
    fatal = _unreported(report, error)
    if fatal is not None:
        results.append({
            "ruleId": _FAILED_RULE,
            "ruleIndex": rule_index(_FAILED_RULE, ERROR),
            "level": "error",
            "message": {"text": fatal},
            "locations": [_location(uri, _error_line(fatal), None, None)],
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": TOOL_NAME, "version": tool_version,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "artifacts": [{"location": {"uri": uri}}],
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": True,
                             **({} if error is None else {"toolExecutionNotifications": [
                                 {"level": "error", "message": {"text": error}}]})}],
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
