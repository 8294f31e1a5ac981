"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

Everyone in the partnership reads the board and each commitment's page (observers included); staff record
reviews on that page (a POST, tested in tests/commitments/test_views.py)."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import PARTNERSHIP_PAGE

ROWS: dict[str, dict[str, int]] = {
    "commitments:board": PARTNERSHIP_PAGE,
    "commitments:review": PARTNERSHIP_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A practice the worker entered in the stop-doing register: a commitment on the board."""
    from coproduce.improvement import services

    entry = services.stopped_create(actor=world["people"]["worker"], what="Paper sign-in", why="Nobody read it.")
    return {"commitments:review": {"source": "improvement.stopped", "object_id": entry.pk}}
