"""Answers counted once under real concurrency on PostgreSQL: the same form sent from two tabs at the same
moment (and from many), each thread on its own connection. One answer; the others are told it was given."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from coproduce.evaluation import services
from coproduce.evaluation.models import Answer, Offer, Remark
from coproduce.partnerships.models import Membership
from tests.evaluation.conftest import FakeSource, make_subject, scores
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.learning.test_concurrency import fresh, run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency is tested on PostgreSQL (SQLite: one writer)"
    ),
]


@pytest.fixture
def world() -> Any:
    from coproduce.partnerships import service_use

    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    fake = FakeSource(partnership_id=partnership.pk)
    before = dict(service_use._SOURCES)
    service_use.register_service_use_source(fake.source())
    subject = make_subject(partnership, organisation=worker.organisation, fake=fake)
    yield partnership, subject, fake
    service_use._SOURCES.clear()
    service_use._SOURCES.update(before)


def answer(person: Membership, subject_id: int, words: str) -> Any:
    return lambda: services.answer_give(actor=fresh(person), subject_id=subject_id, scores=scores(4), keep=words)


@pytest.mark.parametrize("tabs", [2, 12])
def test_the_same_answer_sent_at_once_is_counted_once(world: Any, tabs: int) -> None:
    partnership, subject, fake = world
    member = MembershipFactory(partnership=partnership, is_member=True)
    fake.use(member, subject)
    results = run_together([answer(member, subject.pk, f"tab {i}") for i in range(tabs)], threads=tabs)
    saved = [r for r in results if isinstance(r, Answer)]
    refused = [r for r in results if isinstance(r, services.AlreadyAnswered)]
    assert len(saved) == 1, results
    assert len(refused) == tabs - 1, results
    assert all(subject.name in r.message for r in refused)
    assert Answer.objects.filter(user=member.user).count() == 1
    assert Remark.objects.count() == 1  # the loser's words were not saved half-way


def test_many_people_at_once_each_counted(world: Any) -> None:
    partnership, subject, fake = world
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(10)]
    for person in people:
        fake.use(person, subject)
    jobs = [answer(person, subject.pk, "x") for person in people for _twice in range(2)]
    results = run_together(jobs, threads=20)
    assert sum(isinstance(r, Answer) for r in results) == 10, results
    assert Answer.objects.count() == 10


def test_two_offer_runs_at_once_offer_once(world: Any) -> None:
    partnership, subject, fake = world
    other = make_subject(partnership, "Second", fake=fake)
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(5)]
    for person in people:
        fake.use(person, subject, days_ago=3)
        fake.use(person, other, days_ago=2)
    results = run_together([lambda: services.offers_make() for _ in range(4)], threads=4)
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 5
    assert Offer.objects.count() == 5
    assert set(Offer.objects.values_list("subject_id", flat=True)) == {subject.pk}
