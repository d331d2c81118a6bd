"""Hypothesis strategies for Butane documents, and a JSON schema of each Ignition
spec version built from butane_py.schema's type declarations.

`configs()` draws a plausible config (a dict) for any registered variant and
version, shaped by the Butane input types of that version; `documents()` renders
one as YAML bytes (block or flow style); `mutated_documents()` breaks one in the
ways hostile or careless input does; `junk()` is bytes that are barely YAML.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from hypothesis import strategies as st

from butane_py.registry import Spec, all_specs
from butane_py.schema import Type, ignition_config

SPECS: list[Spec] = all_specs()

# names the fuzz files directory holds (see make_files_dir)
LOCAL_NAMES = ["a.txt", "dir", "dir/b.txt", "empty", "missing", "../outside", "/etc/passwd",
               "fifo", "out-link", "dir-link/x", "loop", "sub/../a.txt", ""]

SOURCES = ["data:,hello", "data:;base64,aGVsbG8=", "data:text/plain;charset=utf-8,%E2%9C%93",
           "https://example.com/config.ign", "http://192.0.2.1/x", "s3://bucket/key",
           "tftp://192.0.2.1/file", "gs://bucket/object", "arn:aws:s3:::bucket/key",
           "https://user:pw@example.com:8443/a?b=c#d", "ftp://example.com/x", "not a url",
           "data:", "http://[::1]:80/"]
HASHES = ["sha512-" + "0" * 128, "sha256-" + "a" * 64, "md5-abc", "sha512-zz", ""]
PATHS = ["/etc/a", "/etc/b.conf", "/var/lib/x", "/", "relative", "/etc/../etc/c", "/usr/x",
         "/etc/systemd/system/a.service", "/var/home/core/.ssh/authorized_keys.d/x"]
UNIT_NAMES = ["a.service", "b.mount", "c.timer", "d@.service", "d@x.service", "bad", "x.container",
              "y.volume", "z.pod", "w.network", "v.kube", "u.image", "t.build", "s.artifact"]
URLS = ["http://proxy.example.com:3128", "https://tang.example.com", "http://[::1]", "bogus",
        "https://example.com/a"]


def spec_butane_type(spec: Spec) -> Type:
    from butane_py.variants import layer_for

    return layer_for(spec).butane_type(spec)


def _text(max_size: int = 12) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=max_size),
        st.text(max_size=max_size),  # anything Unicode: controls, NUL, surrogates
    )


_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "path": st.sampled_from(PATHS),
    "source": st.sampled_from(SOURCES),
    "inline": st.one_of(st.sampled_from(["hello\n", "", "a" * 300, "#!/bin/sh\n"]), _text(40)),
    "local": st.sampled_from(LOCAL_NAMES),
    "contents_local": st.sampled_from(LOCAL_NAMES),
    "compression": st.sampled_from(["", "gzip", "bzip2", "xz"]),
    "hash": st.sampled_from(HASHES),
    "mode": st.sampled_from([0o644, 0o755, 0o4755, 420, 644, 0o1777, 0o7777 + 1, -1]),
    "file_mode": st.sampled_from([0o644, 0o600, 644]),
    "dir_mode": st.sampled_from([0o755, 0o700, 755]),
    "device": st.sampled_from(["/dev/sda", "/dev/vdb", "/dev/disk/by-label/x", "/dev/dasda",
                               "sda", "/dev/md/md0"]),
    "format": st.sampled_from(["ext4", "xfs", "swap", "vfat", "btrfs", "none", "bogus"]),
    "layout": st.sampled_from(["x86_64", "aarch64", "ppc64le", "s390x-eckd", "s390x-virt",
                               "s390x-zfcp", "bogus"]),
    "url": st.sampled_from(URLS),
    "http_proxy": st.sampled_from(URLS),
    "https_proxy": st.sampled_from(URLS),
    "target": st.sampled_from(["/etc/a", "relative", "../x", "/var/lib/x"]),
    "label": st.sampled_from(["root", "boot", "data", "x" * 40]),
    "kernel_type": st.sampled_from(["default", "realtime", "rt", "bogus"]),
    "size_mib": st.integers(0, 1 << 20),
    "number": st.integers(0, 200),
    "name": st.one_of(st.sampled_from(UNIT_NAMES), st.sampled_from(["core", "root", "x"]),
                      _text(10)),
    "guid": st.sampled_from(["00000000-0000-0000-0000-000000000000", "bogus"]),
    "type_guid": st.sampled_from(["0FC63DAF-8483-4772-8E79-3D69D8477DE4", "x"]),
    "uuid": st.sampled_from(["6a1d8f7b-3e4c-4f1a-9b2d-7c8e9f0a1b2c", "nope"]),
    "password_hash": st.sampled_from(["$6$x$y", ""]),
}

_INT = st.one_of(st.integers(-3, 70000), st.sampled_from([1 << 63, -(1 << 63) - 1, 10 ** 30]))
_SCALAR: dict[str, st.SearchStrategy[Any]] = {
    "string": _text(), "int": _INT, "bool": st.booleans(),
}


@cache
def type_strategy(t: Type, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of Butane input type `t` (plain data, as YAML would decode)."""
    if t.kind in _SCALAR:
        return _SCALAR[t.kind]
    if t.kind == "map":
        return st.dictionaries(_text(8), _text(8), max_size=3)
    if t.kind == "list":
        assert t.elem is not None
        return st.lists(type_strategy(t.elem, depth + 1), max_size=2 if depth < 3 else 1)
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, f in t.fields.items():
        if name in ("variant", "version"):
            continue
        if depth >= 5 and f.type.kind not in _SCALAR:
            continue
        named = _BY_NAME.get(name)
        if named is not None and f.type.kind == ("int" if name in ("mode", "file_mode",
                                                                     "dir_mode", "size_mib",
                                                                     "number") else "string"):
            optional[name] = named
        else:
            optional[name] = type_strategy(f.type, depth + 1)
    return st.fixed_dictionaries({}, optional=optional)


@st.composite
def configs(draw: st.DrawFn, spec: Spec | None = None) -> tuple[Spec, dict[str, Any]]:
    """A config for a registered spec (drawn when not given)."""
    if spec is None:
        spec = draw(st.sampled_from(SPECS))
    body = draw(type_strategy(spec_butane_type(spec)))
    cfg: dict[str, Any] = {"variant": spec.variant, "version": spec.version}
    if spec.variant == "openshift" and draw(st.booleans()):
        cfg["metadata"] = {"name": "worker-custom", "labels": {
            "machineconfiguration.openshift.io/role": draw(st.sampled_from(["worker", "master"]))}}
    cfg.update(body)
    return spec, cfg


# ---------------------------------------------------------------------------
# YAML rendering

_PLAIN_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-")


def _scalar(v: Any, style: int) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v) if style != 2 or v < 0 else oct(v).replace("0o", "0o")
    s = str(v)
    if style == 1 and s and set(s) <= _PLAIN_SAFE and not s[0].isdigit() and s not in (
            "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"):
        return s
    if style == 2 and "'" not in s and s.isprintable():
        return "'" + s + "'"
    return json.dumps(s, ensure_ascii=False)


def to_yaml(value: Any, styles: list[int], indent: int = 2) -> str:
    """Block-style YAML; `styles` (cycled) picks each scalar's quoting."""
    counter = [0]

    def style() -> int:
        counter[0] += 1
        return styles[counter[0] % len(styles)] if styles else 0

    lines: list[str] = []

    def emit(v: Any, level: int, lead: str) -> None:
        pad = " " * (indent * level)
        if isinstance(v, dict):
            if not v:
                lines.append(lead + "{}" if lead else pad + "{}")
                return
            first = True
            for k, item in v.items():
                key = _scalar(str(k), style())
                prefix = lead if first and lead else pad
                first = False
                if isinstance(item, (dict, list)) and item:
                    lines.append(f"{prefix}{key}:")
                    emit(item, level + 1, "")
                else:
                    lines.append(f"{prefix}{key}: {_inline(item)}")
        elif isinstance(v, list):
            if not v:
                lines.append(lead + "[]" if lead else pad + "[]")
                return
            for item in v:
                if isinstance(item, dict) and item:
                    emit(item, level + 1, pad + "- ")
                elif isinstance(item, list) and item:
                    lines.append(pad + "-")
                    emit(item, level + 1, "")
                else:
                    lines.append(f"{pad}- {_inline(item)}")
        else:
            lines.append(pad + _inline(v))

    def _inline(v: Any) -> str:
        if isinstance(v, (dict, list)):
            return json.dumps(v, ensure_ascii=False)
        return _scalar(v, style())

    emit(value, 0, "")
    return "\n".join(lines) + "\n"


def render(cfg: dict[str, Any], flow: bool, styles: list[int]) -> bytes:
    if flow:
        text = json.dumps(cfg, ensure_ascii=False)
    else:
        text = to_yaml(cfg, styles)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A rendered config (mostly valid YAML; its content may or may not be valid)."""
    _spec, cfg = draw(configs())
    return render(cfg, draw(st.booleans()), draw(st.lists(st.integers(0, 2), max_size=6)))


# ---------------------------------------------------------------------------
# mutations

_ODD = [b"\x00", b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\t", b"\r", b"\x85",
        b"\xef\xbb\xbf", b"\xc2\x80", b"\x1b", b"\x7f", b"\xf4\x90\x80\x80", b"\xef\xbf\xbe"]
_TOKENS = ["{", "}", "[", "]", ":", ": ", "-", "- ", " ", "  ", "\n", "\t", ",", "&a ", "*a",
           "<<: ", "!!str ", "!!int ", "!!binary ", "!!null ", "!custom ", "'", '"', "|", ">",
           "? ", "#", "---\n", "...\n", "%YAML 1.1\n", "variant", "fcos", "openshift", "version",
           "1.6.0", "4.14.0", "storage", "files", "path", "/etc/a", "contents", "inline", "local",
           "source", "mode", "0644", "0o644", "1e999", "99999999999999999999999", "0x", "~",
           "null", "true", "yes", "\\x00", "\\u0000", "\"\\ud800\"", "é", "\u2028", "\ufeff"]


def _wrong(draw: st.DrawFn) -> Any:
    return draw(st.one_of(
        st.none(), st.booleans(), _INT, _text(6), st.just([]), st.just({}),
        st.lists(_text(4), max_size=2), st.dictionaries(_text(4), _text(4), max_size=2),
        st.floats(allow_nan=False, allow_infinity=False))
    )


def _paths(v: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [here]
    if isinstance(v, dict):
        for k, item in v.items():
            out += _paths(item, here + (k,))
    elif isinstance(v, list):
        for i, item in enumerate(v):
            out += _paths(item, here + (i,))
    return out


def _set(v: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(v, dict):
        v = dict(v)
    else:
        v = list(v)
    v[head] = _set(v[head], rest, new)
    return v


def _get(v: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        v = v[p]
    return v


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A config broken structurally (wrong types, unknown keys) and/or textually
    (bad indentation, odd bytes, invalid UTF-8, NUL, huge numbers, token soup)."""
    _spec, cfg = draw(configs())
    tree: Any = cfg
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["type", "key", "drop"]))
        paths = _paths(tree)[1:] or [()]
        p = draw(st.sampled_from(paths))
        if kind == "type":
            tree = _set(tree, p, _wrong(draw))
        elif kind == "key":
            target = _get(tree, p[:-1]) if p else tree
            if isinstance(target, dict):
                tree = _set(tree, p[:-1], {**target, draw(_text(8)): _wrong(draw)})
        elif p and isinstance(_get(tree, p[:-1]), dict):
            parent = dict(_get(tree, p[:-1]))
            parent.pop(p[-1], None)
            tree = _set(tree, p[:-1], parent)
    if not isinstance(tree, dict):
        tree = {"variant": cfg["variant"], "version": cfg["version"], "x": tree}
    data = bytearray(render(tree, draw(st.booleans()), draw(st.lists(st.integers(0, 2),
                                                                     max_size=4))))
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "indent", "number", "token"]))
        pos = draw(st.integers(0, len(data)))
        if op == "insert":
            data[pos:pos] = draw(st.one_of(st.sampled_from(_ODD), st.binary(min_size=1,
                                                                            max_size=4)))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 8))]
        elif op == "replace" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif op == "indent":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from([b" ", b"   ", b"\t", b""])) + lines[i].lstrip(
                b" " if draw(st.booleans()) else b"")
            data = bytearray(b"\n".join(lines))
        elif op == "number":
            data[pos:pos] = draw(st.sampled_from([b"9" * 40, b"-9" * 20, b"1e400", b"0x" + b"f" * 30,
                                                  b"0b" + b"1" * 70, b".inf", b"-.nan"]))
        else:
            data[pos:pos] = draw(st.sampled_from(_TOKENS)).encode("utf-8", "surrogatepass")
    return bytes(data)


@st.composite
def junk(draw: st.DrawFn) -> bytes:
    """Random bytes, or a soup of YAML tokens after a valid header."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=200))
    head = draw(st.sampled_from([b"", b"variant: fcos\nversion: 1.6.0\n",
                                 b"variant: openshift\nversion: 4.14.0\n"]))
    toks = draw(st.lists(st.sampled_from(_TOKENS), max_size=40))
    return head + "".join(toks).encode("utf-8", "surrogatepass")


def any_document() -> st.SearchStrategy[bytes]:
    return st.one_of(documents(), mutated_documents(), junk())


# ---------------------------------------------------------------------------
# the Ignition JSON schema of a spec version


def _type_schema(t: Type) -> dict[str, Any]:
    if t.kind == "string":
        return {"type": "string"}
    if t.kind == "int":
        return {"type": "integer"}
    if t.kind == "bool":
        return {"type": "boolean"}
    if t.kind == "map":
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if t.kind == "list":
        assert t.elem is not None
        return {"type": "array", "items": _type_schema(t.elem)}
    props: dict[str, Any] = {}
    required: list[str] = []
    for name, f in t.fields.items():
        s = _type_schema(f.type)
        nullable = f.ptr or (f.type.kind in ("list", "map") and not f.omitempty)
        props[name] = {"anyOf": [s, {"type": "null"}]} if nullable else s
        if not f.omitempty:
            required.append(name)
    return {"type": "object", "properties": props, "required": required,
            "additionalProperties": False}


@cache
def ignition_schema(minor: int) -> dict[str, Any]:
    """A JSON schema of Ignition spec 3.`minor` (3.7 = 3.7.0-experimental): every
    object closed, required fields as the Go types emit them, pointers nullable."""
    schema = _type_schema(ignition_config(minor))
    version = "3.7.0-experimental" if minor == 7 else f"3.{minor}.0"
    ign = dict(schema["properties"]["ignition"])
    ign["properties"] = {**ign["properties"], "version": {"const": version}}
    ign["required"] = sorted(set(ign["required"]) | {"version"})
    schema["properties"] = {**schema["properties"], "ignition": ign}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def random_butane(rng: Any, t: Type, texts: list[str], ints: list[int], odds: tuple[float, float],
                  depth: int = 0) -> Any:
    """A random value of Butane type `t` from a `random.Random`, for the differential
    tests of the fast paths: strings from `texts`, ints from `ints`, each struct field
    present with probability odds[0] (odds[1] below depth 3)."""
    if t.kind == "string":
        return rng.choice(texts)
    if t.kind == "int":
        return rng.choice(ints)
    if t.kind == "bool":
        return rng.choice([False, True])
    if t.kind == "map":
        return {"k": "v"}
    if t.kind == "list":
        assert t.elem is not None
        return [random_butane(rng, t.elem, texts, ints, odds, depth + 1)
                for _ in range(rng.choice([0, 1, 2]))]
    p = odds[0] if depth < 3 else odds[1]
    return {name: random_butane(rng, f.type, texts, ints, odds, depth + 1)
            for name, f in t.fields.items() if rng.random() < p}
