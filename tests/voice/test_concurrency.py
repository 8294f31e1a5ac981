"""Supports under real concurrency on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from coproduce.partnerships.models import Membership
from coproduce.voice import services
from coproduce.voice.models import Idea, Support
from tests.factories import MembershipFactory, PartnershipFactory
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def _support(membership_id: int, idea_id: int, support: bool | None = True) -> Any:
    return lambda: services.support_toggle(
        actor=Membership.objects.select_related("user").get(pk=membership_id),
        idea=Idea.objects.get(pk=idea_id),
        support=support,
    )


def test_one_person_supporting_twice_at_the_same_moment_leaves_one_support() -> None:
    partnership = PartnershipFactory()
    author = MembershipFactory(partnership=partnership)
    idea = services.idea_create(actor=author, title="T", body="B")
    person = MembershipFactory(partnership=partnership)
    results = run_at_once([_support(person.pk, idea.pk)] * 6)
    assert results == [True] * 6
    idea.refresh_from_db()
    assert Support.objects.filter(idea=idea).count() == 1
    assert idea.support_count == 1


def test_n_people_times_m_submissions_leave_exactly_n_supports() -> None:
    partnership = PartnershipFactory()
    author = MembershipFactory(partnership=partnership)
    idea = services.idea_create(actor=author, title="T", body="B")
    people = [MembershipFactory(partnership=partnership) for _ in range(5)]
    results = run_at_once([_support(p.pk, idea.pk) for p in people for _ in range(3)])
    assert all(r is True for r in results), results
    idea.refresh_from_db()
    assert Support.objects.filter(idea=idea).count() == 5
    assert idea.support_count == 5


def test_flipping_toggles_at_once_keep_the_counter_equal_to_the_rows() -> None:
    partnership = PartnershipFactory()
    author = MembershipFactory(partnership=partnership)
    idea = services.idea_create(actor=author, title="T", body="B")
    people = [MembershipFactory(partnership=partnership) for _ in range(4)]
    run_at_once([_support(p.pk, idea.pk, None) for p in people for _ in range(3)])
    idea.refresh_from_db()
    assert idea.support_count == Support.objects.filter(idea=idea).count()
