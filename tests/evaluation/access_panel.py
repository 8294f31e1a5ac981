"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file): evaluation (panel).

In the world below the worker's organisation provides a service whose last quarter's review the parents'
panel has finished with (released to the service). The member is not on the panel; the partner lead is staff
of another organisation. So the review is for the worker (to respond) and the coordinator; everyone else gets
the same 404 as for a page that does not exist."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from tests.test_url_access import PARTNERSHIP_PAGE, only

ROWS: dict[str, dict[str, int]] = {
    # What the panel is for, for everyone in the partnership; members join here; the list of reviews for those
    # who may see them.
    "evaluation:panel": PARTNERSHIP_PAGE,
    "evaluation:review": only("worker", "coordinator"),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.evaluation.models import Review, Subject

    people = world["people"]
    subject = Subject.objects.create(
        partnership=world["partnership"],
        kind=Subject.Kind.SERVICE,
        source_key="access.panel:1",
        name="Riverside job club",
        organisation_id=people["worker"].organisation_id,
    )
    now = timezone.now()
    review = Review.objects.create(
        subject=subject,
        quarter_start=date(2026, 4, 1),
        opened_at=now - timedelta(days=8),
        panel_until=now - timedelta(days=1),
        released_at=now - timedelta(days=1),
    )
    return {"evaluation:review": {"review_id": review.pk}}
