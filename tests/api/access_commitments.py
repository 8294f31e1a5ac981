"""Rows of the API's access table (tests/api/test_api_access.py): the commitments board, which everyone in the
partnership reads (observers included), as on the page."""

from __future__ import annotations

from typing import Any

from tests.api.roles import READ

ROWS: dict[str, dict[str, int]] = {
    "commitments_list_commitments": READ,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {}
