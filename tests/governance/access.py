"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

Everyone in the partnership reads the agreement; only coordinators change it. In the world below the member
holds the member seat and declared the interest, so the member (and coordinators) may change that interest."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.test_url_access import COORDINATOR_PAGE, PARTNERSHIP_PAGE, TAKING_PART_PAGE, only

ROWS: dict[str, dict[str, int]] = {
    "governance:agreement": PARTNERSHIP_PAGE,
    "governance:terms-new": COORDINATOR_PAGE,
    "governance:terms-version": PARTNERSHIP_PAGE,
    "governance:group-new": COORDINATOR_PAGE,
    "governance:group-edit": COORDINATOR_PAGE,
    "governance:seat-new": COORDINATOR_PAGE,
    "governance:seat": PARTNERSHIP_PAGE,
    "governance:seat-edit": COORDINATOR_PAGE,
    "governance:seat-appoint": COORDINATOR_PAGE,
    "governance:seat-retire": COORDINATOR_PAGE,
    "governance:holding-end": COORDINATOR_PAGE,
    "governance:rule-edit": COORDINATOR_PAGE,
    "governance:interest-new": TAKING_PART_PAGE,
    "governance:interest-edit": only("member", "coordinator"),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.governance import services

    people = world["people"]
    coordinator = people["coordinator"]
    version = services.terms_publish(actor=coordinator, text="# Our purpose\n\nTo work together.", change_note="First")
    group = services.group_create(actor=coordinator, name="Steering group")
    seat = services.seat_create(actor=coordinator, group=group, title="Parent representative", kind="member")
    holding = services.seat_appoint(
        actor=coordinator, seat=seat, membership=people["member"], term_starts_on=timezone.localdate()
    )
    interest = services.interest_declare(
        actor=people["member"], what="My sister works at the nursery", starts_on=timezone.localdate()
    )
    on_group = {"group_id": group.pk}
    on_seat = {"seat_id": seat.pk}
    return {
        "governance:terms-version": {"number": version.number},
        "governance:group-edit": on_group,
        "governance:seat-new": on_group,
        "governance:seat": on_seat,
        "governance:seat-edit": on_seat,
        "governance:seat-appoint": on_seat,
        "governance:seat-retire": on_seat,
        "governance:holding-end": {"holding_id": holding.pk},
        "governance:rule-edit": {"kind": "fund"},
        "governance:interest-edit": {"interest_id": interest.pk},
    }
