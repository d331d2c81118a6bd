"""Go ``path`` package functions (slash paths), and go-semver version parsing."""

from __future__ import annotations


def clean(p: str) -> str:
    """Go ``path.Clean``."""
    # an absolute path that is already clean (the common case) comes back as it is
    if (p[:1] == "/" and "//" not in p and "/./" not in p and "/../" not in p
            and (p[-1] != "/" or p == "/") and not p.endswith(("/.", "/.."))):
        return p
    if p == "":
        return "."
    rooted = p.startswith("/")
    out: list[str] = []
    for part in p.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    joined = "/".join(out)
    if rooted:
        return "/" + joined
    return joined or "."


def is_abs(p: str) -> bool:
    return p.startswith("/")


def join(*elems: str) -> str:
    """Go ``path.Join``."""
    nonempty = [e for e in elems if e != ""]
    if not nonempty:
        return ""
    return clean("/".join(nonempty))


def ext(p: str) -> str:
    """Go ``path.Ext``: from the last "." of the last element."""
    i = p.rfind(".")
    if i < 0 or p.find("/", i) >= 0:
        return ""
    return p[i:]


# (re is not loaded for this: it costs milliseconds of a start)
_IDENT_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")


def is_semver_ident(text: str) -> bool:
    """Dot-separated non-empty runs of [0-9A-Za-z-] (prerelease and build metadata)."""
    return all(part and _IDENT_CHARS.issuperset(part) for part in text.split("."))

_INT64_MAX = (1 << 63) - 1


def _go_parse_int(s: str) -> int | None:
    """``strconv.ParseInt(s, 10, 64)`` (sign allowed, no underscores), None on error."""
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body or not all("0" <= ch <= "9" for ch in body):
        return None
    value = int(body)
    if s.startswith("-"):
        value = -value
    if value > _INT64_MAX or value < -_INT64_MAX - 1:
        return None
    return value


def parse_semver(version: str) -> tuple[int, int, int, str, str] | None:
    """go-semver ``NewVersion``: (major, minor, patch, prerelease, metadata) or None."""
    rest, plus, metadata = version.partition("+")
    if not plus:
        metadata = ""
    rest, dash, pre = rest.partition("-")
    if not dash:
        pre = ""
    parts = rest.split(".", 2)
    if len(parts) != 3:
        return None
    for ident in (pre, metadata):
        if ident and not is_semver_ident(ident):
            return None
    nums = [_go_parse_int(part) for part in parts]
    if nums[0] is None or nums[1] is None or nums[2] is None:
        return None
    return nums[0], nums[1], nums[2], pre, metadata
