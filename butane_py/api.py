"""The translation API: Butane text in, Ignition (or a MachineConfig) out, with
a report. Config problems never raise; they come back in the result."""

from __future__ import annotations

import os

from . import messages as msg
from .paths import Path
from .records import NamedTuple
from .registry import Spec, SpecError, lookup
from .report import ERROR, Entry, Report

TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .source import Node


class TranslateOptions(NamedTuple):
    """What the command-line flags set.

    `strict` makes any warning a failure (the result then has no output and
    `error` says so); `auto_compress=False` never gzips contents on its own.
    """

    files_dir: str | None = None
    pretty: bool = False
    raw: bool = False
    strict: bool = False
    auto_compress: bool = True


class TranslationError(Exception):
    """Raised by `Result.raise_for_errors()`; carries the whole report."""

    def __init__(self, result: Result) -> None:
        super().__init__(result.error or "translation failed")
        self.result = result
        self.report = result.report


class Result(NamedTuple):
    """`output` is the text the CLI prints (without its final newline), or None
    when translation failed; `error` then says why, as after
    "Error translating config: "."""

    output: str | None
    report: Report
    error: str | None = None
    config: dict[str, Any] | None = None
    spec: Spec | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def raise_for_errors(self) -> Result:
        """Returns the result unchanged, or raises TranslationError when it failed.

            >>> translate("variant: fcos\\nversion: 1.6.0\\n").raise_for_errors().ok
            True
        """
        if self.error is not None:
            raise TranslationError(self)
        return self


class _Fatal(Exception):
    pass


def locate(root: Node | None, path: Path) -> tuple[int, int]:
    """The position of the deepest node along `path` (the reference's Correlate)."""
    if root is None:
        return 0, 0
    node = root
    for elem in path:
        nxt: Node | None = None
        if node.kind == "map" and isinstance(elem, str):
            for k, v in node.pairs:
                if k.value == elem:
                    nxt = v
        elif node.kind == "seq" and isinstance(elem, int) and 0 <= elem < len(node.items):
            nxt = node.items[elem]
        if nxt is None:
            break
        node = nxt
    return node.line, node.col


def _resolve(entries: list[Entry], ts: Any, root: Node | None) -> list[Entry]:
    """Map JSON paths back to YAML paths, then give every entry its marker."""
    for e in entries:
        if e.tag == "json":
            e.path = ts.resolve(e.path) if ts is not None else e.path
            e.tag = "yaml"
        if not e.has_marker:
            e.line, e.col = locate(root, e.path)
    return entries


def translate(data: bytes | str | Mapping[str, Any], options: TranslateOptions | None = None,
              **kwargs: Any) -> Result:
    """Translate a Butane config; never raises for a problem in the config.

    `data` is Butane text (str or bytes) or an already-built mapping; keyword
    arguments override fields of `options` (`files_dir`, `pretty`, `raw`,
    `strict`, `auto_compress`).

        >>> r = translate({"variant": "fcos", "version": "1.6.0"}, pretty=False)
        >>> r.output, r.config
        ('{"ignition":{"version":"3.5.0"}}', {'ignition': {'version': '3.5.0'}})
    """
    opts = options or TranslateOptions()
    if kwargs:
        opts = opts._replace(**kwargs)
    if not isinstance(data, (str, bytes, bytearray, memoryview)):  # a mapping
        import json

        # JSON is YAML: every string stays a string, numbers and booleans keep their types
        try:
            text = json.dumps(data)
        except (RecursionError, TypeError, ValueError) as exc:
            return Result(None, Report(), f"the config cannot be read as Butane: {exc}")
        result = _translate_bytes(text.encode("utf-8"), opts)
        for e in result.report:
            e.line = e.col = 0
        return result
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return _translate_bytes(raw, opts)


def translate_file(path: str | os.PathLike[str], options: TranslateOptions | None = None,
                   **kwargs: Any) -> Result:
    """Translate a Butane file; raises OSError only when the file cannot be read.

        >>> translate_file("examples/node.bu", files_dir="examples").ok  # doctest: +SKIP
        True
    """
    with open(path, "rb") as f:
        data = f.read()
    return translate(data, options, **kwargs)


def references_configs(config: dict[str, Any] | None) -> bool:
    """Whether a translated config (Ignition, or an OpenShift MachineConfig) has
    `ignition.config.merge` or `replace` entries (None: not known, so yes): only
    then does the command line compose fragments or look at their local files."""
    if config is None:
        return True
    ign = (config.get("spec") or {}).get("config") or {} if "spec" in config else config
    refs = (ign.get("ignition") or {}).get("config") or {}
    return bool(refs.get("merge") or refs.get("replace"))


def _translate_bytes(raw: bytes, opts: TranslateOptions) -> Result:
    from .source import YamlError, parse, sniff

    report = Report()
    try:
        root = parse(raw)
        variant, version = sniff(root)
    except YamlError as e:
        return Result(None, report, msg.UNMARSHAL.format(e.message))
    try:
        spec = lookup(variant, version)
    except SpecError as e:
        return Result(None, report, str(e))
    assert root is not None
    try:
        result = _translate_spec(root, spec, opts, report)
    except YamlError as e:
        return Result(None, report, e.message, spec=spec)
    except _Fatal as e:
        return Result(None, report, str(e), spec=spec)
    if opts.strict and result.report:
        return Result(None, report, msg.STRICT_FAILED, result.config, spec)
    return result


def _translate_spec(root: Node, spec: Spec, opts: TranslateOptions, report: Report) -> Result:
    from . import variants
    from .decode import decode, unused_keys

    layer = variants.layer_for(spec)
    bt = layer.butane_type(spec)
    cfg = decode(root, bt)

    report.extend(unused_keys(root, bt))
    if report.is_fatal():
        raise _Fatal(msg.INVALID_SOURCE)

    report.extend(_resolve(layer.validate(cfg, spec), None, root))
    if report.is_fatal():
        raise _Fatal(msg.INVALID_SOURCE)

    ign, ts, entries = layer.translate(cfg, spec, opts)
    report.extend(_resolve(entries, ts, root))
    if report.is_fatal():
        raise _Fatal(msg.INVALID_SOURCE)

    report.extend(_resolve(layer.filters(ign, cfg, spec, opts), ts, root))
    if report.is_fatal():
        raise _Fatal(msg.INVALID_SOURCE)

    report.extend(_resolve(layer.check_output(ign, cfg, spec, opts), ts, root))
    if any(e.kind == ERROR for e in report):
        raise _Fatal(msg.INVALID_GENERATED)

    output, config = layer.render(ign, cfg, spec, opts)
    return Result(output, report, None, config, spec)
