"""The resource limits butane-py puts on hostile input, each documented in
docs/limits.md and overridable by an environment variable.

Values are read when first needed (never at import), so `import butane_py`
stays cheap and a test can change a variable between translations.  A variable
that is unset, empty or not a positive integer leaves the default.
"""

from __future__ import annotations

import os

from .records import NamedTuple

TYPE_CHECKING = False

__all__ = ["LIMITS", "Limit", "get"]


class Limit(NamedTuple):
    name: str
    env: str
    default: int
    what: str


_MIB = 1 << 20

LIMITS: dict[str, Limit] = {
    lim.name: lim
    for lim in (
        Limit("max_input_bytes", "BUTANE_PY_MAX_INPUT_BYTES", 128 * _MIB,
              "size of the Butane document"),
        Limit("max_depth", "BUTANE_PY_MAX_DEPTH", 10000,
              "nesting of YAML collections (yaml.v3's own limit)"),
        Limit("max_local_file_bytes", "BUTANE_PY_MAX_LOCAL_FILE_BYTES", 128 * _MIB,
              "size of one file read from the files directory"),
        Limit("max_tree_entries", "BUTANE_PY_MAX_TREE_ENTRIES", 100_000,
              "entries (files, directories, links) walked in one storage.trees item"),
    )
}


def get(name: str) -> int:
    """The limit's value: its environment variable when that is a positive integer,
    else its default."""
    lim = LIMITS[name]
    raw = os.environ.get(lim.env, "").strip().replace("_", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return lim.default
