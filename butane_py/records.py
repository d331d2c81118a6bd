"""`NamedTuple` without importing `typing` at run time.

`typing` costs a few milliseconds of every process start (a tiny config takes
about 20 ms in all), and the start-up path only needs it for its record classes.
Type checkers see `typing.NamedTuple`; at run time a class written the same way
becomes a `collections.namedtuple` with the class body's methods, properties,
docstring and field defaults.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import namedtuple

    _NOT_COPIED = frozenset({"__annotations__", "__module__", "__qualname__", "__dict__",
                             "__weakref__"})

    class _RecordMeta(type):
        def __new__(mcls, name, bases, ns):  # noqa: N804 - a metaclass's first argument
            if not bases:
                return super().__new__(mcls, name, bases, ns)
            fields = list(ns.get("__annotations__", {}))
            defaults = [ns[f] for f in fields if f in ns]
            # fields with defaults must come last, as in typing.NamedTuple
            if [f for f in fields if f in ns] != fields[len(fields) - len(defaults):]:
                raise TypeError(f"{name}: a field without a default follows one with a default")
            cls = namedtuple(name, fields, defaults=defaults, module=ns.get("__module__"))
            for key, value in ns.items():
                if key not in _NOT_COPIED and key not in fields:
                    setattr(cls, key, value)
            cls.__qualname__ = ns.get("__qualname__", name)
            return cls

    class NamedTuple(metaclass=_RecordMeta):
        """Base of record classes: `class Spec(NamedTuple): variant: str ...`."""

__all__ = ["NamedTuple"]
