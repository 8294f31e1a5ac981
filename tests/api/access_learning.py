"""Rows of the API's access table (tests/api/test_api_access.py): events. Everyone in the partnership sees an
event for everyone; members and staff register (201) and cancel (204) with a read and write token; observers
only read, and the member's read token is refused before anything is looked at."""

from __future__ import annotations

from typing import Any

from tests.api.roles import READ, taking_part
from tests.learning.conftest import make_event

ROWS: dict[str, dict[str, int]] = {
    "learning_list_events": READ,
    "learning_get_event": READ,
    "learning_register": taking_part(201),
    # The walk registers first, so the cancellation finds the registration it made.
    "learning_cancel_registration": taking_part(204),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    event = make_event(world["people"]["worker"], audience="everyone")
    return {
        "learning_get_event": {"event_id": event.pk},
        "learning_register": {"event_id": event.pk, "json": {"travel_costs": True}},
        "learning_cancel_registration": {"event_id": event.pk},
    }
