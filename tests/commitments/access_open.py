"""Rows of the URL × role table in tests/test_url_access.py: the commitments board as open data."""

from __future__ import annotations

from typing import Any

ROWS: dict[str, dict[str, int]] = {}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {}
