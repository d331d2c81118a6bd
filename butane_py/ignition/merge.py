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
"""

from __future__ import annotations

from typing import Any

from ..paths import Path
from ..schema import SCALARS, Type, ignition_config
from ..translation import TranslationSet

PARENT = "parent"
CHILD = "child"

# (side, path in that side's config, path in the result)
Mapping = tuple[str, Path, Path]

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


class _Merger:
    def __init__(self) -> None:
        self.transcript: list[Mapping] = []

    def one(self, side: str, frm: Path, to: Path) -> None:
        self.transcript.append((side, frm, to))

    def transcribe(self, side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> bool:
        """Record every populated leaf of a subtree taken whole from one side,
        and each interior node above a recorded leaf."""
        if value is None:
            return False
        if t.kind in SCALARS:
            if not ptr and not value:
                return False
            self.one(side, frm, to)
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
            self.one(side, frm, to)
        return found

    def take(self, side: str, frm: Path, to: Path, value: Any, t: Type, ptr: bool) -> Any:
        self.transcribe(side, frm, to, value, t, ptr)
        # the inputs are not used after a merge, so the result may share them
        return value

    def struct(self, parent: dict[str, Any], pp: Path, child: dict[str, Any], cp: Path,
               rp: Path, t: Type) -> dict[str, Any]:
        concatenated = _CONCATENATED.get(t.name, frozenset())
        shared = _SHARED_KEYS.get(t.name, {})
        # the child's keyed list items: (key space, key) -> (list, index, item); last wins
        child_items: dict[tuple[str, str], tuple[str, int, Any]] = {}
        for name, f in t.fields.items():
            if f.type.kind != "list" or name in concatenated:
                continue
            assert f.type.elem is not None
            for j, item in enumerate(child.get(name) or ()):
                child_items[(shared.get(name, name), item_key(item, f.type.elem))] = (name, j, item)

        result: dict[str, Any] = {}
        for name, f in t.fields.items():
            ft = f.type
            pv: Any = parent.get(name)
            cv: Any = child.get(name)
            pf, cf, rf = pp + (name,), cp + (name,), rp + (name,)
            value: Any
            if ft.kind == "list":
                if not pv and not cv:
                    continue
                if name in concatenated:
                    value = self.concatenate(pv or [], pf, cv or [], cf, rf, ft)
                else:
                    value = self.keyed(pv or [], pf, cv or [], cf, rf, ft, shared.get(name, name),
                                       child_items)
            elif ft.kind in SCALARS and not f.ptr:
                value = self.take(CHILD, cf, rf, cv, ft, False)
            elif f.ptr and not (ft.kind == "struct" and pv is not None and cv is not None):
                value = (self.take(PARENT, pf, rf, pv, ft, True) if cv is None
                         else self.take(CHILD, cf, rf, cv, ft, True))
            elif f.ptr or not (is_zero(cv, ft, False) or is_zero(pv, ft, False)):
                value = self.struct(pv, pf, cv, cf, rf, ft)
                self.one(PARENT, pf, rf)
                self.one(CHILD, cf, rf)
            elif is_zero(cv, ft, False):
                value = self.take(PARENT, pf, rf, pv, ft, False)
            else:
                value = self.take(CHILD, cf, rf, cv, ft, False)
            if value is not None:
                result[name] = value
        return result

    def concatenate(self, pv: list[Any], pf: Path, cv: list[Any], cf: Path, rf: Path,
                    t: Type) -> list[Any]:
        assert t.elem is not None
        out = [self.take(PARENT, pf + (i,), rf + (i,), item, t.elem, False)
               for i, item in enumerate(pv)]
        out += [self.take(CHILD, cf + (j,), rf + (len(pv) + j,), item, t.elem, False)
                for j, item in enumerate(cv)]
        if pv:
            self.one(PARENT, pf, rf)
        if cv:
            self.one(CHILD, cf, rf)
        return out

    def keyed(self, pv: list[Any], pf: Path, cv: list[Any], cf: Path, rf: Path, t: Type,
              space: str, child_items: dict[tuple[str, str], tuple[str, int, Any]]) -> list[Any]:
        et = t.elem
        assert et is not None
        name = rf[-1]
        out: list[Any] = []
        from_parent = from_child = False
        for i, item in enumerate(pv):
            ip, rp = pf + (i,), rf + (len(out),)
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
            self.one(PARENT, ip, rp)
            self.one(CHILD, jp, rp)
        parent_keys = {item_key(item, et) for item in pv}
        for j, item in enumerate(cv):
            if item_key(item, et) not in parent_keys:
                out.append(self.take(CHILD, cf + (j,), rf + (len(out),), item, et, False))
                from_child = True
        if from_parent:
            self.one(PARENT, pf, rf)
        if from_child:
            self.one(CHILD, cf, rf)
        return out


def merge_transcribe(parent: dict[str, Any], child: dict[str, Any], t: Type
                     ) -> tuple[dict[str, Any], list[Mapping]]:
    """Merge two values of struct type `t`; returns the result (sharing
    nothing with the inputs) and the transcript, in Ignition's order."""
    m = _Merger()
    return m.struct(parent, (), child, (), (), t), m.transcript


def merge_configs(parent: dict[str, Any], child: dict[str, Any], minor: int
                  ) -> tuple[dict[str, Any], list[Mapping]]:
    """Merge two Ignition 3.`minor` configs (child over parent)."""
    return merge_transcribe(parent, child, ignition_config(minor))


def merge_translated(parent: dict[str, Any], parent_ts: TranslationSet, child: dict[str, Any],
                     child_ts: TranslationSet, minor: int) -> tuple[dict[str, Any], TranslationSet]:
    """Merge two translated configs and map both TranslationSets through the
    transcript; where both sides produced a result field the child's source
    wins."""
    result, transcript = merge_configs(parent, child, minor)
    ts = TranslationSet()
    out = ts.map
    for side, frm, to in transcript:
        source = (child_ts if side == CHILD else parent_ts).map.get(frm)
        if source is None or (side != CHILD and to in out):
            continue
        out[to] = source
    return result, ts
