"""Money for barriers under real concurrency on PostgreSQL: twenty approvals at once never take the pot below
zero, and one request approved (or marked paid) by several people at once is committed and paid once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.fund import api as fund
from coproduce.fund.models import PotCommitment, Spending
from coproduce.support import services
from coproduce.support.models import BarrierRequest
from tests.factories import MembershipFactory
from tests.partnerships.test_concurrency import run_at_once
from tests.support.money import money_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def _requests(world: dict[str, Any], count: int, amount: int) -> list[BarrierRequest]:
    """``count`` requests spread over four members' plans (so no one reaches the yearly cap)."""
    members = [world["people"]["member"]] + [
        MembershipFactory(partnership=world["partnership"], is_member=True) for _ in range(3)
    ]
    plans = [world["plan"]] + [services.plan_start(actor=member) for member in members[1:]]
    found = []
    for index in range(count):
        member, plan = members[index % len(members)], plans[index % len(plans)]
        action = services.action_create(actor=member, plan=plan, text=f"Step {index}")
        found.append(
            services.barrier_ask(
                actor=member, plan=plan, action=action, category="travel", what_for="Bus pass", amount_pence=amount
            )
        )
    return found


def test_twenty_approvals_at_once_never_take_the_pot_below_zero() -> None:
    world = money_world(set_aside=1000_00)
    requests = _requests(world, 20, 84_00)
    approvers = [world["people"]["coordinator"], world["people"]["coordinator2"]]

    def approve(index: int, request_id: int) -> Any:
        def run() -> Any:
            return services.barrier_approve(actor=approvers[index % 2], asked=BarrierRequest.objects.get(pk=request_id))

        return run

    results = run_at_once([approve(i, r.pk) for i, r in enumerate(requests)])
    approved = [r for r in results if isinstance(r, BarrierRequest)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(approved) + len(refused) == 20, results
    assert len(approved) == 1000_00 // 84_00  # 11 fit; the others are told the pot has too little left
    assert all(r.code == "over_pot" for r in refused), [r.message for r in refused]
    pot = fund.flexible_pot(world["partnership"].pk)
    assert pot is not None and pot.remaining_pence == 1000_00 - 11 * 84_00 >= 0
    keys = list(PotCommitment.objects.values_list("source_key", flat=True))
    assert len(keys) == len(set(keys)) == 11
    assert BarrierRequest.objects.filter(status="approved").count() == 11


def test_one_request_approved_and_paid_by_several_at_once_is_committed_and_paid_once() -> None:
    world = money_world()
    request = _requests(world, 1, 84_00)[0]
    people = [world["people"]["keyworker"], world["people"]["coordinator"], world["people"]["coordinator2"]] * 2

    def approve(person: Any) -> Any:
        return lambda: services.barrier_approve(actor=person, asked=BarrierRequest.objects.get(pk=request.pk))

    results = run_at_once([approve(p) for p in people])
    assert sum(isinstance(r, BarrierRequest) for r in results) == 1, results
    assert PotCommitment.objects.filter(source_key=f"support.barrier:{request.pk}").count() == 1

    def pay(person: Any) -> Any:
        return lambda: services.barrier_mark_paid(
            actor=person,
            asked=BarrierRequest.objects.get(pk=request.pk),
            method="voucher",
            paid_on=timezone.localdate(),
            reference="V-1",
        )

    results = run_at_once([pay(p) for p in people])
    assert sum(isinstance(r, BarrierRequest) for r in results) == 1, results
    assert Spending.objects.filter(category="barrier").count() == 1
    pot = fund.flexible_pot(world["partnership"].pk)
    assert pot is not None and pot.remaining_pence == pot.set_aside_pence - 84_00
