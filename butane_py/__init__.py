"""butane-py: a pure-Python Butane (Butane YAML -> Ignition JSON).

    >>> import butane_py
    >>> butane_py.translate("variant: fcos\\nversion: 1.6.0\\n").output
    '{"ignition":{"version":"3.5.0"}}'
"""

from __future__ import annotations

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
