"""What the parents' panel's tests share: a subject, answers in a month, a review in a given state."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from coproduce.evaluation.models import Answer, PanelMember, Review, Subject
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, UserFactory


def make_subject(partnership: Any, organisation: Any = None, name: str = "Job club") -> Subject:
    return Subject.objects.create(
        partnership=partnership,
        kind=Subject.Kind.SERVICE,
        source_key=f"test.service:{Subject.objects.count() + 1}",
        name=name,
        organisation=organisation,
    )


def make_answers(subject: Subject, period: date, n: int, *, score: int | None = 4) -> list[Answer]:
    """``n`` paper answers (no person) about ``subject`` in the month ``period``, every statement ``score``."""
    first = Answer.objects.count()
    return [
        Answer.objects.create(
            partnership=subject.partnership,
            subject=subject,
            period=period,
            mode=Answer.Mode.PAPER,
            paper_ref=f"T-{first + i}",
            listened=score,
            had_say=score,
            respect=score,
            fitted=score,
            needed=score,
            control=score,
        )
        for i in range(n)
    ]


def make_review(
    subject: Subject,
    *,
    quarter_start: date = date(2026, 7, 1),
    opened_at: datetime | None = None,
    open_for: timedelta = timedelta(days=7),
    released: bool = False,
) -> Review:
    """A review the panel is still reading (``open_for`` from ``opened_at``, now by default), or one already
    released to the service."""
    opened = opened_at or timezone.now()
    return Review.objects.create(
        subject=subject,
        quarter_start=quarter_start,
        opened_at=opened,
        panel_until=opened + open_for,
        released_at=opened if released else None,
    )


def panel_member(partnership: Any, name: str = "") -> Membership:
    membership = MembershipFactory(partnership=partnership, is_member=True, user=UserFactory())
    if name:
        membership.user.display_name = name
        membership.user.save()
    PanelMember.objects.create(partnership=partnership, user=membership.user)
    return membership
