"""`butane-py upgrade`: move a Butane config to a newer spec version of its variant.

The reference's upgrade notes (docs/upgrading-*.md) say that every newer spec of a
variant is a superset of the older one, so an upgrade is mostly the `version:`
line.  What the notes leave out, and this module handles:

* fcos 1.7.0 (and openshift 4.23.0-experimental, built on it) turns
  "boot_device.layout should be specified when boot_device.mirror is specified"
  into an error; the older specs used x86_64, so `layout: x86_64` is added;
* everything else whose meaning or validity changed is caught by translating
  the config before and after: the upgrade is refused (with the target's
  errors, or the first place the output differs and, where known, why) unless
  the new config translates and gives an equivalent config (see
  `butane_py.equivalence`: equal once data URLs are decoded, compression is
  dropped and `ignition.version` is ignored).  Known causes named in the
  refusal: keys the old spec ignored (unused keys) that the new one reads, e.g.
  a top-level `kernel_arguments` in fcos 1.3.0 or openshift 4.13.0; openshift
  4.20.0 no longer adding the FIPS LUKS cipher; fcos 1.6.0's /etc-/var rule
  for `with_mount_unit`; fcos 1.7.0 rejecting `boot_device.luks.device` without
  an unlock method.

The file is edited as text at the positions the YAML parser reports, so
comments, quoting, indentation and key order stay exactly as they were: only
the version scalar (and an inserted `layout:` line) change.  Downgrades,
moves to another variant and (unless asked for) experimental targets are
refused.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, NamedTuple

from .registry import Spec, SpecError, all_specs, lookup

if TYPE_CHECKING:
    from .api import Result
    from .report import Entry
    from .source import Node


class UpgradeError(Exception):
    """The upgrade is refused; str() says why."""


class Upgraded(NamedTuple):
    text: bytes  # the new config (the input itself when nothing changes)
    source: Spec
    target: Spec
    notes: list[str]  # what was changed beyond the version, and warnings that came or went


def _order(spec: Spec) -> int:
    return [s for s in all_specs() if s.variant == spec.variant].index(spec)


def _child(node: Node | None, key: str) -> Node | None:
    if node is None or node.kind != "map":
        return None
    found = None
    for k, v in node.pairs:
        if k.value == key:
            found = v
    return found


def _offset(text: str, line: int, col: int) -> int:
    lines = text.splitlines(keepends=True)
    return sum(len(x) for x in lines[: line - 1]) + col - 1


_SCALAR = {
    "plain": re.compile(r"[^\s,\]}]+"),
    "single": re.compile(r"'(?:[^']|'')*'"),
    "double": re.compile(r'"(?:[^"\\]|\\.)*"'),
}
_TAG = re.compile(r"![^\s]*[ \t]+")


def _replace_version(text: str, node: Node, new: str) -> str:
    pattern = _SCALAR.get(node.style)
    if pattern is None:
        raise UpgradeError(f"cannot rewrite the {node.style or node.kind} version value at "
                           f"line {node.line}; write it as a plain or quoted scalar")
    start = _offset(text, node.line, node.col)
    tag = _TAG.match(text, start)
    if tag is not None:
        start = tag.end()
    m = pattern.match(text, start)
    if m is None:
        raise UpgradeError(f"cannot find the version value at line {node.line}")
    quote = "" if node.style == "plain" else m.group()[0]
    return text[:start] + quote + new + quote + text[m.end():]


def _insert_key(text: str, mapping: Node, line: str) -> str:
    """Insert `line` (a `key: value` text) as the first entry of a mapping."""
    first = mapping.pairs[0][0]
    at = _offset(text, first.line, first.col)
    before = text[:at].rstrip(" \t")
    if before.endswith(("{", ",")):
        return text[:at] + line + ", " + text[at:]
    return text[:at] + line + "\n" + " " * (first.col - 1) + text[at:]


def _nonempty_seq(node: Node | None) -> bool:
    return node is not None and node.kind == "seq" and bool(node.items)


def _fixups(text: str, root: Node, source: Spec, target: Spec) -> tuple[str, list[str]]:
    notes: list[str] = []
    boot = _child(root, "boot_device")
    if (source.variant in ("fcos", "openshift") and source.fcos_minor < 7 <= target.fcos_minor
            and boot is not None and boot.kind == "map"
            and _nonempty_seq(_child(_child(boot, "mirror"), "devices"))):
        layout = _child(boot, "layout")
        if layout is None:
            text = _insert_key(text, boot, "layout: x86_64")
            notes.append(f"added boot_device.layout: x86_64 (the layout {source.version} used "
                         f"when none was given; {target.version} requires it with a mirror)")
    return text, notes


def _hints(before: Result, source: Spec, target: Spec, text: bytes) -> list[str]:
    from .source import parse
    from .variants import layer_for

    hints: list[str] = []
    bt = layer_for(target).butane_type(target)
    for e in before.report:
        if not e.message.startswith("unused key "):
            continue
        t = bt
        for elem in e.path:
            if isinstance(elem, int):
                t = t.elem if t.elem is not None else t
                continue
            field = t.fields.get(elem) if t.kind == "struct" else None
            if field is None:
                break
            t = field.type
        else:
            from .paths import render

            hints.append(f"{render(e.path)} was ignored by {source.version} (unused key) but "
                         f"{target.version} reads it")
    root = parse(text)
    fips = _child(_child(root, "openshift"), "fips")
    if (source.variant == "openshift" and source.ocp_minor <= 19 < target.ocp_minor
            and fips is not None and fips.value == "true"):
        hints.append("openshift 4.20.0 and later no longer add '--cipher aes-cbc-essiv:sha256' "
                     "to LUKS volumes when openshift.fips is true")
    luks = _child(_child(root, "boot_device"), "luks")
    if target.fcos_minor >= 7 > source.fcos_minor and _child(luks, "device") is not None:
        hints.append(f"{source.version} ignored boot_device.luks.device without tang, tpm2 or "
                     f"cex; {target.version} rejects it: remove it or add an unlock method")
    return hints


def _translate(data: bytes, files_dir: str | None) -> Result:
    from .api import TranslateOptions, translate

    return translate(data, TranslateOptions(files_dir=files_dir))


def _key(e: Entry) -> tuple[str, str, str]:
    from .paths import render

    return e.kind, e.message, render(e.path)


def upgrade(data: bytes, to_version: str, *, variant: str | None = None,
            files_dir: str | None = None, allow_experimental: bool = False) -> Upgraded:
    """Rewrite a Butane config to spec `to_version` of its variant; raises UpgradeError.

        >>> upgrade(b"variant: fcos\\nversion: 1.4.0  # keep me\\n", "1.6.0").text
        b'variant: fcos\\nversion: 1.6.0  # keep me\\n'
    """
    from .registry import normalise_version
    from .source import YamlError, parse, sniff

    try:
        root = parse(data)
        src_variant, src_version = sniff(root)
        source = lookup(src_variant, src_version)
    except (YamlError, SpecError) as e:
        raise UpgradeError(f"cannot read the config's variant and version: {e}") from None
    assert root is not None
    if variant is not None and variant != source.variant:
        raise UpgradeError(f"cannot move a {source.variant} config to {variant}: variants differ "
                           "in their sections and checks; only the version can be upgraded")
    try:
        target = lookup(source.variant, to_version)
    except SpecError as e:
        try:
            normalise_version(to_version)
        except ValueError:
            raise UpgradeError(f"invalid target version {to_version!r}") from None
        raise UpgradeError(str(e)) from None
    if _order(target) < _order(source):
        raise UpgradeError(f"{source.variant} {target.version} is older than the config's "
                           f"{source.version}: downgrades are not supported")
    if target == source:
        return Upgraded(data, source, target, [f"already at {source.variant} {source.version}"])
    if "experimental" in target.version and not allow_experimental:
        raise UpgradeError(f"{source.variant} {target.version} is an experimental spec that may "
                           "change incompatibly; pass --experimental to upgrade to it anyway")

    before = _translate(data, files_dir)
    if before.error is not None:
        errors = "".join(f"\n  {e.raw()}" for e in before.report if e.kind == "error")
        raise UpgradeError(f"the config does not translate at {source.version}: "
                           f"{before.error}{errors}")

    text = data.decode("utf-8", "surrogateescape")
    version_node = _child(root, "version")
    assert version_node is not None
    text, notes = _fixups(text, root, source, target)
    # the fixups only insert whole entries; find the version scalar again
    new_root = parse(text.encode("utf-8", "surrogateescape"))
    version_node = _child(new_root, "version")
    assert version_node is not None
    text = _replace_version(text, version_node, target.version)
    out = text.encode("utf-8", "surrogateescape")
    try:
        check = sniff(parse(out))
    except YamlError as e:
        raise UpgradeError(f"rewriting the version broke the YAML: {e}") from None
    if check != (source.variant, target.version):
        raise UpgradeError(f"could not rewrite the version scalar at line {version_node.line}")

    after = _translate(out, files_dir)
    hints = _hints(before, source, target, out)
    hint_text = "".join(f"\n  hint: {h}" for h in hints)
    if after.error is not None:
        errors = "".join(f"\n  {e.raw()}" for e in after.report if e.kind == "error")
        raise UpgradeError(f"the config does not translate at {target.version}: "
                           f"{after.error}{errors}{hint_text}")
    from .equivalence import describe_difference

    where = describe_difference(before.config, after.config)
    if where is not None:
        raise UpgradeError(f"{target.version} translates the config differently from "
                           f"{source.version} (first difference at {where} of the output)"
                           f"{hint_text}")
    old = {_key(e) for e in before.report}
    new = {_key(e) for e in after.report}
    for entry in before.report:
        if _key(entry) not in new:
            notes.append(f"{target.version} no longer reports: {entry.raw()}")
    for entry in after.report:
        if _key(entry) not in old:
            notes.append(f"{target.version} reports: {entry.raw()}")
    return Upgraded(out, source, target, notes)


_USAGE_EPILOG = """exit status: 0 upgraded (or already at that version), 1 refused or
unreadable (the file is left unchanged), 2 usage error"""


def main_upgrade(argv: list[str], stdout: IO[bytes], stderr: IO[bytes]) -> int:
    """`butane-py upgrade FILE --to VERSION [-o OUT | --in-place]`; returns the exit status."""
    from .cli.subparser import SubParser, say

    p = SubParser(stdout, stderr, prog="butane-py upgrade",
                  description="Rewrite a Butane config to a newer spec version of its variant, "
                              "keeping comments and formatting.", epilog=_USAGE_EPILOG)
    p.add_argument("file", help="the Butane config to upgrade")
    p.add_argument("--to", required=True, metavar="VERSION", help="the target spec version")
    p.add_argument("--variant", help="the config's variant (refused if it differs)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT", help="write the result to OUT")
    where.add_argument("--in-place", action="store_true", help="rewrite FILE itself")
    p.add_argument("-d", "--files-dir", metavar="DIR",
                   help="files directory for local: references (needed to check the result)")
    p.add_argument("--experimental", action="store_true",
                   help="allow an experimental target version")
    parsed = p.parse_and_read(argv)
    if isinstance(parsed, int):
        return parsed
    args, data = parsed
    try:
        result = upgrade(data, args.to, variant=args.variant, files_dir=args.files_dir,
                         allow_experimental=args.experimental)
    except UpgradeError as e:
        say(stderr, f"Error upgrading config: {e}")
        return 1
    for note in result.notes:
        say(stderr, f"note: {note}")
    target = args.file if args.in_place else args.output
    if target:
        if args.in_place and result.text == data:
            return 0
        from .cli.output import write_atomic

        try:
            write_atomic(target, result.text)
        except OSError as e:
            say(stderr, f"failed to write {target}: {e.strerror or e}")
            return 1
    else:
        stdout.write(result.text)
    return 0
