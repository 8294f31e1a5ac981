"""Rows of the URL × role table in tests/test_url_access.py: voice as open data ("you said, we did").

Open data answers everyone alike, signed in or not, once the partnership publishes it (turned on below);
``tests/voice/test_open_data.py`` holds the 404 when it is off."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import everyone

OPEN = everyone(200)

ROWS: dict[str, dict[str, int]] = {
    "voice:open-responses": OPEN,
    "voice:open-responses-csv": OPEN,
    "voice:open-responses-json": OPEN,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    partnership = world["partnership"]
    partnership.open_data = True
    partnership.save(update_fields=["open_data"])
    return {}
