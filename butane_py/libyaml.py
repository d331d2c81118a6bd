"""libyaml's parser, as ruamel.yaml's C extension provides it.

Importing `ruamel.yaml` runs its package `__init__`, which loads the whole
pure-Python YAML stack (about 5 ms of start-up we do not need: we only read
events). The C extension needs a few of ruamel's submodules, not the package
`__init__`, so it is loaded under a bare package object that is dropped again
afterwards; a later `import ruamel.yaml` (the round-trip upgrade uses it) then
gets the real package, loaded afresh.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_loaded: tuple[Any, Any, Any] | None = None


def is_loaded() -> bool:
    return _loaded is not None


def parser_class() -> Any:
    """The C `CParser` class: `CParser(text).get_event()` yields ruamel events."""
    return _load()[0]


def events() -> Any:
    """The module of the event classes that parser creates (compare with `type(ev) is`)."""
    return _load()[1]


def tokens() -> Any:
    """The module of the token classes that parser creates."""
    return _load()[2]


def _load() -> tuple[Any, Any, Any]:
    global _loaded
    if _loaded is None:
        _loaded = _import()
    return _loaded


def _import() -> tuple[Any, Any, Any]:
    if "ruamel.yaml" in sys.modules:
        from ruamel.yaml import events, tokens
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

        return CParser, events, tokens
    import importlib.util

    spec = importlib.util.find_spec("ruamel.yaml")
    if spec is None or spec.loader is None:  # pragma: no cover - a broken install
        raise ImportError("ruamel.yaml is not installed")
    sys.modules["ruamel.yaml"] = importlib.util.module_from_spec(spec)
    loaded: tuple[Any, Any, Any] | None
    try:
        from _ruamel_yaml_clibz import CParser  # type: ignore[import-not-found]

        loaded = (CParser, sys.modules["ruamel.yaml.events"], sys.modules["ruamel.yaml.tokens"])
    except (ImportError, KeyError):
        loaded = None
    finally:
        for name in [n for n in sys.modules if n == "ruamel.yaml" or n.startswith("ruamel.yaml.")]:
            del sys.modules[name]
    if loaded is None:  # another ruamel build: take the documented way in
        from ruamel.yaml import events, tokens
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

        loaded = (CParser, events, tokens)
    return loaded
