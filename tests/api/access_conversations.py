"""Rows of the API's access table (tests/api/test_api_access.py): conversations's endpoints."""

from __future__ import annotations

from typing import Any

ROWS: dict[str, dict[str, int]] = {}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {}
