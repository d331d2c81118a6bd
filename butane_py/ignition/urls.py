"""URL checks of Ignition's config validation.

:func:`go_url_parse` is the subset of Go's ``net/url.Parse`` that validation needs: whether
the URL parses, and its (lower-cased) scheme, opaque part and raw query.  The scheme rules
(:func:`url_error`) follow each Ignition spec version.
"""

from __future__ import annotations

ERR_INVALID_URL = "unable to parse url"
ERR_INVALID_SCHEME = "invalid url scheme"
ERR_S3_VERSION_ID = "invalid S3 object VersionId"
ERR_S3_ARN = "invalid S3 ARN format"

HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_HOST_OK = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!$&'()*+,;=:[]<>\""
)
_USERINFO_OK = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:~!$&'()*+,;=%@"
)


class URLParseError(ValueError):
    pass


class ParsedURL:
    __slots__ = ("scheme", "opaque", "raw_query")

    def __init__(self, scheme: str, opaque: str, raw_query: str) -> None:
        self.scheme = scheme
        self.opaque = opaque
        self.raw_query = raw_query


def _check_escapes(s: str, host: bool = False, zone: bool = False) -> None:
    """Go ``unescape`` validity for the path/fragment/userinfo, host and zone modes."""
    if "%" not in s and not zone and (not host or (s.isascii() and _HOST_OK.issuperset(s))):
        return  # without escapes only a host's characters can be wrong
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "%":
            if i + 2 >= n or s[i + 1] not in HEX_DIGITS or s[i + 2] not in HEX_DIGITS:
                raise URLParseError("invalid URL escape")
            if host and int(s[i + 1], 16) < 8 and s[i : i + 3] != "%25":
                raise URLParseError("invalid URL escape")
            if zone:
                v = int(s[i + 1 : i + 3], 16)
                if s[i : i + 3] != "%25" and v != 0x20 and chr(v) not in _HOST_OK:
                    raise URLParseError("invalid URL escape")
            i += 3
            continue
        if (host or zone) and ord(c) < 0x80 and c not in _HOST_OK:
            raise URLParseError("invalid character in host name")
        i += 1


def _valid_port(colon_port: str) -> bool:
    if colon_port == "":
        return True
    return colon_port[0] == ":" and all("0" <= ch <= "9" for ch in colon_port[1:])


def _parse_host(host: str) -> None:
    open_idx = host.rfind("[")
    if open_idx > 0:
        raise URLParseError("invalid IP-literal")
    if open_idx == 0:
        close = host.rfind("]")
        if close < 0:
            raise URLParseError("missing ']' in host")
        colon_port = host[close + 1 :]
        if not _valid_port(colon_port):
            raise URLParseError("invalid port")
        _check_escapes(colon_port, host=True)
        hostname = host[1:close]
        zone_at = hostname.find("%25")
        addr = hostname
        if zone_at >= 0:
            addr = hostname[:zone_at]
            if hostname[zone_at:] == "%25":
                raise URLParseError("zone must be a non-empty string")
            _check_escapes(hostname[zone_at:], zone=True)
        _check_escapes(addr, host=True)
        _check_ipv6_literal(_percent_decode(addr))
        return
    colon = host.rfind(":")
    if colon >= 0 and not _valid_port(host[colon:]):
        raise URLParseError("invalid port")
    _check_escapes(host, host=True)


def _percent_decode(s: str) -> str:
    out = []
    i = 0
    while i < len(s):
        if s[i] == "%" and i + 2 < len(s):
            out.append(chr(int(s[i + 1 : i + 3], 16)))
            i += 3
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def _check_ipv6_literal(addr: str) -> None:
    """The bracketed host must be an IPv6 address (Go's ``netip.ParseAddr``)."""
    if ":" not in addr or "%" in addr:
        raise URLParseError("invalid IP-literal")
    try:
        import ipaddress  # only IPv6 literals need it

        ipaddress.IPv6Address(addr)
    except ValueError:
        raise URLParseError("invalid host") from None


def _parse_authority(authority: str) -> None:
    at = authority.rfind("@")
    _parse_host(authority[at + 1 :] if at >= 0 else authority)
    if at < 0:
        return
    userinfo = authority[:at]
    if any(ch not in _USERINFO_OK for ch in userinfo):
        raise URLParseError("net/url: invalid userinfo")
    for part in userinfo.split(":", 1):
        _check_escapes(part)


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, c in enumerate(raw):
        if ("a" <= c <= "z") or ("A" <= c <= "Z"):
            continue
        if ("0" <= c <= "9") or c in "+-.":
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise URLParseError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return "", raw
    return "", raw


def go_url_parse(raw: str) -> ParsedURL:
    """Go ``url.Parse``: raises :class:`URLParseError` when Go would fail."""
    main, _, frag = raw.partition("#")
    result = _parse_main(main)
    if frag:
        _check_escapes(frag)
    return result


# patterns compiled on first use (re's cache), not at start-up
_CONTROL = "[\x00-\x1f\x7f]"


def _has_control(text: str) -> bool:
    # printable ASCII has none (the usual URL): no scan by a regular expression
    if text.isascii() and text.isprintable():
        return False
    import re

    return re.search(_CONTROL, text) is not None


def _parse_main(main: str) -> ParsedURL:
    if _has_control(main):
        raise URLParseError("net/url: invalid control character in URL")
    if main == "*":
        return ParsedURL("", "", "")
    scheme, rest = _get_scheme(main)
    scheme = scheme.lower()
    query = ""
    if rest.endswith("?") and rest.count("?") == 1:
        rest = rest[:-1]
    else:
        rest, _, query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:
            return ParsedURL(scheme, rest, query)
        if ":" in rest.split("/", 1)[0]:
            raise URLParseError("first path segment in URL cannot contain colon")
    if (scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority = rest[2:]
        slash = authority.find("/")
        if slash >= 0:
            authority, rest = authority[:slash], authority[slash:]
        else:
            rest = ""
        _parse_authority(authority)
    _check_escapes(rest)
    return ParsedURL(scheme, "", query)


def _query_unescape_ok(s: str) -> bool:
    try:
        _check_escapes(s)
    except URLParseError:
        return False
    return True


def query_values(raw_query: str, key: str) -> list[str] | None:
    """``url.Values`` entry for ``key`` from ``ParseQuery`` (errors ignored), None if absent."""
    found: list[str] | None = None
    for part in raw_query.split("&"):
        if ";" in part or part == "":
            continue
        k, _, v = part.partition("=")
        if not _query_unescape_ok(k) or not _query_unescape_ok(v):
            continue
        if _query_unescape(k) != key:
            continue
        if found is None:
            found = []
        found.append(_query_unescape(v))
    return found


def _query_unescape(s: str) -> str:
    return _percent_decode(s.replace("+", " "))


def _version_id_error(parsed: ParsedURL) -> str | None:
    values = query_values(parsed.raw_query, "versionId")
    if values is not None and (not values or values[0] == ""):
        return ERR_S3_VERSION_ID
    return None


def _arn_error(parsed: ParsedURL) -> str | None:
    full = "arn:" + parsed.opaque
    if full.count(":") < 5:
        return ERR_S3_ARN
    sections = full.split(":", 5)
    service, resource = sections[2], sections[5]
    if service != "s3":
        return ERR_S3_ARN
    slash_parts = full.count("/") + 1
    if resource.startswith("accesspoint/"):
        if slash_parts < 3:
            return ERR_S3_ARN
    elif slash_parts < 2:
        return ERR_S3_ARN
    return _version_id_error(parsed)


_DATA_PLAIN_OK = (b"!$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
                  b"abcdefghijklmnopqrstuvwxyz~%")
_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BAD_PERCENT = "%(?![0-9A-Fa-f]{2})"


def _escapes_ok(text: str) -> bool:
    """Every '%' is followed by two hex digits. A few escapes are checked in a loop
    (re is not loaded for a small config); many, by one search."""
    count = text.count("%")
    if not count:
        return True
    if count > 256:
        import re

        return re.search(_BAD_PERCENT, text) is None
    pieces = text.split("%")
    return all(len(p) >= 2 and p[0] in HEX_DIGITS and p[1] in HEX_DIGITS for p in pieces[1:])


def simple_data_url_ok(text: str) -> bool:
    """True for the two data URL shapes Butane writes (``data:,`` with URL-safe text and
    ``data:;base64,`` with padded base64) when they decode; False means "not known",
    and the full check decides.  Byte-level C scans, as a URL can be megabytes."""
    if text.startswith("data:,"):
        if not text.isascii() or text.encode("ascii")[6:].translate(None, _DATA_PLAIN_OK):
            return False
        return _escapes_ok(text)
    if text.startswith("data:;base64,"):
        if (len(text) - 13) % 4 or not text.isascii():
            return False
        body = text.encode("ascii")[13:]
        data = body.rstrip(b"=")
        return len(body) - len(data) <= 2 and not data.translate(None, _BASE64_ALPHABET)
    return False


def url_error(source: str, minor: int) -> str | None:
    """Ignition ``validateURL`` for spec 3.<minor>: the error message or None."""
    if simple_data_url_ok(source):
        return None  # Go's url.Parse accepts these too: no '#', no control characters
    try:
        parsed = go_url_parse(source)
    except URLParseError:
        return ERR_INVALID_URL
    scheme = parsed.scheme
    if scheme in ("http", "https", "tftp"):
        return None
    if scheme == "gs" and minor >= 2:
        return None
    if scheme == "s3":
        return _version_id_error(parsed)
    if scheme == "arn" and minor >= 4:
        return _arn_error(parsed)
    if scheme == "data":
        from .dataurl_decode import dataurl_error

        return dataurl_error(source)
    return ERR_INVALID_SCHEME


def scheme_of(source: str) -> str | None:
    """Lower-cased scheme, or None when Go's url.Parse fails."""
    try:
        return go_url_parse(source).scheme
    except URLParseError:
        return None
