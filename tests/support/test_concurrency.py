"""Real concurrency on PostgreSQL: two people editing at once never overwrite each other, and a referral
moved by several people at once takes exactly one step."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from coproduce.core.exceptions import ServiceError
from coproduce.support import services
from coproduce.support.models import Referral, ReferralUpdate, SupportPlan
from tests.partnerships.test_concurrency import run_at_once
from tests.support.world import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def test_six_edits_from_the_same_version_at_once_save_exactly_one() -> None:
    world = build_world()
    plan = SupportPlan.objects.get(pk=world["plan"].pk)
    version = plan.version
    people = [world["people"]["member"], world["people"]["keyworker"]] * 3

    def edit(index: int, person: Any) -> Any:
        def run() -> Any:
            return services.about_update(
                actor=person, plan=SupportPlan.objects.get(pk=plan.pk), version=version, wants=f"edit {index}"
            )

        return run

    results = run_at_once([edit(i, p) for i, p in enumerate(people)])
    saved = [r for r in results if isinstance(r, SupportPlan)]
    refused = [r for r in results if isinstance(r, ServiceError) and r.code == "stale"]
    assert len(saved) == 1 and len(refused) == 5, results
    plan.refresh_from_db()
    assert plan.version == version + 1 and plan.wants == saved[0].wants


def test_a_referral_accepted_and_declined_at_once_takes_one_step() -> None:
    world = build_world()
    receiver = world["people"]["shared_worker"]
    referral_id = world["referral"].pk

    def move(status: str) -> Any:
        def run() -> Any:
            return services.referral_move(
                actor=receiver,
                referral=Referral.objects.get(pk=referral_id),
                status=status,
                reason="Full" if status == "declined" else "",
            )

        return run

    results = run_at_once([move("accepted"), move("declined"), move("accepted"), move("declined")])
    moved = [r for r in results if isinstance(r, Referral)]
    assert len(moved) == 1, results
    assert all(isinstance(r, (Referral, ServiceError)) for r in results), results
    final = Referral.objects.get(pk=referral_id)
    assert final.status == moved[0].status
    assert ReferralUpdate.objects.filter(referral_id=referral_id).count() == 2  # sent + one step
