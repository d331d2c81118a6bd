"""butane-py: a pure-Python Butane (Butane YAML -> Ignition JSON).

    >>> import butane_py
    >>> butane_py.translate("variant: fcos\\nversion: 1.6.0\\n").output
    '{"ignition":{"version":"3.5.0"}}'

The public names are loaded on first use, so that `import butane_py` (and the
command line's start-up) stays cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .api import Result, TranslateOptions, TranslationError, translate, translate_file
    from .report import Entry, Report

__all__ = [
    "Entry",
    "Report",
    "Result",
    "TranslateOptions",
    "TranslationError",
    "translate",
    "translate_file",
]
__version__ = "0.1.0"

_HOME = {"Entry": "report", "Report": "report"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'butane_py' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{_HOME.get(name, 'api')}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
