""""Did you mean": the nearest valid key for an unused-key warning.

An unused-key warning names a key that no field of its mapping takes. The
mapping's valid keys are the fields of the Butane type at the warning's path
(for the config's own variant and spec version), so a misspelt key can be
matched against them:

    >>> from butane_py.report import Entry
    >>> from butane_py.schema import butane_config
    >>> e = Entry("warning", "unused key ssh_authorised_keys", ("passwd", "users", 0, "ssh_authorised_keys"))
    >>> suggest(e, butane_config(6, 6))
    'ssh_authorized_keys'

The rule: a key that differs from a valid one only in case, in `-` for `_`
or in surrounding spaces is always matched; otherwise the nearest key by
optimal-string-alignment distance (insertions, deletions, substitutions and
swaps of two neighbours) is matched when the distance is at most 2 and at most
a third of the key's length (but 1 is always allowed). Ties go to the key with
the higher `difflib` ratio, then to the first in the reference's field order.

The reference's own message is never changed where no key is near, and the
CLI applies suggestions only on request (`--suggest`): see docs/beyond.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report import WARNING, Entry, Report

if TYPE_CHECKING:
    from .api import Result
    from .paths import Path
    from .registry import Spec
    from .schema import Type

_PREFIX = "unused key "
MAX_DISTANCE = 2


def _normal(key: str) -> str:
    return key.strip().lower().replace("-", "_").replace(" ", "_")


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Damerau-Levenshtein without
    re-editing a swapped pair): `sotrage` -> `storage` is 1."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, prev2[j - 2] + 1)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[len(b)]


def nearest(key: str, candidates: list[str]) -> str | None:
    """The candidate `key` most likely stands for, or None when none is near."""
    if not key or key in candidates:
        return None
    norm = _normal(key)
    for c in candidates:
        if _normal(c) == norm:
            return c
    limit = min(MAX_DISTANCE, max(1, len(norm) // 3))
    scored = [(distance(norm, _normal(c)), c) for c in candidates]
    near = [(d, c) for d, c in scored if d <= limit]
    if not near:
        return None
    best = min(d for d, _ in near)
    tied = [c for d, c in near if d == best]
    if len(tied) == 1:
        return tied[0]
    from difflib import SequenceMatcher

    # max keeps the first of equal ratios, so field order breaks the last ties
    return max(tied, key=lambda c: SequenceMatcher(None, norm, _normal(c)).ratio())


def keys_at(root_type: Type, path: Path) -> list[str] | None:
    """The valid keys of the mapping at `path` (a path to the mapping itself),
    or None when `path` does not lead to a struct of `root_type`."""
    t: Type | None = root_type
    for elem in path:
        if t is None:
            return None
        if t.kind == "struct" and isinstance(elem, str):
            f = t.fields.get(elem)
            t = f.type if f is not None else None
        elif t.kind == "list" and isinstance(elem, int):
            t = t.elem
        else:
            return None
    if t is None or t.kind != "struct":
        return None
    return list(t.fields)


def unused_key(entry: Entry) -> str | None:
    """The key an unused-key warning names, or None for any other entry."""
    if entry.kind != WARNING or not entry.message.startswith(_PREFIX) or not entry.path:
        return None
    key = entry.path[-1]
    if not isinstance(key, str) or entry.message != _PREFIX + key:
        return None
    return key


def suggest(entry: Entry, root_type: Type) -> str | None:
    """The valid key nearest to the one an unused-key warning names, or None
    (for other entries too). `root_type` is the Butane type of the config."""
    key = unused_key(entry)
    if key is None:
        return None
    keys = keys_at(root_type, entry.path[:-1])
    if keys is None:
        return None
    return nearest(key, keys)


def suggestion_text(message: str, suggestion: str) -> str:
    return f"{message}; did you mean {suggestion}?"


def with_suggestions(report: Report, root_type: Type) -> Report:
    """A copy of `report` whose unused-key messages name the nearest valid key
    (`unused key ssh_authorised_keys; did you mean ssh_authorized_keys?`);
    every other entry, and every unused key with no near key, is unchanged."""
    out = Report()
    for e in report:
        s = suggest(e, root_type)
        message = suggestion_text(e.message, s) if s is not None else e.message
        out.entries.append(Entry(e.kind, message, e.path, e.line, e.col, e.tag))
    return out


def butane_type_for(spec: Spec) -> Type:
    """The Butane input type a spec reads (its variant's layer decides)."""
    from .variants import layer_for

    return layer_for(spec).butane_type(spec)


def suggest_result(result: Result) -> Report:
    """`result.report` with suggestions, when the result knows its spec
    (that is, whenever the variant and version were understood); otherwise
    the report unchanged."""
    if result.spec is None:
        return result.report
    return with_suggestions(result.report, butane_type_for(result.spec))
