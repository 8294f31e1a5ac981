"""What evaluation's tests share: a source of service use registered for the test (``FakeSource``, so the
tests need no other capability), a partnership with one subject provided by the worker's organisation, a
member who used it, and helpers to give answers in bulk.

    def test_something(subject, member_who_used, fake_source): ...
    fake_source.use(member, subject, moment="completed", days_ago=3)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import Answer, Subject
from coproduce.partnerships import service_use
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.service_use import EvaluatedThing, ServiceUse, ServiceUseSource
from tests.factories import MembershipFactory, UserFactory

FAKE = "fake"


@dataclass
class FakeSource:
    """A capability's uses, kept in lists the test fills: ``things`` and ``uses`` (for every partnership)."""

    partnership_id: int
    things: list[EvaluatedThing] = field(default_factory=list)
    uses: list[ServiceUse] = field(default_factory=list)
    calls: int = 0

    def thing(
        self, name: str, *, organisation_id: int | None = None, kind: str = "service", active: bool = True, n: int = 0
    ) -> EvaluatedThing:
        """Add a thing parents may evaluate ("fake.service:<n>", n defaults to the next number)."""
        number = n or len(self.things) + 1
        made = EvaluatedThing(
            key=f"{FAKE}.service:{number}", kind=kind, name=name, organisation_id=organisation_id, active=active
        )
        self.things = [t for t in self.things if t.key != made.key] + [made]
        return made

    def use(
        self,
        who: Membership,
        subject: Subject | str,
        *,
        moment: str = "completed",
        days_ago: float = 1,
        at: dt.datetime | None = None,
    ) -> ServiceUse:
        """Record that ``who`` used ``subject`` (a Subject or a thing key) ``days_ago`` days ago."""
        key = subject.source_key if isinstance(subject, Subject) else subject
        made = ServiceUse(
            key=f"{FAKE}.use:{len(self.uses) + 1}",
            user_id=who.user_id,
            thing_key=key,
            moment=moment,
            happened_at=at or timezone.now() - dt.timedelta(days=days_ago),
        )
        self.uses.append(made)
        return made

    def source(self) -> ServiceUseSource:
        def things(partnership_id: int) -> list[EvaluatedThing]:
            self.calls += 1
            return list(self.things) if partnership_id == self.partnership_id else []

        def recent(partnership_id: int, since: dt.datetime) -> list[ServiceUse]:
            self.calls += 1
            if partnership_id != self.partnership_id:
                return []
            return [u for u in self.uses if u.happened_at >= since]

        def for_person(partnership_id: int, user_id: int) -> list[ServiceUse]:
            self.calls += 1
            if partnership_id != self.partnership_id:
                return []
            mine = [u for u in self.uses if u.user_id == user_id]
            return sorted(mine, key=lambda u: u.happened_at, reverse=True)

        return ServiceUseSource(key=FAKE, things=things, recent=recent, for_person=for_person)


@pytest.fixture
def fake_source(partnership: Partnership) -> Iterator[FakeSource]:
    """A source of service use registered for this test only (the registry is put back afterwards)."""
    before = dict(service_use._SOURCES)
    fake = FakeSource(partnership_id=partnership.pk)
    service_use.register_service_use_source(fake.source())
    yield fake
    service_use._SOURCES.clear()
    service_use._SOURCES.update(before)


def make_subject(
    partnership: Partnership,
    name: str = "Money advice drop-in",
    *,
    organisation: Any = None,
    fake: FakeSource | None = None,
    active: bool = True,
) -> Subject:
    """A subject as ``subjects_sync`` would make it; also a thing of ``fake`` when given (same key)."""
    number = Subject.objects.filter(partnership=partnership).count() + 1
    key = f"{FAKE}.service:{number}"
    organisation_id = organisation.pk if organisation is not None else None
    if fake is not None:
        fake.thing(name, organisation_id=organisation_id, active=active, n=number)
    return Subject.objects.create(
        partnership=partnership,
        kind=Subject.Kind.SERVICE,
        source_key=key,
        name=name,
        organisation_id=organisation_id,
        active=active,
    )


@pytest.fixture
def subject(partnership: Partnership, worker: Membership, fake_source: FakeSource) -> Subject:
    """A service provided by the ``worker``'s organisation, known to ``fake_source``."""
    return make_subject(partnership, organisation=worker.organisation, fake=fake_source)


@pytest.fixture
def member_who_used(member: Membership, subject: Subject, fake_source: FakeSource) -> Membership:
    """``member``, who had a referral to ``subject`` completed three days ago."""
    fake_source.use(member, subject, moment="completed", days_ago=3)
    return member


def scores(value: int | None = 4, **overrides: int | None) -> dict[str, int | None]:
    """All six statements scored ``value`` unless overridden: ``scores(4, respect=5)``."""
    given: dict[str, int | None] = dict.fromkeys(STATEMENT_KEYS, value)
    given.update(overrides)
    return given


def members(partnership: Partnership, n: int) -> list[Membership]:
    return [MembershipFactory(partnership=partnership, is_member=True, user=UserFactory()) for _ in range(n)]


def give_answers(
    subject: Subject,
    n: int,
    *,
    period: dt.date | None = None,
    mode: str = Answer.Mode.ONLINE,
    score: int | None = 4,
    **overrides: int | None,
) -> list[Answer]:
    """``n`` answers about ``subject`` in ``period`` (default this month), straight into the table (no users,
    no free text): for figures and results. Paper answers get form numbers."""
    period = (period or timezone.localdate()).replace(day=1)
    start = Answer.objects.filter(partnership_id=subject.partnership_id).count()
    rows = [
        Answer(
            partnership_id=subject.partnership_id,
            subject=subject,
            period=period,
            mode=mode,
            paper_ref=f"T-{start + i + 1}" if mode == Answer.Mode.PAPER else "",
            **scores(score, **overrides),
        )
        for i in range(n)
    ]
    return Answer.objects.bulk_create(rows)
