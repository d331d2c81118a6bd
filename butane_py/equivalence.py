"""When two translated configs count as the same: the "decoded" comparison that
`upgrade` and `decompile` rely on.

Two outputs are *equivalent* when they are equal after :func:`decoded`, which

* drops `ignition.version` (also inside a MachineConfig's `spec.config`), since
  the target spec version sets it;
* replaces every resource whose `source` is a data URL that decodes by the
  bytes it carries, gunzipped when its `compression` is `gzip`, and drops that
  resource's `compression` (so `inline` text, a percent-escaped URL, a base64 URL
  and a gzip'd base64 URL of the same bytes are all one value);
* drops `compression: ""` anywhere (the same as no compression), and keys whose
  value is null, an empty list or an empty object (Ignition reads all of these as
  "not set").

Nothing else is normalised: list order, every other field and the media type
of a remote source must match exactly.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from typing import Any
from urllib.parse import unquote_to_bytes

from .paths import Path, render


class Decoded(bytes):
    """The bytes a data URL carries (after decompression), as a comparable value."""

    def __repr__(self) -> str:
        return f"Decoded({bytes(self)!r})"


def decode_data_url(url: str) -> bytes | None:
    """The payload of an RFC 2397 `data:` URL, or None when it does not decode
    (the reference's decoder decides what decodes)."""
    from .ignition.dataurl_decode import dataurl_error

    if not url.startswith("data:") or "," not in url or dataurl_error(url) is not None:
        return None
    head, _, body = url[5:].partition(",")
    try:
        if head.endswith(";base64"):
            return base64.b64decode(body.replace("\n", ""), validate=True)
        return unquote_to_bytes(body)
    except ValueError:
        return None


def gunzip(data: bytes) -> bytes | None:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return None


def resource_payload(res: dict[str, Any]) -> bytes | None:
    """The bytes a resource's data URL stands for (inflated when gzip'd), or None."""
    source = res.get("source")
    if not isinstance(source, str):
        return None
    data = decode_data_url(source)
    if data is None:
        return None
    compression = res.get("compression")
    if compression == "gzip":
        return gunzip(data)
    if compression not in (None, ""):
        return None
    return data


def decoded(value: Any, top: bool = True) -> Any:
    """A copy of a translated config with data URLs decoded (see the module docs)."""
    if isinstance(value, list):
        return [decoded(v, False) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    payload = resource_payload(value)
    for k, v in value.items():
        if v is None or (k == "compression" and (v == "" or payload is not None)):
            continue
        if k == "source" and payload is not None:
            out[k] = Decoded(payload)
            continue
        v = decoded(v, False)
        if v == [] or v == {}:
            continue
        out[k] = v
    if top:
        _drop_version(out)
        spec = out.get("spec")
        if isinstance(spec, dict) and isinstance(spec.get("config"), dict):
            _drop_version(spec["config"])
    return out


def _drop_version(cfg: dict[str, Any]) -> None:
    ign = cfg.get("ignition")
    if isinstance(ign, dict):
        ign.pop("version", None)
        if not ign:
            del cfg["ignition"]


def first_difference(a: Any, b: Any, path: Path = ()) -> Path | None:
    """The path of the first place two (decoded) values differ, or None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in [*a, *(k for k in b if k not in a)]:
            if k not in a or k not in b:
                return (*path, k)
            found = first_difference(a[k], b[k], (*path, k))
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, (*path, i))
            if found is not None:
                return found
        return None if len(a) == len(b) else (*path, min(len(a), len(b)))
    if type(a) is not type(b) or a != b:
        return path
    return None


def describe_difference(before: Any, after: Any) -> str | None:
    """None when the two configs are equivalent, else where they first differ."""
    where = first_difference(decoded(before), decoded(after))
    return None if where is None else render(where)
