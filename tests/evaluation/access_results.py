"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file): evaluation (results).

In the world below the worker's organisation provides a service with six answers this month, whose quarter's
review is released (so its staff see it); one answer has a comment waiting to be checked, and the service has
a question of the partnership's own. The partner lead is staff of another organisation: she sees the overview
(narrowed to her organisation's services, none here) but not this service. The member is not on the parents'
panel, so she sees no results."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.test_url_access import POST_ONLY, only

RESULTS = only("worker", "partner_lead", "coordinator")
COORDINATORS = only("coordinator")

ROWS: dict[str, dict[str, int]] = {
    "evaluation:results": RESULTS,
    "evaluation:subject-results": only("worker", "coordinator"),
    "evaluation:results-csv": COORDINATORS,
    # Starting a test of change is a POST; whether this person may is decided with the service in hand.
    "evaluation:start-test": POST_ONLY,
    "evaluation:questions": COORDINATORS,
    "evaluation:question-retire": {**COORDINATORS, "coordinator": 405},
    "evaluation:moderation": COORDINATORS,
    "evaluation:remark": COORDINATORS,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.evaluation.instrument import STATEMENT_KEYS
    from coproduce.evaluation.models import Answer, Question, Remark, Review, Subject
    from tests.factories import UserFactory

    people = world["people"]
    partnership = world["partnership"]
    subject = Subject.objects.create(
        partnership=partnership,
        kind=Subject.Kind.SERVICE,
        source_key="access.service:1",
        name="Riverside money advice",
        organisation_id=people["worker"].organisation_id,
    )
    period = timezone.localdate().replace(day=1)
    answers = [
        Answer.objects.create(
            partnership=partnership,
            subject=subject,
            period=period,
            user=UserFactory(),
            **dict.fromkeys(STATEMENT_KEYS, 4),
        )
        for _ in range(6)
    ]
    remark = Remark.objects.create(answer=answers[0], kind=Remark.Kind.KEEP, text="Call me on 07700 900123")
    question = Question.objects.create(subject=subject, text="Was the room easy to find?", position=1)
    quarter_start = period.replace(month=(period.month - 1) // 3 * 3 + 1)
    now = timezone.now()
    Review.objects.create(
        subject=subject,
        quarter_start=quarter_start,
        opened_at=now - timedelta(days=2),
        panel_until=now - timedelta(days=1),
        released_at=now - timedelta(days=1),
    )
    by_subject = {"subject_id": subject.pk}
    return {
        "evaluation:subject-results": by_subject,
        "evaluation:start-test": by_subject,
        "evaluation:questions": by_subject,
        "evaluation:question-retire": {"question_id": question.pk},
        "evaluation:remark": {"remark_id": remark.pk},
    }
