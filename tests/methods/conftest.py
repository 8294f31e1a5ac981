"""pref_voting (a test-only comparison, tests/methods/test_compare_stv.py) imports numba at import time without
declaring it, and numba cannot be installed next to this project's numpy. numba's ``jit`` only compiles a function
to run faster; when numba is missing, a stand-in that leaves each function as written is installed, so
pref_voting runs the same code in plain Python."""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any


class _Type:
    """numba's type objects as pref_voting uses them in annotations (``float32[:]``)."""

    def __getitem__(self, item: object) -> _Type:
        return self

    def __call__(self, *args: object) -> _Type:
        return self


def _jit(*args: Any, **options: Any) -> Any:
    """``@jit`` and ``@jit(...)`` alike: the function unchanged."""
    if len(args) == 1 and callable(args[0]) and not options:
        return args[0]

    def unchanged(function: Callable[..., Any]) -> Callable[..., Any]:
        return function

    return unchanged


if importlib.util.find_spec("numba") is None:
    stand_in = types.ModuleType("numba")
    stand_in.jit = _jit  # type: ignore[attr-defined]
    stand_in.njit = _jit  # type: ignore[attr-defined]
    stand_in.float32 = _Type()  # type: ignore[attr-defined]
    stand_in.float64 = _Type()  # type: ignore[attr-defined]
    stand_in.int64 = _Type()  # type: ignore[attr-defined]
    sys.modules["numba"] = stand_in
