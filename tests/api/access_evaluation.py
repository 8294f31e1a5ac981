"""Rows of the API's access table (tests/api/test_api_access.py): evaluation's results, as the results page:
coordinators (and panel members) see every service, workers and partner leads their organisation's (an empty
quarter until one is released), members not on the panel and observers nothing (404)."""

from __future__ import annotations

from typing import Any

from tests.api.roles import READ

ROWS: dict[str, dict[str, int]] = {
    "evaluation_results": {**READ, "member": 404, "observer": 404, "read_only": 404},
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {}
