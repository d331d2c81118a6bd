"""Ignition's config merge on plain dicts, with a transcript of where every
result field came from, and the merge of two translated configs.

Rules (Ignition's MergeStructTranscribe, spec 5.12):

* non-pointer scalar: the child's value, even when zero;
* pointer: the child's if set, else the parent's; pointers to structs (spec
  3.2's clevis) set on both sides are merged recursively;
* struct: the parent's if the child's is zero, the child's if the parent's is
  zero, otherwise merged field by field;
* concatenated lists (file `append`, filesystem `options`/`mountOptions`,
  luks and raid `options`): parent items then child items;
* keyed lists: parent items in order, each merged with the child item of the
  same key in the same list (scalars: the child item); a parent item whose key
  the child has in a sibling list of the same key space is dropped; then
  child items whose key the parent's list lacks.  An HTTP header whose child
  value is null deletes the parent header.

Struct embedding (Node in files/directories/links) is flattened in the dict
model; the transcript is the same as with embedding.

Every fcos 1.5+ config is merged at least once, so `merge_translated` is on
the hot path: it maps the TranslationSets while it walks instead of keeping
a transcript, builds one path where the result's equals a side's, and under
an empty parent (grub's, usually) skips the keyed list bookkeeping.  The
tests hold it and `merge_transcribe` to the plain walk of the rules above.
"""

from __future__ import annotations

from ..schema import SCALARS, ignition_config
from ..translation import TranslationSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    from ..paths import Path
    from ..schema import Type

    # (side, path in that side's config, path in the result)
    Mapping: TypeAlias = "tuple[str, Path, Path]"
    ChildItems: TypeAlias = "dict[tuple[str, str], tuple[str, int, Any]]"

PARENT = "parent"
CHILD = "child"

_NOTHING: frozenset[str] = frozenset()
_NO_SPACES: dict[str, str] = {}

# lists merged by concatenation, per struct
_CONCATENATED: dict[str, frozenset[str]] = {
    "File": frozenset({"append"}),
    "Filesystem": frozenset({"options", "mountOptions"}),
    "Luks": frozenset({"options"}),
    "Raid": frozenset({"options"}),
}

# lists sharing one key space, per struct: list name -> key space
_SHARED_KEYS: dict[str, dict[str, str]] = {
    "Storage": {"directories": "node", "files": "node", "links": "node"},
    "KernelArguments": {"shouldExist": "kernelArgument", "shouldNotExist": "kernelArgument"},
}

# the field holding each list item's key (partitions have their own rule)
_KEY_FIELD: dict[str, str] = {
    "CaReference": "source",
    "ConfigReference": "source",
    "Directory": "path",
    "Disk": "device",
    "Dropin": "name",
    "File": "path",
    "Filesystem": "device",
    "HTTPHeader": "name",
    "Link": "path",
    "Luks": "name",
    "PasswdGroup": "name",
    "PasswdUser": "name",
    "Raid": "name",
    "Resource": "source",
    "Tang": "url",
    "Unit": "name",
}


def item_key(item: Any, t: Type) -> str:
    """Ignition's `Key()` of a list item of type `t`."""
    if t.kind != "struct":
        return str(item)
    if t.name == "Partition":
        number = item.get("number") or 0
        if number:
            return f"number:{number}"
        label = item.get("label")
        return "" if label is None else f"label:{label}"
    value = item.get(_KEY_FIELD[t.name])
    return "" if value is None else str(value)


def is_zero(value: Any, t: Type, ptr: bool) -> bool:
    """Go's `IsZero` for a field value: nil pointers and lists, zero scalars,
    structs whose every field is zero."""
    if value is None:
        return True
    if ptr or t.kind in ("list", "map"):
        return False
    if t.kind == "struct":
        return all(is_zero(value.get(name), f.type, f.ptr) for name, f in t.fields.items())
    return not value


# struct type -> (name, type, is a scalar, is a pointer) of each field, in order;
# the types are built once per version and shared, so this is filled once each
_FIELDS: dict[Type, tuple[tuple[str, Type, bool, bool], ...]] = {}


def _fields(t: Type) -> tuple[tuple[str, Type, bool, bool], ...]:
    table = _FIELDS.get(t)
    if table is None:
        table = _FIELDS[t] = tuple((name, f.type, f.type.kind in SCALARS, f.ptr)
                                   for name, f in t.fields.items())
    return table


class _Merger:
    """The merge walk.  Subclasses say what becomes of each transcript entry
    (`put`) and of a subtree taken whole from one side (`take`).

    Paths: where a child (or parent) path equals the result path it is the
    same tuple object, so the walks can test `frm is to` and build one path
    instead of two."""

    __slots__ = ()

    def put(self, side: str, frm: Path, to: Path) -> None:
        raise NotImplementedError

    def take(self, side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> Any:
        raise NotImplementedError

    def struct(self, parent: dict[str, Any], pp: Path, child: dict[str, Any], cp: Path,
               rp: Path, t: Type) -> dict[str, Any]:
        if not parent:
            return self.adopt(child, cp, rp, t)
        return self.combine(parent, pp, child, cp, rp, t)

    def combine(self, parent: dict[str, Any], pp: Path, child: dict[str, Any], cp: Path,
                rp: Path, t: Type) -> dict[str, Any]:
        """The merge of two structs, field by field."""
        concatenated = _CONCATENATED.get(t.name, _NOTHING)
        shared = _SHARED_KEYS.get(t.name, _NO_SPACES)
        # built when a parent keyed list first needs it
        child_items: ChildItems | None = None

        result: dict[str, Any] = {}
        for name, ft, leaf, ptr in _fields(t):
            pv: Any = parent.get(name)
            cv: Any = child.get(name)
            cf = cp + (name,)
            pf = cf if pp is cp else pp + (name,)
            rf = cf if rp is cp else rp + (name,)
            value: Any
            if ft.kind == "list":
                if not pv and not cv:
                    continue
                if name in concatenated:
                    value = self.concatenate(pv or [], pf, cv or [], cf, rf, ft)
                else:
                    if pv and child_items is None:
                        child_items = _child_items(parent, child, t, concatenated, shared)
                    value = self.keyed(pv or [], pf, cv or [], cf, rf, ft, shared.get(name, name),
                                       child_items or {})
            elif leaf and not ptr:
                value = self.take(CHILD, cf, rf, cv, ft, False)
            elif ptr and not (ft.kind == "struct" and pv is not None and cv is not None):
                value = (self.take(PARENT, pf, rf, pv, ft, True) if cv is None
                         else self.take(CHILD, cf, rf, cv, ft, True))
            elif ptr or not (is_zero(cv, ft, False) or is_zero(pv, ft, False)):
                value = self.struct(pv, pf, cv, cf, rf, ft)
                self.put(PARENT, pf, rf)
                self.put(CHILD, cf, rf)
            elif is_zero(cv, ft, False):
                value = self.take(PARENT, pf, rf, pv, ft, False)
            else:
                value = self.take(CHILD, cf, rf, cv, ft, False)
            if value is not None:
                result[name] = value
        return result

    def adopt(self, child: dict[str, Any], cp: Path, rp: Path, t: Type) -> dict[str, Any]:
        """`combine` under an empty parent, which comes to: every child field
        taken whole, except empty lists and zero structs (the parent's absent
        value wins over those); a non-empty list is recorded as merged even
        when no item has a populated leaf."""
        result: dict[str, Any] = {}
        for name, ft, _, ptr in _fields(t):
            cv = child.get(name)
            if cv is None:
                continue
            cf = cp + (name,)
            rf = cf if rp is cp else rp + (name,)
            kind = ft.kind
            value: Any
            if kind == "list":
                if not cv:
                    continue
                et = ft.elem
                assert et is not None
                same = cf is rf
                value = []
                for j, item in enumerate(cv):
                    jp = cf + (j,)
                    value.append(self.take(CHILD, jp, jp if same else rf + (j,), item, et, False))
                self.put(CHILD, cf, rf)
            elif kind == "struct" and not ptr and is_zero(cv, ft, False):
                continue
            else:
                value = self.take(CHILD, cf, rf, cv, ft, ptr)
            result[name] = value
        return result

    def concatenate(self, pv: list[Any], pf: Path, cv: list[Any], cf: Path, rf: Path,
                    t: Type) -> list[Any]:
        et = t.elem
        assert et is not None
        out = []
        for i, item in enumerate(pv):
            ip = pf + (i,)
            out.append(self.take(PARENT, ip, ip if pf is rf else rf + (i,), item, et, False))
        same = cf is rf and not pv
        for j, item in enumerate(cv):
            jp = cf + (j,)
            out.append(self.take(CHILD, jp, jp if same else rf + (len(pv) + j,), item, et, False))
        if pv:
            self.put(PARENT, pf, rf)
        if cv:
            self.put(CHILD, cf, rf)
        return out

    def keyed(self, pv: list[Any], pf: Path, cv: list[Any], cf: Path, rf: Path, t: Type,
              space: str, child_items: ChildItems) -> list[Any]:
        et = t.elem
        assert et is not None
        name = rf[-1]
        out: list[Any] = []
        from_parent = from_child = False
        for i, item in enumerate(pv):
            ip = pf + (i,)
            rp = ip if pf is rf and len(out) == i else rf + (len(out),)
            hit = child_items.get((space, item_key(item, et)))
            if hit is None:
                out.append(self.take(PARENT, ip, rp, item, et, False))
                from_parent = True
                continue
            child_list, j, child_item = hit
            if child_list != name:
                continue  # the child has this key in a sibling list: drop it
            from_parent = from_child = True
            jp = cf + (j,)
            if et.kind != "struct":
                out.append(self.take(CHILD, jp, rp, child_item, et, False))
                continue
            if name == "httpHeaders" and child_item.get("value") is None:
                continue  # a null child header deletes the parent's
            out.append(self.struct(item, ip, child_item, jp, rp, et))
            self.put(PARENT, ip, rp)
            self.put(CHILD, jp, rp)
        if pv:
            parent_keys = {item_key(item, et) for item in pv}
            for j, item in enumerate(cv):
                if item_key(item, et) not in parent_keys:
                    out.append(self.take(CHILD, cf + (j,), rf + (len(out),), item, et, False))
                    from_child = True
        elif cv:
            # nothing to match: every child item, at its own index
            same = cf is rf
            for j, item in enumerate(cv):
                jp = cf + (j,)
                out.append(self.take(CHILD, jp, jp if same else rf + (j,), item, et, False))
            from_child = True
        if from_parent:
            self.put(PARENT, pf, rf)
        if from_child:
            self.put(CHILD, cf, rf)
        return out


def _child_items(parent: dict[str, Any], child: dict[str, Any], t: Type,
                 concatenated: frozenset[str], shared: dict[str, str]) -> ChildItems:
    """The child's keyed list items of struct `t` in the key spaces where the
    parent has items (no other is looked up): (key space, key) -> (list,
    index, item); the last of a key wins."""
    lists = [(name, f.type) for name, f in t.fields.items()
             if f.type.kind == "list" and name not in concatenated]
    spaces = {shared.get(name, name) for name, _ in lists if parent.get(name)}
    items: ChildItems = {}
    for name, lt in lists:
        space = shared.get(name, name)
        if space not in spaces:
            continue
        et = lt.elem
        assert et is not None
        for j, item in enumerate(child.get(name) or ()):
            items[(space, item_key(item, et))] = (name, j, item)
    return items


class _Transcriber(_Merger):
    """The merge with Ignition's transcript, entry by entry."""

    __slots__ = ("transcript",)

    def __init__(self) -> None:
        self.transcript: list[Mapping] = []

    def put(self, side: str, frm: Path, to: Path) -> None:
        self.transcript.append((side, frm, to))

    def take(self, side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> Any:
        self.transcribe(side, frm, to, value, t, ptr)
        # the inputs are not used after a merge, so the result may share them
        return value

    def transcribe(self, side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> bool:
        """Record every populated leaf of a subtree taken whole from one side,
        and each interior node above a recorded leaf."""
        if value is None:
            return False
        if t.kind in SCALARS:
            if not ptr and not value:
                return False
            self.put(side, frm, to)
            return True
        found = False
        if t.kind == "struct":
            for name, f in t.fields.items():
                found = self.transcribe(side, frm + (name,), to + (name,), value.get(name),
                                        f.type, f.ptr) or found
        else:
            assert t.elem is not None
            for i, item in enumerate(value):
                found = self.transcribe(side, frm + (i,), to + (i,), item, t.elem, False) or found
        if found:
            self.put(side, frm, to)
        return found


class _Mapper(_Merger):
    """The merge mapping two TranslationSets as it goes: what mapping the
    transcript would give, entry by entry, without keeping it.  Where both
    sides produce a result field the child's source wins."""

    __slots__ = ("pmap", "cmap", "out")

    def __init__(self, pmap: dict[Path, Path], cmap: dict[Path, Path]) -> None:
        self.pmap = pmap
        self.cmap = cmap
        self.out: dict[Path, Path] = {}

    def put(self, side: str, frm: Path, to: Path) -> None:
        child = side == CHILD
        src = (self.cmap if child else self.pmap).get(frm)
        if src is not None and (child or to not in self.out):
            self.out[to] = src

    def take(self, side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> Any:
        if value is not None:
            kind = t.kind
            if kind in SCALARS:
                if ptr or value:
                    self.put(side, frm, to)
            else:
                child = side == CHILD
                src_map = self.cmap if child else self.pmap
                if kind == "struct" and frm is to:
                    _own(src_map, self.out, child, frm, value, t)
                else:
                    _walk(src_map, self.out, child, frm, to, value, t)
        # the inputs are not used after a merge, so the result may share them
        return value


def _walk(src_map: dict[Path, Path], out: dict[Path, Path], child: bool, frm: Path, to: Path,
          value: Any, t: Type) -> bool:
    """`_Transcriber.transcribe` of a struct or list, mapping as it goes:
    every populated leaf, then the node itself if it has one below."""
    same = frm is to
    found = False
    if t.kind == "struct":
        for name, ft, leaf, ptr in _fields(t):
            v = value.get(name)
            if v is None:
                continue
            f = frm + (name,)
            r = f if same else to + (name,)
            if not leaf:
                if _walk(src_map, out, child, f, r, v, ft):
                    found = True
                continue
            if not ptr and not v:
                continue
            found = True
            src = src_map.get(f)
            if src is not None and (child or r not in out):
                out[r] = src
    else:
        et = t.elem
        assert et is not None
        leaf = et.kind in SCALARS
        for i, item in enumerate(value):
            if item is None:
                continue
            f = frm + (i,)
            r = f if same else to + (i,)
            if not leaf:
                if _walk(src_map, out, child, f, r, item, et):
                    found = True
                continue
            if not item:
                continue
            found = True
            src = src_map.get(f)
            if src is not None and (child or r not in out):
                out[r] = src
    if found:
        src = src_map.get(frm)
        if src is not None and (child or to not in out):
            out[to] = src
    return found


# what `_own` finds in a field: a scalar (set when not zero), a pointer to a
# scalar (set when not nil), a struct, a list of scalars, a list of structs,
# anything else (left to `_walk`)
_LEAF, _PTR, _STRUCT, _LEAVES, _STRUCTS, _OTHER = range(6)

# struct type -> (name, what, the struct type there) of each field, in order
_OWN: dict[Type, tuple[tuple[str, int, Type], ...]] = {}


def _own_table(t: Type) -> tuple[tuple[str, int, Type], ...]:
    steps = []
    for name, f in t.fields.items():
        ft = f.type
        what, sub = _OTHER, ft
        if ft.kind in SCALARS:
            what = _PTR if f.ptr else _LEAF
        elif ft.kind == "struct":
            what = _STRUCT
        elif ft.kind == "list" and ft.elem is not None:
            sub = ft.elem
            what = _LEAVES if sub.kind in SCALARS else _STRUCTS if sub.kind == "struct" else _OTHER
            if what == _OTHER:
                sub = ft
        steps.append((name, what, sub))
    table = _OWN[t] = tuple(steps)
    return table


def _own(src_map: dict[Path, Path], out: dict[Path, Path], child: bool, path: Path,
         value: dict[str, Any], t: Type) -> bool:
    """`_walk` of a struct that keeps its path (the bulk of every merge: the
    user's config under a generated one): one path to build, and lists walked
    in place."""
    table = _OWN.get(t)
    if table is None:
        table = _own_table(t)
    get = src_map.get
    found = False
    for name, what, sub in table:
        v = value.get(name)
        if v is None:
            continue
        p = path + (name,)
        if what <= _PTR:
            if what == _LEAF and not v:
                continue
        elif what == _STRUCT:
            if _own(src_map, out, child, p, v, sub):
                found = True
            continue
        elif what == _LEAVES:
            below = False
            for i, item in enumerate(v):
                if item:
                    below = True
                    q = p + (i,)
                    src = get(q)
                    if src is not None and (child or q not in out):
                        out[q] = src
            if not below:
                continue
        elif what == _STRUCTS:
            below = False
            for i, item in enumerate(v):
                if item is not None and _own(src_map, out, child, p + (i,), item, sub):
                    below = True
            if not below:
                continue
        else:
            if _walk(src_map, out, child, p, p, v, sub):
                found = True
            continue
        found = True
        src = get(p)
        if src is not None and (child or p not in out):
            out[p] = src
    if found:
        src = get(path)
        if src is not None and (child or path not in out):
            out[path] = src
    return found


def merge_transcribe(parent: dict[str, Any], child: dict[str, Any], t: Type
                     ) -> tuple[dict[str, Any], list[Mapping]]:
    """Merge two values of struct type `t`; returns the result (new containers
    where the sides combine, subtrees taken whole shared with the inputs) and
    the transcript, in Ignition's order."""
    m = _Transcriber()
    return m.struct(parent, (), child, (), (), t), m.transcript


def merge_configs(parent: dict[str, Any], child: dict[str, Any], minor: int
                  ) -> tuple[dict[str, Any], list[Mapping]]:
    """Merge two Ignition 3.`minor` configs (child over parent)."""
    return merge_transcribe(parent, child, ignition_config(minor))


def merge_translated(parent: dict[str, Any], parent_ts: TranslationSet, child: dict[str, Any],
                     child_ts: TranslationSet, minor: int) -> tuple[dict[str, Any], TranslationSet]:
    """Merge two translated configs and map both TranslationSets through the
    transcript: each result path gets the source of the transcript's last
    child entry for it, else of its first parent entry, in the order the
    transcript first reaches it."""
    m = _Mapper(parent_ts.map, child_ts.map)
    root: Path = ()
    result = m.struct(parent, root, child, root, root, ignition_config(minor))
    ts = TranslationSet()
    ts.map = m.out
    return result, ts
