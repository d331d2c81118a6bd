"""Validation of an inline Ignition config (``ignition.config.merge[].inline`` / ``replace``).

Mirrors Butane's ``ValidateIgnitionConfig``: the text is decoded as JSON into the *target*
spec's types (Go ``encoding/json`` rules: syntax errors, type errors with Go type names,
case-insensitive field names, unknown keys ignored); if its ``ignition.version`` parses but is
not the target version the caller warns and skips; otherwise the child is validated like an
output config (semantic checks, then duplicates, then unused keys), with the child's paths.
"""

from __future__ import annotations

from typing import Any

from .duplicates import duplicates_minor
from .gojson import GoJSONSyntaxError, JNumber, JObject, parse
from .gopath import parse_semver
from .schema import MAX_VERSIONS, Field, flat_fields, spec_minor
from .validate import ChildCheck, Diag, validate_minor

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


class _TypeError(Exception):
    pass


def _go_type_name(typ: str) -> str:
    """Go type name (as ``reflect.Type.String``) of a field type, pointers dereferenced."""
    typ = typ.lstrip("*")
    if typ.startswith("[]"):
        return "[]" + _go_type_name(typ[2:])
    if typ.startswith(("S:", "T:", "L:")):
        return "types." + typ[2:]
    return typ


def _kind_of(node: Any) -> str:
    if isinstance(node, JObject):
        return "object"
    if isinstance(node, list):
        return "array"
    if isinstance(node, str):
        return "string"
    if isinstance(node, bool):
        return "bool"
    return "number"


class _Decoder:
    def __init__(self, minor: int) -> None:
        self.minor = minor
        self.error: str | None = None
        self.struct: str | None = None
        self.stack: list[str] = []

    def save(self, value_desc: str, typ: str) -> None:
        if self.error is not None:
            return
        type_name = _go_type_name(typ)
        if self.struct is not None or self.stack:
            where = f"{self.struct or ''}.{'.'.join(self.stack)}"
            self.error = (
                f"json: cannot unmarshal {value_desc} into Go struct field {where} of type {type_name}"
            )
        else:
            self.error = f"json: cannot unmarshal {value_desc} into Go value of type {type_name}"

    def decode(self, node: Any, typ: str, current: Any) -> tuple[bool, Any]:
        """Decode ``node`` into a field of type ``typ`` holding ``current``.

        Returns (keep, value): keep False means the field is nil/unset afterwards.
        """
        pointer = typ.startswith("*")
        base = typ.lstrip("*")
        if node is None:  # JSON null: only pointers, slices become nil
            if pointer or base.startswith(("[]", "L:")):
                return False, None
            return current is not None, current
        if base.startswith("S:"):
            if not isinstance(node, JObject):
                self.save(_kind_of(node), base)
                return current is not None, current
            target = current if isinstance(current, dict) else {}
            self.decode_struct(node, base[2:], target)
            return True, target
        if base.startswith("[]") or base.startswith("L:"):
            elem = base[2:] if base.startswith("[]") else "S:HTTPHeader"
            if not isinstance(node, list):
                self.save(_kind_of(node), base)
                return current is not None, current
            out = []
            for item in node:
                _, value = self.decode(item, elem, None)
                out.append(value if value is not None else _zero(elem))
            return True, out
        if base in ("string",) or base.startswith("T:"):
            if not isinstance(node, str):
                self.save(_kind_of(node), base)
                return current is not None, current
            return True, node
        if base == "bool":
            if not isinstance(node, bool):
                self.save(_kind_of(node), base)
                return current is not None, current
            return True, node
        # int
        if not isinstance(node, JNumber):
            self.save(_kind_of(node), base)
            return current is not None, current
        value = _go_parse_int(node.text)
        if value is None:
            self.save("number " + node.text, base)
            return current is not None, current
        return True, value

    def decode_struct(self, node: JObject, struct: str, target: dict[str, Any]) -> None:
        fields = flat_fields(self.minor, struct)
        exact = {f.json: (f, chain) for f, chain in fields}
        folded: dict[str, tuple[Field, tuple[str, ...]]] = {}
        for f, chain in fields:
            assert f.json is not None
            folded.setdefault(f.json.lower(), (f, chain))
        for key, value in node:
            hit = exact.get(key) or folded.get(key.lower())
            if hit is None:
                continue
            f, chain = hit
            assert f.json is not None
            saved_struct, saved_len = self.struct, len(self.stack)
            self.stack.extend(chain)
            self.stack.append(f.json)
            self.struct = struct
            keep, decoded = self.decode(value, f.type, target.get(f.json))
            if keep:
                target[f.json] = decoded
            else:
                target.pop(f.json, None)
            self.struct = saved_struct
            del self.stack[saved_len:]


def _zero(typ: str) -> Any:
    base = typ.lstrip("*")
    if base.startswith("S:"):
        return {}
    if base == "string" or base.startswith("T:"):
        return ""
    if base == "bool":
        return False
    if base.startswith(("[]", "L:")):
        return []
    return 0


def _go_parse_int(text: str) -> int | None:
    if not text.lstrip("-").isdigit():
        return None
    value = int(text)
    return value if _INT64_MIN <= value <= _INT64_MAX else None


def _path_string(path: tuple[str | int, ...]) -> str:
    return ".".join(["$", *(str(e) for e in path)])


def _unused_keys(minor: int, typed: dict[str, Any], tree: Any) -> list[Diag]:
    out: list[Diag] = []

    def node_at(path: tuple[str | int, ...]) -> tuple[bool, Any]:
        cur = tree
        for elem in path:
            if isinstance(elem, str):
                if not isinstance(cur, JObject):
                    return False, None
                found = False
                for k, v in cur:
                    if k == elem:
                        cur, found = v, True  # last duplicate wins
                if not found:
                    return False, None
            else:
                if not isinstance(cur, list) or elem >= len(cur):
                    return False, None
                cur = cur[elem]
        return True, cur

    def walk(struct: str, value: dict[str, Any], path: tuple[str | int, ...]) -> None:
        fields = flat_fields(minor, struct)
        exists, node = node_at(path)
        if exists:
            if isinstance(node, JObject):
                names = {f.json for f, _ in fields}
                reported: set[str] = set()
                for key, _ in node:
                    if key not in names and key not in reported:
                        reported.add(key)
                        out.append(("warning", (*path, key), f"unused key {key}"))
            else:
                out.append((
                    "warning",
                    path,
                    f"context tree does not match content tree at {_path_string(path)}. Line and"
                    " column reporting may be inconsistent. Unused keys may not be reported",
                ))
        for f, _ in fields:
            assert f.json is not None
            typ = f.type
            child = value.get(f.json)
            if typ.startswith("S:"):
                walk(typ[2:], child if isinstance(child, dict) else {}, (*path, f.json))
            elif typ.startswith("*S:"):
                if isinstance(child, dict):
                    walk(typ[3:], child, (*path, f.json))
            elif typ.startswith("[]S:") or typ == "L:HTTPHeaders":
                elem = typ[4:] if typ.startswith("[]") else "HTTPHeader"
                for i, item in enumerate(child if isinstance(child, list) else []):
                    walk(elem, item if isinstance(item, dict) else {}, (*path, f.json, i))

    walk("Config", typed, ())
    return out


def check_child_config(text: str, target_version: str) -> ChildCheck:
    """Validate an inline Ignition config against the target spec version (spec 6.4)."""
    minor = spec_minor(target_version)
    data = text.encode("utf-8", "surrogateescape")
    try:
        tree = parse(data)
    except GoJSONSyntaxError as exc:
        return ChildCheck([("error", (), str(exc))], True, False)
    dec = _Decoder(minor)
    typed: dict[str, Any] = {}
    if tree is not None:
        if isinstance(tree, JObject):
            dec.decode_struct(tree, "Config", typed)
        else:
            dec.save(_kind_of(tree), "S:Config")
    if dec.error is not None:
        return ChildCheck([("error", (), dec.error)], True, False)
    ign = typed.get("ignition")
    version = ign.get("version", "") if isinstance(ign, dict) else ""
    parsed = parse_semver(version if isinstance(version, str) else "")
    if parsed is not None and parsed != MAX_VERSIONS[minor]:
        return ChildCheck([], False, True)
    entries = validate_minor(typed, minor, check_version=True)
    entries.extend(duplicates_minor(typed, minor))
    entries.extend(_unused_keys(minor, typed, tree))
    return ChildCheck(entries, False, False)
