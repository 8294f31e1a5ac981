"""A claim is paid once even if approved twice at the same moment: real threads on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from coproduce.fund.models import Spending
from coproduce.learning.models import Claim
from coproduce.learning.services import pay
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.learning.pay_support import attend, fund_money, make_event, rates
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def test_two_coordinators_approving_one_claim_at_once_make_one_ledger_entry() -> None:
    partnership = PartnershipFactory()
    first, second = (staff_membership(partnership, role="coordinator") for _ in range(2))
    member = MembershipFactory(partnership=partnership, is_member=True)
    fund_money(partnership)
    rates(partnership)
    event = make_event(partnership)
    attend(event, member)
    claim = pay.claim_make(actor=member, event=event, time_choice="cash", travel_pence=3_00)

    def approve(actor: object) -> object:
        return pay.claim_approve(actor=actor, claim=Claim.objects.get(pk=claim.pk))  # type: ignore[arg-type]

    results = run_at_once([lambda a=a: approve(a) for a in (first, second, first, second)])
    assert all(isinstance(r, Claim) for r in results), results
    assert Spending.objects.count() == 1
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.spending_id == Spending.objects.get().pk


def test_one_parent_sending_her_claim_from_two_tabs_at_once_makes_one_claim() -> None:
    partnership = PartnershipFactory()
    member = MembershipFactory(partnership=partnership, is_member=True)
    rates(partnership)
    event = make_event(partnership)
    attend(event, member)
    results = run_at_once([lambda: pay.claim_make(actor=member, event=event, time_choice="cash")] * 4)
    assert sum(isinstance(r, Claim) for r in results) == 1
    assert Claim.objects.count() == 1
