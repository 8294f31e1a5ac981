"""Observations, decisions and agreements under real concurrency on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import services
from coproduce.improvement.models import Decision, Measure, Observation, StoppedPractice, TestOfChange
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.improvement.conftest import fields
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def _actor(membership_id: int) -> Membership:
    return Membership.objects.select_related("user", "partnership").get(pk=membership_id)


def _setting_up() -> tuple[Membership, Membership, TestOfChange, Measure]:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    member = MembershipFactory(partnership=partnership, is_member=True)
    test = services.pdsa_create(actor=worker, fields=fields(), people=[member])
    measure = services.measure_create(
        actor=worker, test=test, name="Parents", kind="outcome", unit="p", better="higher", source="s"
    )
    return worker, member, test, measure


def test_the_same_date_recorded_from_six_phones_at_once_is_saved_once() -> None:
    worker, member, _test, measure = _setting_up()
    day = timezone.localdate()

    def record(membership_id: int, value: str) -> Any:
        return lambda: services.observation_record(
            actor=_actor(membership_id), measure=Measure.objects.get(pk=measure.pk), observed_on=day, value=value
        )

    results = run_at_once([record(m.pk, str(i)) for i, m in enumerate([worker, member] * 3)])
    saved = [r for r in results if isinstance(r, Observation)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(saved) == 1 and len(refused) == 5, results
    assert Observation.objects.filter(measure=measure).count() == 1


def test_two_people_deciding_at_once_make_one_decision_and_one_register_entry() -> None:
    worker, member, test, _measure = _setting_up()
    review = timezone.localdate() + timedelta(days=30)

    def decide(membership_id: int) -> Any:
        return lambda: services.decision_record(
            actor=_actor(membership_id),
            test=TestOfChange.objects.get(pk=test.pk),
            kind="abandon",
            reasons="Nobody came.",
            review_on=review,
        )

    results = run_at_once([decide(worker.pk), decide(member.pk)] * 2)
    assert sum(isinstance(r, Decision) for r in results) == 1, results
    assert sum(isinstance(r, ServiceError) for r in results) == 3, results
    assert Decision.objects.filter(test=test).count() == 1
    assert StoppedPractice.objects.filter(test=test).count() == 1


def test_observations_moved_onto_one_date_at_once_are_moved_once() -> None:
    worker, member, _test, measure = _setting_up()
    today = timezone.localdate()
    moved = [
        services.observation_record(actor=worker, measure=measure, observed_on=today - timedelta(days=d), value="1")
        for d in (1, 2, 3, 4)
    ]
    target = today - timedelta(days=10)

    def move(membership_id: int, observation_id: int) -> Any:
        return lambda: services.observation_update(
            actor=_actor(membership_id),
            observation=Observation.objects.select_related("measure__test").get(pk=observation_id),
            observed_on=target,
            value="2",
        )

    results = run_at_once([move(m.pk, o.pk) for m, o in zip([worker, member] * 2, moved, strict=True)])
    assert sum(isinstance(r, Observation) for r in results) == 1, results
    assert sum(isinstance(r, ServiceError) and r.code == "duplicate" for r in results) == 3, results
    assert Observation.objects.filter(measure=measure, observed_on=target).count() == 1
    assert Observation.objects.filter(measure=measure).count() == 4


def test_an_observation_deleted_and_changed_at_once_is_deleted_or_changed_whole() -> None:
    worker, member, _test, measure = _setting_up()
    observation = services.observation_record(
        actor=worker, measure=measure, observed_on=timezone.localdate(), value="1"
    )
    # Each reads the observation before either writes, as two open pages would.
    for_deleting, for_changing = (Observation.objects.get(pk=observation.pk) for _ in range(2))
    deleter, changer = _actor(worker.pk), _actor(member.pk)

    def delete() -> Any:
        return services.observation_delete(actor=deleter, observation=for_deleting)

    def change() -> Any:
        return services.observation_update(
            actor=changer, observation=for_changing, observed_on=observation.observed_on, value="5"
        )

    results = run_at_once([delete, change])
    assert results[0] is None, results
    assert not Observation.objects.filter(pk=observation.pk).exists()
    # The change either came first (and was then deleted) or found the observation gone.
    assert isinstance(results[1], Observation) or (
        isinstance(results[1], ServiceError) and results[1].code == "gone"
    ), results
