"""Rows of the URL × role table in tests/test_url_access.py: fund as open data (its 360Giving file)."""

from __future__ import annotations

from typing import Any

from tests.reports.access_open import OPEN_TO_EVERYONE, publish

ROWS: dict[str, dict[str, int]] = {"fund:open-grants": OPEN_TO_EVERYONE}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    publish(world["partnership"])
    return {}
