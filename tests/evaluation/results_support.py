"""Answers for the results pages' tests, written straight to the tables (the pages read them; how answers are
given is tested with the answers' services): services, answers in a month, a quarter's review released."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import Answer, Review, Subject
from coproduce.partnerships.models import Partnership
from tests.factories import UserFactory


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def months_back(n: int) -> date:
    """The first day of the month ``n`` months before this one."""
    day = this_month()
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def quarter_code(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def subject(partnership: Partnership, name: str, organisation_id: int | None = None) -> Subject:
    number = Subject.objects.count() + 1
    return Subject.objects.create(
        partnership=partnership,
        kind=Subject.Kind.SERVICE,
        source_key=f"test.service:{number}",
        name=name,
        organisation_id=organisation_id,
    )


def answers(thing: Subject, n: int, *, period: date | None = None, **scores: int | None) -> list[Answer]:
    """``n`` answers about ``thing`` in ``period`` (this month), each statement 4 unless given."""
    values = {key: scores.get(key, 4) for key in STATEMENT_KEYS}
    return [
        Answer.objects.create(
            partnership=thing.partnership, subject=thing, period=period or this_month(), user=UserFactory(), **values
        )
        for _ in range(n)
    ]


def release(thing: Subject, day: date | None = None) -> Review:
    """The quarter's review of ``thing`` is over: its organisation's staff see the quarter."""
    now = timezone.now()
    return Review.objects.create(
        subject=thing,
        quarter_start=quarter_start(day or this_month()),
        opened_at=now - timedelta(days=3),
        panel_until=now - timedelta(days=1),
        released_at=now - timedelta(days=1),
    )
