"""Typed decode of the YAML node tree into plain data, with yaml.v3's rules,
plus the unused-key check over the same tree.

The result is plain dicts keyed by Butane (snake_case) names, lists and
scalars; a field whose YAML value is null is absent, as a nil pointer would be.
"""

from __future__ import annotations

from .report import Entry
from .yaml_scalars import (
    BOOL_TAG,
    INT_TAG,
    NULL_TAG,
    STR_TAG,
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .paths import Path
    from .schema import Type

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


# the text of a scalar resolved as !!int -> its value
_INTS: dict[str, int] = {}

# the texts that resolve as !!bool (any other text tagged !!bool is an error)
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}


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
        """One d.unmarshal call.  The hot loops below do the same inline:
        count, count it as aliased under an alias, check past 100 aliased."""
        self.count += 1
        if self.alias_depth:
            self.alias_count += 1
        if self.alias_count > 100:
            self.check_aliasing()

    def check_aliasing(self) -> None:
        if (self.count > 1000
                and self.alias_count / self.count > _allowed_alias_ratio(self.count)):
            raise YamlError(_EXCESSIVE_ALIASING)

    def terror(self, node: Node, go: str) -> None:
        self.errors.append(f"line {node.line}: {type_error(node, go)}")

    def value(self, node: Node, t: Type) -> Any:
        """Decode `node` into type `t`; None means "leave the field unset"."""
        self.tick()
        nk = node.kind
        kind = t.kind
        if nk == "scalar":
            tag = node.tag
            if tag == STR_TAG:
                if kind == "string":
                    return node.value  # what decode_str gives, without its checks
            elif tag == NULL_TAG:
                check_null(node)
                return None
            elif tag == BOOL_TAG and kind == "bool":
                b = _BOOLS.get(node.value)
                if b is not None:
                    return b  # what decode_bool gives a resolved bool
        elif nk == "alias":
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
        elif nk == "map" and self._duplicates(node):
            return None
        if kind in ("struct", "list", "map") and nk == "scalar":
            # yaml.v3 resolves a scalar before it finds it does not fit: explicit-tag
            # conflicts and bad !!binary are fatal even here
            decode_str(node)
        if kind == "struct":
            if nk != "map":
                self.terror(node, t.go)
                return None
            return self.struct(node, t)
        if kind == "list":
            if nk != "seq":
                self.terror(node, t.go)
                return None
            elem = t.elem
            assert elem is not None
            out = []
            if elem.kind == "string":
                for item in node.items:
                    if item.kind == "scalar" and item.tag == STR_TAG:
                        self.count += 1  # value()'s tick and fast path, inline
                        if self.alias_depth:
                            self.alias_count += 1
                        if self.alias_count > 100:
                            self.check_aliasing()
                        out.append(item.value)
                        continue
                    v = self.value(item, elem)
                    if v is not None:
                        out.append(v)
                return out
            for item in node.items:
                # yaml.v3 drops items it cannot set, null ones included
                v = self.value(item, elem)
                if v is not None:
                    out.append(v)
            return out
        if kind == "map":
            if nk != "map":
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
        if nk != "scalar":
            self.terror(node, t.go)
            return None
        try:
            if kind == "string":
                return decode_str(node)
            if kind == "int":
                if node.tag != INT_TAG:
                    return decode_int(node, t.go)
                # an int's value depends on its text alone; modes repeat
                i = _INTS.get(node.value)
                if i is None:
                    i = decode_int(node, t.go)
                    if len(_INTS) < 4096:
                        _INTS[node.value] = i
                return i
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
        pairs = node.pairs
        n = len(pairs)
        if n < 2 or (pairs[0][0].value != pairs[1][0].value if n == 2
                     else len({k.value for k, _ in pairs}) == n):
            return False  # keys of distinct texts are never duplicates
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
            if k.kind == "scalar" and k.tag == STR_TAG:
                # key()'s tick and result for a string key (never a merge key), inline
                self.count += 1
                if self.alias_depth:
                    self.alias_count += 1
                if self.alias_count > 100:
                    self.check_aliasing()
                name = k.value
            elif is_merge_key(k):
                merge_node = v
                continue
            else:
                label = self.key(k)
                if label is None:
                    continue
                name = label
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
            ft = f.type
            if ft.kind == "string" and v.kind == "scalar" and v.tag == STR_TAG:
                self.count += 1  # value()'s tick and fast path, inline
                if self.alias_depth:
                    self.alias_count += 1
                if self.alias_count > 100:
                    self.check_aliasing()
                out[name] = v.value
                continue
            val = self.value(v, ft)
            if val is not None:
                out[name] = val
            elif f.ptr or ft.kind in ("list", "map"):
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
    if root is not None:
        _walk(t, root, (), False, out)
    return out


# struct type -> its fields the unused-key walk enters (structs, lists of structs)
_NESTED: dict[Type, tuple[tuple[str, Type, bool], ...]] = {}


def _nested(t: Type) -> tuple[tuple[str, Type, bool], ...]:
    table = _NESTED[t] = tuple(
        (name, f.type, f.ptr) for name, f in t.fields.items()
        if f.type.kind == "struct" or (f.type.kind == "list" and f.type.elem is not None
                                       and f.type.elem.kind == "struct"))
    return table


def _walk(t: Type, ctx: Node, path: Path, ptr: bool, out: list[Entry]) -> None:
    if t.kind == "struct":
        if ctx.kind != "map":
            if ptr and ctx.kind == "scalar" and is_null(ctx):
                return
            from .paths import render

            out.append(Entry("warning", _MISMATCH.format(render(path)), path, ctx.line, ctx.col))
            return
        fields = t.fields
        nested = _NESTED.get(t)
        if nested is None:
            nested = _nested(t)
        # the pairs by key, only where some field is walked into
        children = {k.value: v for k, v in ctx.pairs} if nested else None
        if children is None or not children.keys() <= fields.keys():
            for k, _ in ctx.pairs:
                if k.value not in fields:
                    out.append(Entry("warning", f"unused key {k.value}", path + (k.value,),
                                     k.line, k.col))
        if children:
            for name, ft, fptr in nested:
                child = children.get(name)
                if child is not None:
                    _walk(ft, child, path + (name,), fptr, out)
    elif t.kind == "list" and ctx.kind == "seq":
        elem = t.elem
        assert elem is not None
        if elem.kind == "struct":
            # the reference walks the decoded list (null items dropped) but looks
            # its indexes up in the YAML list, so later items shift onto earlier nodes
            items = ctx.items
            decoded = len(items)
            for item in items:
                if item.kind == "scalar" and item.tag == NULL_TAG:
                    decoded -= 1
            for i in range(decoded):
                _walk(elem, items[i], path + (i,), False, out)
