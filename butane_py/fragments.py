"""Compose one config from Butane fragments (see docs/compose.md, "Fragments").

A fragment is a Butane file under the files directory, named by
`ignition.config.merge: [{local: base.bu}]` (a `local` ending in `.bu`, or
whose contents are a Butane config) or by an explicit include list (the CLI's
`--include`).  Each fragment is translated on its own (its own variant and
version check, its own report) and merged with Ignition's merge rules into
one config.  The order is Ignition's own, so that merging at translate time
gives the machine what merging at boot would:

* `ignition.config.merge` fragments are children of the config naming them:
  the fragment wins, and a later entry wins over an earlier one (Ignition's
  `renderConfig`); the entry is removed from the output;
* includes are parents of the main config: the main config wins, and a later
  include wins over an earlier one.

Diagnostics stay with the file that caused them: a `ComposedResult` has one
`Section` (file name, source text, report) per file, rendered per file.

Outside fragments (the default), `check_merge_locals` warns of a merged or
replacing local config that Ignition cannot parse at boot (a Butane file, or
anything not JSON), which the reference embeds without a word.
"""

from __future__ import annotations

import os

from . import messages as msg
from .records import NamedTuple
from .report import ERROR, WARNING, Entry, Report

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeAlias

    from .api import Result, TranslateOptions
    from .paths import Path
    from .registry import Spec
    from .source import Node

__all__ = ["ComposedResult", "Section", "check_merge_locals", "compose_file",
           "translate_with_fragments"]

# Turns a file's bytes into the Butane text to translate (templates); may
# raise butane_py.template.TemplateError.
Preprocess: TypeAlias = "Callable[[bytes, str], bytes]"


class Section(NamedTuple):
    """One file's part of a composition: its name as shown in diagnostics, the
    text its positions refer to, and its entries."""

    filename: str
    source: bytes
    report: Report


class ComposedResult(NamedTuple):
    """Like `api.Result`, with the diagnostics kept per file (`sections`: the
    main config first, then each fragment in the order it was read)."""

    output: str | None
    error: str | None
    config: dict[str, Any] | None
    spec: Spec | None
    sections: list[Section]

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def report(self) -> Report:
        """Every entry of every file (for `--strict`, counts, ...)."""
        return Report([e for s in self.sections for e in s.report])

    def as_result(self) -> Result:
        """An `api.Result` (flattened report) for code that takes one."""
        from .api import Result

        return Result(self.output, self.report, self.error, self.config, self.spec)

    def render_report(self, raw: bool, colorize: bool = False) -> bytes:
        """The report as the CLI writes it: `--raw-errors` lines (a fragment's
        prefixed with its file name; the main file's exactly as without
        fragments), or the annotated report of each file with its own name."""
        from .render.pretty import render_pretty

        parts: list[bytes] = []
        for i, s in enumerate(self.sections):
            if not s.report:
                continue
            if raw:
                prefix = f"{s.filename}: " if i else ""
                parts.append("".join(prefix + e.raw() + "\n" for e in s.report)
                             .encode("utf-8", "surrogateescape"))
            else:
                parts.append(render_pretty(s.report, s.filename, s.source, colorize))
        return (b"" if raw else b"\n").join(parts)

    def diagnostics(self) -> list[str]:
        """One `file:line:col: kind at $.path: message` line per entry."""
        from .cli.common import diagnostic

        lines = [diagnostic(s.filename, e) for s in self.sections for e in s.report]
        if self.error is not None:
            main = self.sections[0].filename if self.sections else "<stdin>"
            lines.append(f"{main}: error: {msg.TRANSLATE_FAILED.format(self.error)}")
        return lines


class _Failed(Exception):
    """Composition stops; `str(e)` is the error (after "Error translating config: ")."""


def translate_with_fragments(data: bytes | str, filename: str,
                             options: TranslateOptions | None = None,
                             includes: Sequence[str] = (), fragments: bool = True,
                             preprocess: Preprocess | None = None) -> ComposedResult:
    """Translate `data` (the contents of `filename`), merging its fragments.

    `includes` are paths under the files directory (like `local:`), merged
    under the main config in order; they imply `fragments`.  With
    `fragments=False` this is `api.translate` plus `check_merge_locals`.
    `preprocess` (e.g. template rendering) is applied to every file read.
    Never raises for a problem in a config or a fragment."""
    from .api import TranslateOptions

    opts = options or TranslateOptions()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    composer = _Composer(opts, preprocess, fragments or bool(includes))
    try:
        config, spec = composer.compose(filename, raw, _real(filename), None)
        if includes:
            config = composer.under_includes(config, spec, includes)
    except _Failed as e:
        return ComposedResult(None, str(e), None, composer.spec, composer.sections)
    main = composer.main
    assert main is not None
    if composer.merged:
        from .variants import layer_for

        output, config = layer_for(spec).render(config, {}, spec, opts)
    else:
        output = main.output or ""
    if opts.strict and any(s.report for s in composer.sections):
        return ComposedResult(None, msg.STRICT_FAILED, config, spec, composer.sections)
    return ComposedResult(output, None, config, spec, composer.sections)


def compose_file(path: str, options: TranslateOptions | None = None,
                 includes: Sequence[str] = (), fragments: bool = True,
                 preprocess: Preprocess | None = None) -> ComposedResult:
    """`translate_with_fragments` of a file; raises OSError only when `path`
    cannot be read."""
    with open(path, "rb") as f:
        data = f.read()
    return translate_with_fragments(data, path, options, includes, fragments, preprocess)


def check_merge_locals(data: bytes, files_dir: str | None, skip_fragments: bool = False
                       ) -> list[Entry]:
    """Warnings for `ignition.config.merge`/`replace` entries whose `local`
    file Ignition cannot parse at boot: a Butane config, or not JSON at all.
    With `skip_fragments`, merge entries that are fragments are not reported
    (they are composed instead).  Unreadable files are left to the translation."""
    if b"local" not in data:
        return []
    from .desugar.local_files import LocalFileError, read_local
    from .source import YamlError, parse

    try:
        root = parse(data)
    except YamlError:
        return []
    out: list[Entry] = []
    for path, item, local in _config_refs(root):
        if _field(item, "compression") is not None:
            continue  # compressed: the file is not the config text
        try:
            content = read_local(local.value, files_dir)
        except LocalFileError:
            continue
        butane = local.value.endswith(".bu") or _is_butane(content)
        if butane and skip_fragments and path[2] == "merge":
            continue
        if butane:
            text = _butane_local_text(local.value)
        elif not _is_json(content):
            text = (f"local config {local.value} is not JSON: it is embedded as is, and "
                    "Ignition will fail to parse it at boot")
        else:
            continue
        out.append(Entry(WARNING, text, path + ("local",), local.line, local.col))
    return out


def _butane_local_text(name: str) -> str:
    return (f"local config {name} is a Butane config, not Ignition: it is embedded as is, and "
            "Ignition will fail to parse it at boot; translate it to Ignition first, or merge it "
            "at translate time with --fragments")


class _Composer:
    def __init__(self, opts: TranslateOptions, preprocess: Preprocess | None,
                 fragments: bool) -> None:
        self.opts = opts
        self.preprocess = preprocess
        self.fragments = fragments
        self.sections: list[Section] = []
        self.main: Result | None = None
        self.spec: Spec | None = None
        self.merged = False
        self.stack: list[tuple[str, str]] = []  # (real path, name) of the files being composed

    def compose(self, name: str, data: bytes, real: str | None, at: Section | None
                ) -> tuple[dict[str, Any], Spec]:
        """Translate one file and merge its fragments into it."""
        from .api import references_configs, translate

        section = Section(name, data, Report())
        self.sections.append(section)
        if self.preprocess is not None:
            from .template import TemplateError

            try:
                data = self.preprocess(data, name)
            except TemplateError as e:
                section.report.entries.append(Entry(ERROR, e.message, (), e.line, e.col))
                raise _Failed(self._where(at, name, "the template could not be rendered")) from None
            section = section._replace(source=data)
            self.sections[-1] = section
        opts = self.opts._replace(strict=False)
        if at is not None:
            opts = opts._replace(pretty=False)
        result = translate(data, opts)
        section.report.extend(result.report)
        if at is None:
            self.main, self.spec = result, result.spec
        if result.error is not None or result.config is None or result.spec is None:
            raise _Failed(self._where(at, name, result.error or msg.INVALID_SOURCE))
        spec = result.spec
        if not references_configs(result.config):
            return result.config, spec  # nothing to warn of, and no fragment to merge
        if not self.fragments:
            section.report.extend(check_merge_locals(data, self.opts.files_dir))
            return result.config, spec
        # replace entries and non-fragment merges only get the warning
        section.report.extend(check_merge_locals(data, self.opts.files_dir, skip_fragments=True))
        count = len((result.config.get("ignition", {}).get("config") or {}).get("merge") or ())
        refs = self._fragment_refs(data, count)
        if not refs:
            return result.config, spec
        if spec.variant == "openshift":
            self._error(section, refs[0][1], "fragments are not supported for the openshift "
                        "variant; translate them with -r/--raw and merge the Ignition configs")
            raise _Failed(msg.INVALID_SOURCE)
        config = _drop_merges(result.config, {i for i, _, _ in refs})
        self.stack.append((real or name, name))
        try:
            for _, local, path in refs:
                child, child_spec = self._fragment(section, local, path, spec)
                config = self._merge(config, child, spec)
        finally:
            self.stack.pop()
        return config, spec

    def under_includes(self, main: dict[str, Any], spec: Spec, includes: Sequence[str]
                       ) -> dict[str, Any]:
        """The includes merged in order, then the main config over them."""
        base: dict[str, Any] | None = None
        section = self.sections[0]
        self.stack.append((self.stack_root(), section.filename))
        try:
            for name in includes:
                child, _ = self._fragment(section, _Ref(name), (), spec)
                base = child if base is None else self._merge(base, child, spec)
        finally:
            self.stack.pop()
        return main if base is None else self._merge(base, main, spec)

    def stack_root(self) -> str:
        return _real(self.sections[0].filename) or self.sections[0].filename

    def _fragment(self, at: Section, local: Node | _Ref, path: Path, spec: Spec
                  ) -> tuple[dict[str, Any], Spec]:
        """Read, translate and check one fragment named at `local` in `at`."""
        from .desugar.local_files import LocalFileError, local_path, read_file

        what = "fragment" if path else "include"
        try:
            file = local_path(local.value, self.opts.files_dir)
            data = read_file(file)
        except LocalFileError as e:
            self._error(at, local, f"{what} {local.value}: {e}", path)
            raise _Failed(msg.INVALID_SOURCE) from None
        real = os.path.realpath(file)
        chain = [n for r, n in self.stack]
        if any(r == real for r, _ in self.stack):
            self._error(at, local, f"fragment cycle: {' -> '.join(chain + [file])}", path)
            raise _Failed(msg.INVALID_SOURCE)
        config, child = self.compose(file, data, real, at)
        if child.variant != spec.variant:
            self._error(at, local, f"{what} {file} has variant {child.variant}, but "
                        f"{at.filename} has variant {spec.variant}: fragments must share the "
                        "variant of the config that includes them", path)
            raise _Failed(msg.INVALID_SOURCE)
        if child.ign_minor != spec.ign_minor:
            self._error(at, local, f"{what} {file} ({child.variant} {child.version}) translates "
                        f"to Ignition {child.ign_version}, but {at.filename} ({spec.variant} "
                        f"{spec.version}) translates to Ignition {spec.ign_version}: a fragment "
                        "must use a version that translates to the same Ignition version", path)
            raise _Failed(msg.INVALID_SOURCE)
        return config, child

    def _merge(self, parent: dict[str, Any], child: dict[str, Any], spec: Spec
               ) -> dict[str, Any]:
        """Ignition's merge, then Ignition's validation of the result: an error
        there is the merge's (each side was valid on its own)."""
        from .ignition.merge import merge_configs
        from .ignition.validate import validate

        self.merged = True
        merged, _ = merge_configs(parent, child, spec.ign_minor)
        errors = [(path, text) for kind, path, text in validate(merged, spec.ign_version)
                  if kind == ERROR]
        if errors:
            section = self.sections[0]
            for path, text in errors:
                section.report.entries.append(Entry(ERROR, f"after merging fragments: {text}",
                                                    path, tag="json"))
            raise _Failed(msg.INVALID_GENERATED)
        return merged

    def _fragment_refs(self, data: bytes, count: int) -> list[tuple[int, Node, Path]]:
        """The merge entries naming fragments (of `count`): (index, local node, path)."""
        from .desugar.local_files import LocalFileError, read_local
        from .source import parse

        root = parse(data)  # translated already: parses
        out: list[tuple[int, Node, Path]] = []
        for path, _, local in _config_refs(root):
            if path[2] != "merge":
                continue
            index = path[3]
            assert isinstance(index, int)
            is_fragment = local.value.endswith(".bu")
            if not is_fragment:
                try:
                    is_fragment = _is_butane(read_local(local.value, self.opts.files_dir))
                except LocalFileError:
                    continue
            if is_fragment:
                out.append((index, local, path + ("local",)))
        # a fragment after another merge entry is merged before it, not after
        fragments = {i for i, _, _ in out}
        first_plain = min((j for j in range(count) if j not in fragments), default=count)
        section = self.sections[-1]
        for i, local, path in out:
            if i > first_plain:
                section.report.entries.append(Entry(
                    WARNING, f"fragment {local.value} is merged at translate time, so before the "
                    "configs listed ahead of it, which Ignition merges at boot; list fragments "
                    "first to keep Ignition's order", path, local.line, local.col))
        return out

    def _error(self, at: Section, local: Node | _Ref, text: str, path: Path = ()) -> None:
        at.report.entries.append(Entry(ERROR, text, path, local.line, local.col))

    def _where(self, at: Section | None, name: str, error: str) -> str:
        return error if at is None else f"{name}: {error}"


class _Ref:
    """An include named on the command line: no position."""

    line = col = 0

    def __init__(self, value: str) -> None:
        self.value = value


def _real(filename: str) -> str | None:
    return os.path.realpath(filename) if os.path.isfile(filename) else None


def _field(node: Node, key: str) -> Node | None:
    from .source import follow_alias

    found = None
    if node.kind == "map":
        for k, v in node.pairs:
            if k.value == key:
                found = follow_alias(v)
    return found


def _config_refs(root: Node | None) -> list[tuple[Path, Node, Node]]:
    """`ignition.config.merge[i]` and `ignition.config.replace` entries with a
    string `local`: (path of the entry, entry node, local node)."""
    from .source import follow_alias

    if root is None:
        return []
    config = _field(follow_alias(root), "ignition")
    config = _field(config, "config") if config is not None else None
    if config is None:
        return []
    out: list[tuple[Path, Node, Node]] = []
    entries: list[tuple[Path, Node]] = []
    merge = _field(config, "merge")
    if merge is not None and merge.kind == "seq":
        entries += [(("ignition", "config", "merge", i), follow_alias(item))
                    for i, item in enumerate(merge.items)]
    replace = _field(config, "replace")
    if replace is not None:
        entries.append((("ignition", "config", "replace"), replace))
    for path, item in entries:
        local = _field(item, "local")
        if local is not None and local.kind == "scalar" and local.tag == "!!str" and local.value:
            out.append((path, item, local))
    return out


def _drop_merges(config: dict[str, Any], indices: set[int]) -> dict[str, Any]:
    """`config` without the given `ignition.config.merge` entries."""
    ignition = dict(config["ignition"])
    cfg = dict(ignition.get("config") or {})
    kept = [m for i, m in enumerate(cfg.get("merge") or []) if i not in indices]
    cfg["merge"] = kept or None
    ignition["config"] = cfg
    return {**config, "ignition": ignition}


def _is_json(content: bytes) -> bool:
    import json

    try:
        json.loads(content)
    except ValueError:
        return False
    return True


def _is_butane(content: bytes) -> bool:
    """A YAML mapping with a top-level `variant` (Ignition configs have none)."""
    from .source import YamlError, follow_alias, parse

    try:
        root = parse(content)
    except YamlError:
        return False
    return root is not None and _field(follow_alias(root), "variant") is not None
