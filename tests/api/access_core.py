"""Rows of the API's access table (tests/api/test_api_access.py): the API's own endpoints."""

from __future__ import annotations

from typing import Any

from tests.api.roles import READ, everyone

ROWS: dict[str, dict[str, int]] = {
    # The description itself is public.
    "openapi_json": everyone(200),
    # The token's own partnership, whichever it is: the outsider sees theirs.
    "core_list_partnerships": everyone(200, anonymous=401),
    "core_get_partnership": READ,
    "core_me": everyone(200, anonymous=401),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {}
