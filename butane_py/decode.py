"""Typed decode of the YAML node tree into plain data, with yaml.v3's rules,
plus the unused-key check over the same tree.

The result is plain dicts keyed by Butane (snake_case) names, lists and
scalars; a field whose YAML value is null is absent, as a nil pointer would be.
"""

from __future__ import annotations

from typing import Any

from .paths import Path
from .report import Entry
from .schema import Type
from .yaml_scalars import (
    NULL_TAG,
    Node,
    TypeMismatch,
    YamlError,
    check_null,
    decode_bool,
    decode_int,
    decode_str,
    duplicate_key_errors,
    is_merge_key,
    is_null,
    merge_key_identity,
    type_error,
)

_MISMATCH = ("context tree does not match content tree at {}. Line and column reporting may be "
             "inconsistent. Unused keys may not be reported")


_EXCESSIVE_ALIASING = "yaml: document contains excessive aliasing"
_RATIO_LOW = 400_000
_RATIO_HIGH = 4_000_000


def _allowed_alias_ratio(count: int) -> float:
    """yaml.v3's allowedAliasRatio: 99% of decodes may come from aliases in a small
    document, scaling down to 10% from 400,000 to 4,000,000 decodes."""
    if count <= _RATIO_LOW:
        return 0.99
    if count >= _RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * ((count - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW))


class _Decoder:
    """One yaml.v3 decoder: ``count`` and ``alias_count`` follow its decodeCount
    and aliasCount (one per d.unmarshal call), so an alias bomb fails with
    yaml.v3's "document contains excessive aliasing" where it would."""

    __slots__ = ("errors", "active_aliases", "count", "alias_count", "alias_depth")

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.active_aliases: set[int] = set()
        self.count = 0
        self.alias_count = 0
        self.alias_depth = 0

    def tick(self) -> None:
        """One d.unmarshal call."""
        self.count += 1
        if self.alias_depth:
            self.alias_count += 1
        if (self.alias_count > 100 and self.count > 1000
                and self.alias_count / self.count > _allowed_alias_ratio(self.count)):
            raise YamlError(_EXCESSIVE_ALIASING)

    def terror(self, node: Node, go: str) -> None:
        self.errors.append(f"line {node.line}: {type_error(node, go)}")

    def value(self, node: Node, t: Type) -> Any:
        """Decode `node` into type `t`; None means "leave the field unset"."""
        self.tick()
        if node.kind == "alias":
            key = id(node)
            if key in self.active_aliases or node.target is None:
                raise YamlError(f"yaml: anchor '{node.value}' value contains itself")
            self.active_aliases.add(key)
            self.alias_depth += 1
            try:
                return self.value(node.target, t)
            finally:
                self.alias_depth -= 1
                self.active_aliases.discard(key)
        if node.kind == "scalar" and node.tag == NULL_TAG:
            check_null(node)
            return None
        if node.kind == "map" and self._duplicates(node):
            return None
        kind = t.kind
        if kind in ("struct", "list", "map") and node.kind == "scalar":
            # yaml.v3 resolves a scalar before it finds it does not fit: explicit-tag
            # conflicts and bad !!binary are fatal even here
            decode_str(node)
        if kind == "struct":
            if node.kind != "map":
                self.terror(node, t.go)
                return None
            return self.struct(node, t)
        if kind == "list":
            if node.kind != "seq":
                self.terror(node, t.go)
                return None
            elem = t.elem
            assert elem is not None
            out = []
            for item in node.items:
                # yaml.v3 drops items it cannot set, null ones included
                v = self.value(item, elem)
                if v is not None:
                    out.append(v)
            return out
        if kind == "map":
            if node.kind != "map":
                self.terror(node, t.go)
                return None
            m: dict[str, str] = {}
            str_t = t.elem
            assert str_t is not None
            for k, v in node.pairs:
                label = self.key(k)
                if label is None:
                    continue
                val = self.value(v, str_t)
                m[label] = "" if val is None else val
            return m
        if node.kind != "scalar":
            self.terror(node, t.go)
            return None
        try:
            if kind == "string":
                return decode_str(node)
            if kind == "int":
                return decode_int(node, t.go)
            return decode_bool(node)
        except TypeMismatch as e:
            self.errors.append(e.entry)
            return None

    def key(self, node: Node) -> str | None:
        self.tick()
        if node.kind == "alias" and node.target is not None:
            self.alias_depth += 1
            try:
                return self.key(node.target)
            finally:
                self.alias_depth -= 1
        if node.kind != "scalar":
            self.terror(node, "string")
            return None
        if is_null(node):
            return None
        return decode_str(node)

    def _duplicates(self, node: Node) -> bool:
        """yaml.v3 rejects a mapping with repeated keys before decoding it."""
        errs = duplicate_key_errors(node)
        self.errors.extend(errs)
        return bool(errs)

    def struct(self, node: Node, t: Type, into: dict[str, Any] | None = None,
               merged: set[object] | None = None) -> dict[str, Any] | None:
        out: dict[str, Any] = {} if into is None else into
        fields = t.fields
        merge_node: Node | None = None
        done: set[str] = set()
        for k, v in node.pairs:
            if is_merge_key(k):
                merge_node = v
                continue
            name = self.key(k)
            if name is None:
                continue
            if merged is not None:
                if name in merged:
                    continue
                merged.add(name)
            f = fields.get(name)
            if f is None:
                continue
            if name in done:
                self.errors.append(f"line {k.line}: field {name} already set in type {t.go}")
                continue
            done.add(name)
            val = self.value(v, f.type)
            if val is not None:
                out[name] = val
            elif f.ptr or f.type.kind in ("list", "map"):
                out.pop(name, None)
        if merge_node is not None:
            self.merge(node, merge_node, t, out, merged)
        return out

    def merge(self, parent: Node, merge: Node, t: Type, out: dict[str, Any],
              merged: set[object] | None) -> None:
        own = merged
        if own is None:
            # yaml.v3 records the mapping's own keys as decoded values, so they win
            own = set()
            for k, _ in parent.pairs:
                self.tick()
                if k.kind == "alias":
                    self.alias_depth += 1
                    self.tick()
                    self.alias_depth -= 1
                own.add(merge_key_identity(k))
        want_map = "yaml: map merge requires map or sequence of maps as the value"
        if merge.kind == "seq":
            sources = merge.items
        elif merge.kind in ("map", "alias"):
            sources = [merge]
        else:
            raise YamlError(want_map)
        for src in sources:
            target = src.target if src.kind == "alias" else src
            if target is None or target.kind != "map":
                raise YamlError(want_map)
            self.tick()
            if src.kind == "alias":
                key = id(src)
                if key in self.active_aliases:
                    raise YamlError(f"yaml: anchor '{src.value}' value contains itself")
                self.active_aliases.add(key)
                self.alias_depth += 1
                self.tick()
            try:
                if self._duplicates(target):
                    continue
                self.struct(target, t, out, own)
            finally:
                if src.kind == "alias":
                    self.alias_depth -= 1
                    self.active_aliases.discard(id(src))


def decode(root: Node, t: Type) -> dict[str, Any]:
    """Decode the document root into struct `t`; raises YamlError with yaml.v3's
    "unmarshal errors" text when any value does not fit its field."""
    d = _Decoder()
    d.tick()  # the document node
    d.tick()  # its root
    if root.kind == "alias" and root.target is not None:
        root = root.target
    out: dict[str, Any] | None = None
    if root.kind == "map":
        out = None if d._duplicates(root) else d.struct(root, t)
    elif root.kind == "scalar" and root.tag == NULL_TAG:
        check_null(root)
    else:
        if root.kind == "scalar":
            decode_str(root)
        d.terror(root, t.go)
    if d.errors:
        raise YamlError("yaml: unmarshal errors:\n  " + "\n  ".join(d.errors))
    return out or {}


# --------------------------------------------------------------------------------------
# unused keys


def unused_keys(root: Node, t: Type) -> list[Entry]:
    """Warnings for YAML keys no field takes, walking the context tree (aliases
    are leaves there) in struct order, as the reference does."""
    out: list[Entry] = []
    _walk(t, root, (), False, out)
    return out


def _walk(t: Type, ctx: Node | None, path: Path, ptr: bool, out: list[Entry]) -> None:
    if ctx is None:
        return
    if t.kind == "struct":
        if ctx.kind != "map":
            if ptr and ctx.kind == "scalar" and is_null(ctx):
                return
            from .paths import render

            out.append(Entry("warning", _MISMATCH.format(render(path)), path, ctx.line, ctx.col))
            return
        children: dict[str, Node] = {}
        for k, v in ctx.pairs:
            children[k.value] = v
            if k.value not in t.fields:
                out.append(Entry("warning", f"unused key {k.value}", path + (k.value,), k.line, k.col))
        for name, f in t.fields.items():
            if f.type.kind in ("struct", "list"):
                _walk(f.type, children.get(name), path + (name,), f.ptr, out)
    elif t.kind == "list" and ctx.kind == "seq":
        elem = t.elem
        assert elem is not None
        if elem.kind == "struct":
            # the reference walks the decoded list (null items dropped) but looks
            # its indexes up in the YAML list, so later items shift onto earlier nodes
            decoded = sum(1 for item in ctx.items if not (item.kind == "scalar" and is_null(item)))
            for i, item in enumerate(ctx.items[:decoded]):
                _walk(elem, item, path + (i,), False, out)
