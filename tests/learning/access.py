"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world below the worker's organisation hosts an event for everyone, in two days' time; the member has a
place. Organisers are the coordinator and the worker (staff of the host); the partner lead is staff of another
organisation, so she may set up events of her own but not organise this one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.test_url_access import PARTNERSHIP_PAGE, TAKING_PART_PAGE, only

STAFF = only("worker", "partner_lead", "coordinator")
ORGANISERS = only("worker", "coordinator")

ROWS: dict[str, dict[str, int]] = {
    "learning:events": PARTNERSHIP_PAGE,
    "learning:event": PARTNERSHIP_PAGE,
    "learning:event-new": STAFF,
    "learning:series-new": STAFF,
    "learning:event-edit": ORGANISERS,
    "learning:event-cancel": ORGANISERS,
    "learning:event-card": ORGANISERS,  # a card for a noticeboard
    # Members and staff register for an event meant for everyone; observers only read. The member, already
    # registered, sees the same form to change what would help her come.
    "learning:register": TAKING_PART_PAGE,
    # Her own place, so no id: the member (registered) is asked to confirm; the others, with no place, are sent
    # back to the event.
    "learning:registration-cancel": {
        **PARTNERSHIP_PAGE,
        **dict.fromkeys(["observer", "worker", "partner_lead", "coordinator"], 302),
    },
    "learning:needs": ORGANISERS,
    "learning:attendance": ORGANISERS,
    "learning:hours": STAFF,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An event hosted by the worker's organisation, with the member registered."""
    from coproduce.learning import services

    people = world["people"]
    starts = timezone.now() + timedelta(days=2)
    event = services.event_create(
        actor=people["worker"],
        fields=services.EventFields(
            kind="learning",
            title="Learning together: what helps parents into work",
            place="Riverside Family Centre",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=12,
            host=people["worker"].organisation,
        ),
    )
    services.registration_make(actor=people["member"], event=event, needs=None)
    section_pages = {"learning:events", "learning:event-new", "learning:series-new", "learning:hours"}
    return {name: {"event_id": event.pk} for name in ROWS if name not in section_pages}
