"""The translation API: Butane text in, Ignition (or a MachineConfig) out, with
a report. Config problems never raise; they come back in the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import messages as msg
from .paths import Path
from .registry import Spec, SpecError, lookup
from .report import ERROR, Entry, Report
from .source import Node, YamlError


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    files_dir: str | None = None
    pretty: bool = False
    raw: bool = False
    auto_compress: bool = True


@dataclass(frozen=True, slots=True)
class Result:
    """`output` is the text the CLI prints (without its final newline), or None
    when translation failed; `error` then says why, as after
    "Error translating config: "."""

    output: str | None
    report: Report
    error: str | None = None
    config: dict[str, Any] | None = None
    spec: Spec | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


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


def translate(data: bytes | str, options: TranslateOptions | None = None) -> Result:
    """Translate Butane text; never raises for a problem in the config."""
    from .source import parse, sniff

    opts = options or TranslateOptions()
    raw = data.encode("utf-8") if isinstance(data, str) else data
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
        return _translate_spec(root, spec, opts, report)
    except YamlError as e:
        return Result(None, report, e.message, spec=spec)
    except _Fatal as e:
        return Result(None, report, str(e), spec=spec)


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
