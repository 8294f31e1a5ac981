"""A value worked out at most once, and only if asked for: for template context that a page may not draw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_UNSET = object()


class Once(Generic[T]):
    """Call it for the value: ``make()`` runs on the first call only. Templates call callables in the context,
    so ``{{ value }}`` and ``{% if value %}`` work on it; a page that never shows it never pays for it.

    (``functools.cache`` on a function made per request did the same, but building the cache wrapper cost
    more than a small query's worth of CPU on every request: ADR 15.)"""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: object = _UNSET

    def __call__(self) -> T:
        if self._value is _UNSET:
            self._value = self._make()
        return self._value  # type: ignore[return-value]
