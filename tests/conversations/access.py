"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file)."""

from __future__ import annotations

from typing import Any

ROWS: dict[str, dict[str, int]] = {}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Make what this capability's pages need in the shared world; return each URL name's kwargs
    (besides the partnership's slug, which is added for every name in this capability's namespace)."""
    return {}
