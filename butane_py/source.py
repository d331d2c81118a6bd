"""YAML loading with Go gopkg.in/yaml.v3 (v3.0.1) semantics.

``parse`` turns Butane source bytes into a :class:`Node` tree (first document
only) and raises :class:`YamlError` with the text yaml.v3 would produce for
syntax errors.  An input in the plain subset people write (almost all) is
read by ``fastyaml``; any other by libyaml's C parser through ruamel.yaml's C
extension, which gives the same tree and yaml.v3's errors.
``sniff`` is Butane's first step: ``yaml.Unmarshal`` into
``config.commonFields{Version, Variant string}``.

libyaml (as bundled with ruamel) and yaml.v3's Go port differ in a few
places; this module papers over the ones that matter:

* a ``:`` inside a plain scalar in a flow collection (``[http://x]``) is an
  error in the bundled libyaml but plain text for yaml.v3;
* yaml.v3's scanner keeps two tokens of lookahead, so a scanner error shortly
  after a parser error (or after the first document) is reported instead;
* yaml.v3 decodes its input in 512-byte chunks, so whether a bad byte or a
  control character is reported depends on how far the scanner got;
* yaml.v3 reports ``line N`` from the context mark (0-based for parser
  errors, 1-based for scanner errors), see ``_format_error``.
"""

from __future__ import annotations

import gc

from .yaml_scalars import (
    MAP_TAG,
    MERGE_TAG,
    SEQ_TAG,
    STR_TAG,
    LinkNode,
    MapNode,
    Node,
    SeqNode,
    TypeMismatch,
    YamlError,
    decode_bool,
    decode_int,
    decode_str,
    duplicate_key_errors,
    follow_alias,
    go_quote,
    indicated_string,
    is_merge_key,
    is_null,
    resolve_plain_tag,
    short_tag,
    type_error,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Any

__all__ = [
    "Node",
    "TypeMismatch",
    "YamlError",
    "decode_bool",
    "decode_int",
    "decode_str",
    "duplicate_key_errors",
    "follow_alias",
    "go_quote",
    "indicated_string",
    "is_merge_key",
    "is_null",
    "parse",
    "short_tag",
    "sniff",
    "type_error",
]

# ---------------------------------------------------------------------------
# Reader: encoding, invalid UTF-8 and control characters (yaml.v3 readerc.go)

_BAD_CHAR: list[re.Pattern[str]] = []


def _bad_char() -> re.Pattern[str]:
    """Characters yaml.v3's reader refuses (compiled on first need: its wide ranges
    cost a few milliseconds to compile, and clean input never needs it)."""
    if not _BAD_CHAR:
        import re

        _BAD_CHAR.append(
            re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"))
    return _BAD_CHAR[0]
_RAW_CHUNK = 512  # yaml.v3 input_raw_buffer_size


class _ReaderProblem:
    __slots__ = ("message", "chunk_start")

    def __init__(self, message: str, chunk_start: int) -> None:
        self.message = message
        self.chunk_start = chunk_start  # char index from which yaml.v3 sees the error


def _utf8_problem(data: bytes, p: int) -> str:
    b = data[p]
    if b & 0xE0 == 0xC0:
        w, v = 2, b & 0x1F
    elif b & 0xF0 == 0xE0:
        w, v = 3, b & 0x0F
    elif b & 0xF8 == 0xF0:
        w, v = 4, b & 0x07
    else:
        return "invalid leading UTF-8 octet"
    if p + w > len(data):
        return "incomplete UTF-8 octet sequence"
    for k in range(1, w):
        o = data[p + k]
        if o & 0xC0 != 0x80:
            return "invalid trailing UTF-8 octet"
        v = (v << 6) + (o & 0x3F)
    if (w == 2 and v < 0x80) or (w == 3 and v < 0x800) or (w == 4 and v < 0x10000):
        return "invalid length of a UTF-8 sequence"
    return "invalid Unicode character"


_ALLOWED_BYTES = bytes([9, 10, 13, *range(0x20, 0x7F), *range(0x80, 0x100)])


def _maybe_bad(data: bytes) -> bool:
    """Fast pre-check for characters yaml.v3 rejects (in valid UTF-8 input)."""
    if data.translate(None, _ALLOWED_BYTES):
        return True  # an ASCII control character (or DEL)
    # C1 controls other than NEL (U+0080-U+009F) and U+FFFE/U+FFFF
    return b"\xc2" in data or b"\xef\xbf" in data


# the UTF-8 forms of what yaml.v3's reader refuses besides ASCII control characters:
# C1 controls but NEL, and U+FFFE/U+FFFF (by their first byte, then the rest)
_C1 = (b"\xc2", bytes(range(0x80, 0x85)) + bytes(range(0x86, 0xA0)))
_NONCHAR = (b"\xef\xbf", b"\xbe\xbf")
_VALIDATE_CHUNK = 1 << 16  # small chunks decode faster than one large string


def _reader_clean(data: bytes) -> bool:
    """True when yaml.v3's reader accepts all of ``data`` as UTF-8: valid, and
    no character it refuses.  The input is decoded only to validate it, in
    chunks: nothing as large as the input is made."""
    if data.translate(None, _ALLOWED_BYTES):
        return False  # an ASCII control character (or DEL)
    if data.isascii():
        return True
    from .fastyaml import occurs

    for prefix, last in (_C1, _NONCHAR):
        if occurs(data, prefix, last):
            return False
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False  # UTF-16 (not valid UTF-8 anyway)
    from codecs import utf_8_decode

    view = memoryview(data)
    i = 0
    try:
        while True:
            final = i + _VALIDATE_CHUNK >= len(data)
            i += utf_8_decode(view[i : i + _VALIDATE_CHUNK], "strict", final)[1]
            if final:
                return True
    except UnicodeDecodeError:
        return False


def _chunk_start_byte(data: bytes, start: int, bad: int) -> int:
    """Byte offset where the yaml.v3 raw chunk holding byte ``bad`` starts."""
    b = 0
    while True:
        end = b + _RAW_CHUNK
        if bad < end:
            return b
        # chunk ends at the last complete character boundary <= end
        e = end
        while e > b and e < len(data) and data[e] & 0xC0 == 0x80:
            e -= 1
        b = max(e, start)


def _decode_input(data: bytes) -> tuple[str, _ReaderProblem | None]:
    """Decode like yaml.v3's reader; bad characters are replaced, not fatal yet."""
    if not data:
        data = b"\n"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        enc = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"
        try:
            text = data[2:].decode(enc)
        except UnicodeDecodeError:
            return data[2:].decode(enc, "replace"), _ReaderProblem("incomplete UTF-16 character", 0)
        m = _bad_char().search(text)
        if m:
            return text, _ReaderProblem("control characters are not allowed", 0)
        return text, None
    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    try:
        text = data[start:].decode("utf-8")
        bad_byte = -1
        message = ""
    except UnicodeDecodeError as ex:
        bad_byte = start + ex.start
        message = _utf8_problem(data, bad_byte)
        text = data[start:].decode("utf-8", "replace")
    m = _bad_char().search(text) if bad_byte >= 0 or _maybe_bad(data) else None
    if m is not None:
        prefix_bytes = len(text[: m.start()].encode("utf-8"))
        if bad_byte < 0 or start + prefix_bytes < bad_byte:
            bad_byte = start + prefix_bytes
            message = "control characters are not allowed"
    if bad_byte < 0:
        return text, None
    chunk = _chunk_start_byte(data, start, bad_byte)
    chunk_char = len(data[start:chunk].decode("utf-8")) if chunk > start else 0
    clean = _bad_char().sub(" ", text)
    return clean, _ReaderProblem(message, chunk_char)


# ---------------------------------------------------------------------------
# libyaml C parser -> Node tree


class _CError(Exception):
    """A libyaml error, with what yaml.v3's p.fail() needs."""

    def __init__(
        self,
        scanner: bool,
        problem: str,
        context: str | None,
        context_line: int,
        problem_line: int,
        problem_index: int,
    ) -> None:
        super().__init__(problem)
        self.scanner = scanner
        self.problem = problem
        self.context = context
        self.context_line = context_line
        self.problem_line = problem_line
        self.problem_index = problem_index

    def yaml_error(self, line_offset: int = 0) -> YamlError:
        # yaml.v3 p.fail(): context mark if its (0-based) line != 0, else the
        # problem mark; +1 only for scanner errors.  A line 0 is left out.
        line = 0
        if self.context_line + line_offset != 0:
            line = self.context_line + line_offset
        elif self.problem_line + line_offset != 0:
            line = self.problem_line + line_offset
        if line != 0 and self.scanner:
            line += 1
        where = f"line {line}: " if line else ""
        return YamlError(f"yaml: {where}{self.problem or 'unknown problem parsing YAML content'}")


def _c_error(ex: BaseException) -> _CError:
    name = type(ex).__name__
    cm = getattr(ex, "context_mark", None)
    pm = getattr(ex, "problem_mark", None)
    return _CError(
        scanner=name == "ScannerError",
        problem=str(getattr(ex, "problem", "") or ""),
        context=getattr(ex, "context", None),
        context_line=cm.line if cm is not None else 0,
        problem_line=pm.line if pm is not None else 0,
        problem_index=pm.index if pm is not None else 0,
    )


_STYLES = {"": "plain", None: "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}


def _c_parser_class() -> Any:
    from .libyaml import parser_class

    return parser_class()


def _build(text: str, placeholder: str | None, raw: bytes | None = None
           ) -> tuple[Node | None, int, bool]:
    """Parse the first document; returns (root, stop index, ended at end of input).

    ``raw``, when given, is ``text`` as UTF-8: libyaml reads it as is (``text``
    it would encode into a copy first); its marks count characters either way.
    """
    from .libyaml import events

    ev_mod = events()
    AliasEvent = ev_mod.AliasEvent  # noqa: N806 - the classes the C parser instantiates
    DocumentStartEvent = ev_mod.DocumentStartEvent  # noqa: N806
    MappingStartEvent = ev_mod.MappingStartEvent  # noqa: N806
    ScalarEvent = ev_mod.ScalarEvent  # noqa: N806
    SequenceStartEvent = ev_mod.SequenceStartEvent  # noqa: N806
    StreamEndEvent = ev_mod.StreamEndEvent  # noqa: N806

    parser = _c_parser_class()(text if raw is None else raw)
    get = parser.get_event
    styles = _STYLES
    cache = _TAG_CACHE
    try:
        get()  # StreamStart
        ev = get()
        if type(ev) is StreamEndEvent:
            return None, ev.start_mark.index, True
        assert type(ev) is DocumentStartEvent
        anchors: dict[str, Node] = {}
        root: Node | None = None
        # yaml.v3's scanner depth limits: open flow collections (flow_level) and
        # pushed block indentation levels (an indentless sequence pushes none)
        max_depth = _max_depth()
        flow_level = 0
        indents = 0
        pushed = 0  # for the innermost open collection: 0 none, 1 flow, 2 indent
        last_line = 0  # 0-based line of the latest possible simple key
        # the innermost open collection: the node, its children's list, whether it
        # is a mapping and its pending key; the outer ones are saved on `stack`
        parent: Node | None = None
        sink: list[Any] = []
        in_map = False
        key: Node | None = None
        stack: list[tuple[Node | None, list[Any], bool, Node | None, int]] = []
        node: Node
        while True:
            ev = get()
            t = type(ev)
            if t is ScalarEvent:
                value = ev.value
                style = styles[ev.style]
                tag = ev.ctag  # (ev.tag is a property: a call per event)
                if placeholder is not None and placeholder in value:
                    value = value.replace(placeholder, ":")
                if tag and tag != "!":
                    tag = short_tag(str(tag))
                elif style != "plain":
                    tag = STR_TAG
                else:
                    tag = cache.get(value)
                    if tag is None:
                        tag = MERGE_TAG if value == "<<" else resolve_plain_tag(value)
                        if len(value) < 40 and len(cache) < 4096:
                            cache[value] = tag
                m = ev.start_mark
                last_line = m.line
                anchor = ev.anchor
                if anchor is None:
                    node = Node("scalar", tag, value, style, m.line + 1, m.column + 1)
                else:
                    node = anchors[anchor] = LinkNode("scalar", tag, value, style, m.line + 1,
                                                      m.column + 1, anchor)
            elif t is MappingStartEvent or t is SequenceStartEvent:
                is_map = t is MappingStartEvent
                tag = ev.ctag
                if tag and tag != "!":
                    tag = short_tag(str(tag))
                else:
                    tag = MAP_TAG if is_map else SEQ_TAG
                m = ev.start_mark
                line = m.line
                col = m.column + 1
                if ev.flow_style:
                    flow_level += 1
                    push = 1
                    last_line = line
                    if flow_level > max_depth:
                        raise _depth_error(line, m, max_depth)
                elif (not is_map and in_map and pushed == 2 and parent is not None
                      and parent.col == col):
                    push = 0  # an indentless sequence
                else:
                    indents += 1
                    push = 2
                    if is_map:
                        last_line = line
                    if indents > max_depth:
                        raise _depth_error(last_line, m, max_depth)
                anchor = ev.anchor
                if anchor is not None:
                    node = anchors[anchor] = LinkNode("map" if is_map else "seq", tag, "", "",
                                                      line + 1, col, anchor)
                elif is_map:
                    node = MapNode(tag, line + 1, col)
                else:
                    node = SeqNode(tag, line + 1, col)
                if parent is None:
                    root = node
                elif not in_map:
                    sink.append(node)
                elif key is None:
                    key = node
                else:
                    sink.append((key, node))
                    key = None
                stack.append((parent, sink, in_map, key, pushed))
                parent = node
                sink = node.pairs if is_map else node.items
                in_map = is_map
                key = None
                pushed = push
                continue
            elif t is AliasEvent:
                target = anchors.get(ev.anchor)
                if target is None:
                    raise YamlError(f"yaml: unknown anchor '{ev.anchor}' referenced")
                m = ev.start_mark
                node = LinkNode("alias", "", ev.anchor, "", m.line + 1, m.column + 1)
                node.target = target
            else:  # MappingEnd / SequenceEnd / DocumentEnd
                if stack:
                    if pushed == 1:
                        flow_level -= 1
                    elif pushed == 2:
                        indents -= 1
                    parent, sink, in_map, key, pushed = stack.pop()
                    continue
                # DocumentEnd of the first document
                idx = ev.start_mark.index
                return root, idx, _only_space(text, idx)
            if parent is None:
                root = node
            elif not in_map:
                sink.append(node)
            elif key is None:
                key = node
            else:
                sink.append((key, node))
                key = None
    except YamlError:
        raise
    except Exception as ex:
        if hasattr(ex, "problem_mark") or type(ex).__name__ in ("ScannerError", "ParserError"):
            raise _c_error(ex) from None
        raise


_TAG_CACHE: dict[str, str] = {}


def _max_depth() -> int:
    from .limits import get

    return get("max_depth")


def _depth_error(context_line: int, mark: Any, limit: int) -> _CError:
    """yaml.v3's scanner error "exceeded max depth of 10000" (scannerc.go), with
    the line of its context mark (the latest simple key) when that is not 0."""
    return _CError(True, f"exceeded max depth of {limit}", "while increasing depth",
                   context_line, mark.line, mark.index)


def _only_space(text: str, idx: int) -> bool:
    return not text[idx:].strip()


def _lookahead(text: str, stop: int, skip_block_end: bool) -> tuple[_CError | None, int]:
    """yaml.v3 scans two tokens past the one its parser stops at.

    Returns (scanner error met within that lookahead, furthest char index read).
    """
    from .libyaml import tokens

    BlockEndToken = tokens().BlockEndToken  # noqa: N806
    StreamEndToken = tokens().StreamEndToken  # noqa: N806

    parser = _c_parser_class()(text)
    after = -1
    reach = stop
    try:
        while True:
            tok = parser.get_token()
            end = tok.end_mark.index
            reach = max(reach, end)
            if after < 0:
                if tok.start_mark.index >= stop and not (
                    skip_block_end and type(tok) is BlockEndToken
                ):
                    after = 0
            else:
                after += 1
            if after >= 2 or type(tok) is StreamEndToken:
                return None, reach + 1
    except Exception as ex:
        if type(ex).__name__ == "ScannerError":
            err = _c_error(ex)
            return err, err.problem_index + 1
        return None, reach + 1


def _parse_text(text: str, raw: bytes | None = None) -> tuple[Node | None, _CError | None, int]:
    """Returns (root, error, reach); handles libyaml's flow-context ':' error.
    ``raw``: ``text`` as UTF-8, if at hand."""
    placeholder: str | None = None
    work = text
    while True:
        try:
            root, stop, at_eof = _build(work, placeholder, raw if work is text else None)
        except _CError as err:
            if err.scanner and err.problem == "found unexpected ':'":
                if placeholder is None:
                    placeholder = _pick_placeholder(text)
                i = err.problem_index
                work = work[:i] + placeholder + work[i + 1 :]
                continue
            if err.scanner:
                return None, err, err.problem_index + 4
            la_err, reach = _lookahead(work, err.problem_index, False)
            if la_err is not None:
                return None, la_err, reach
            return None, err, reach
        if at_eof:
            return root, None, len(text)
        la_err, reach = _lookahead(work, stop, True)
        if la_err is not None:
            return None, la_err, reach
        return root, None, reach


def _pick_placeholder(text: str) -> str:
    for cp in range(0xE000, 0xF900):
        ch = chr(cp)
        if ch not in text:
            return ch
    raise YamlError("yaml: internal error: no placeholder character available")  # pragma: no cover


def parse(data: bytes) -> Node | None:
    """Parse the first YAML document of ``data`` like yaml.v3's ``parser.parse``.

    Returns None when the stream holds no document.  Raises YamlError with
    yaml.v3's message for reader, scanner and parser errors and unknown anchors,
    and refuses input over BUTANE_PY_MAX_INPUT_BYTES (docs/limits.md).
    """
    from .limits import get

    limit = get("max_input_bytes")
    if len(data) > limit:
        raise YamlError(f"input is {len(data)} bytes, over the limit of {limit} bytes "
                        "(raise it with BUTANE_PY_MAX_INPUT_BYTES)")
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the tree is acyclic bar aliases; collections here only cost time
    try:
        if _reader_clean(data):
            # the pure-Python parser of the plain subset people write gives the same
            # tree faster (and without loading libyaml: about 14 ms of start-up)
            from .fastyaml import Unsupported, parse_bytes

            try:
                return parse_bytes(data, _max_depth(), 3 if data[:3] == b"\xef\xbb\xbf" else 0)
            except Unsupported:
                pass
        return _parse_full(data)
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse_full(data: bytes) -> Node | None:
    """``parse`` with libyaml only (the reference for fastyaml's tree)."""
    text, reader = _decode_input(data)
    # the input as it is, when it is the UTF-8 of the text (no BOM, nothing replaced)
    raw = data if reader is None and data and data[0] < 0xEF else None
    root, err, reach = _parse_text(text, raw)
    if reader is not None and reach >= reader.chunk_start:
        raise YamlError("yaml: " + reader.message)
    if err is not None:
        raise err.yaml_error()
    return root


# ---------------------------------------------------------------------------
# Step 1: yaml.Unmarshal(input, &commonFields{Version, Variant string})


def sniff(root: Node | None) -> tuple[str, str]:
    """Butane step 1: return (variant, version) as yaml.v3 decodes them into strings.

    Raises YamlError with yaml.v3's unmarshal error text (type errors,
    duplicate keys of the root mapping) or its fatal error text.
    """
    if root is None:
        return "", ""
    from .decode import decode
    from .schema import common_fields

    fields = decode(root, common_fields())
    return fields.get("variant", ""), fields.get("version", "")
