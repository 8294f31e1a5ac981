"""Answers and closing under real concurrency on PostgreSQL: one answer per person however many arrive at
once, no answer after closing, one close."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from coproduce.core.exceptions import ServiceError
from coproduce.decisions import services
from coproduce.decisions.models import Decision, Participation
from coproduce.partnerships.models import Membership
from tests.decisions.conftest import raise_decision
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) and real concurrent transactions need PostgreSQL; SQLite locks the "
        "whole database",
    ),
]


def _actor(membership_id: int) -> Membership:
    return Membership.objects.select_related("user", "partnership").get(pk=membership_id)


def _answer(membership_id: int, decision_id: int, position: str) -> Any:
    try:
        return services.answer_give(
            actor=_actor(membership_id), decision=Decision.objects.get(pk=decision_id), position=position
        )
    except Exception as error:  # returned, for the test to count
        return error
    finally:
        connections.close_all()


def test_200_voters_answering_twice_over_10_threads_leave_exactly_200_answers() -> None:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    decision = raise_decision(worker, "yes_no")
    voters = [MembershipFactory(partnership=partnership, is_member=True).pk for _ in range(200)]
    # Each voter answers twice (a change of mind), the two answers racing each other.
    jobs = [(pk, position) for pk in voters for position in ("yes", "no")]
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda job: _answer(job[0], decision.pk, job[1]), jobs))
    errors = [r for r in results if not isinstance(r, Participation)]
    assert errors == []
    assert Participation.objects.filter(decision=decision).count() == 200
    assert Participation.objects.filter(decision=decision).values("user").distinct().count() == 200


def test_answers_arriving_while_the_decision_closes_never_land_after_it() -> None:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    decision = raise_decision(worker)
    voters = [MembershipFactory(partnership=partnership, is_member=True).pk for _ in range(12)]

    def close() -> Any:
        return services.decision_close(actor=_actor(worker.pk), decision=Decision.objects.get(pk=decision.pk))

    answers = [lambda pk=pk: _answer(pk, decision.pk, "agree") for pk in voters]
    results = run_at_once([*answers[:6], close, *answers[6:]])
    decision.refresh_from_db()
    assert decision.status == "closed" and decision.closed_at is not None
    saved = Participation.objects.filter(decision=decision)
    assert all(p.updated_at <= decision.closed_at for p in saved)
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert saved.count() + len(refused) == 12
    assert all("closed" in r.message for r in refused)


def test_closing_twice_at_once_closes_once() -> None:
    partnership = PartnershipFactory()
    coordinator = staff_membership(partnership, role="coordinator")
    worker = staff_membership(partnership, role="worker")
    decision = raise_decision(worker)

    def close(membership_id: int) -> Any:
        return lambda: services.decision_close(
            actor=_actor(membership_id), decision=Decision.objects.get(pk=decision.pk)
        )

    results = run_at_once([close(worker.pk), close(coordinator.pk)] * 3)
    assert sum(isinstance(r, Decision) for r in results) == 1, results
    assert sum(isinstance(r, ServiceError) for r in results) == 5, results
    from coproduce.core.audit import AuditEvent

    assert AuditEvent.objects.filter(action="decisions.closed", target_id=str(decision.pk)).count() == 1
