"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file): evaluation (health).

In the world below the coordinator opened a health check today; nobody has answered it yet. Everyone in the
partnership sees the list and the results page (which says the results come once it has closed); members and
staff give their view, observers only read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.test_url_access import PARTNERSHIP_PAGE, TAKING_PART_PAGE

ROWS: dict[str, dict[str, int]] = {
    "evaluation:health": PARTNERSHIP_PAGE,
    "evaluation:health-answer": TAKING_PART_PAGE,
    "evaluation:health-results": PARTNERSHIP_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A health check open from today for two weeks."""
    from coproduce.evaluation.services.health import health_check_open

    today = timezone.localdate()
    check = health_check_open(
        actor=world["people"]["coordinator"],
        title="Partnership health check, spring 2027",
        opens_on=today,
        closes_on=today + timedelta(days=14),
    )
    return {name: {"check_id": check.pk} for name in ("evaluation:health-answer", "evaluation:health-results")}
