"""Participation spending: recorded through fund.api once per source, in the ledger's totals, refused when the
fund has not the money."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import api, selectors
from coproduce.fund.models import Spending
from coproduce.partnerships.models import Membership
from tests.learning.pay_support import fund_money

pytestmark = pytest.mark.django_db


def _record(actor: Membership, **kwargs: object) -> int:
    fields = {
        "amount_pence": 25_00,
        "category": api.PARTICIPATION,
        "description": "Paid time: co-design workshop",
        "reference": "",
        "source_key": "learning.claim:1",
        **kwargs,
    }
    with transaction.atomic():
        return api.spending_record(actor=actor, **fields)  # type: ignore[arg-type]


def test_the_same_source_is_recorded_once(coordinator: Membership) -> None:
    fund_money(coordinator.partnership, 100_00)
    first = _record(coordinator)
    again = _record(coordinator, amount_pence=99_00)
    assert first == again and Spending.objects.count() == 1
    totals = selectors.ledger_totals(coordinator.partnership_id)
    assert totals["participation"] == 25_00
    assert totals["available"] == 75_00 and totals["cash_in_hand"] == 75_00


def test_more_than_is_available_is_refused(coordinator: Membership) -> None:
    fund_money(coordinator.partnership, 20_00)
    with pytest.raises(ServiceError, match="not have enough money"):
        _record(coordinator)
    assert not Spending.objects.exists()


@pytest.mark.parametrize("amount", [0, -1, 1.5, True])
def test_amounts_are_positive_whole_pence(coordinator: Membership, amount: object) -> None:
    fund_money(coordinator.partnership)
    with pytest.raises(ServiceError):
        _record(coordinator, amount_pence=amount)


def test_only_coordinators_record_spending(worker: Membership, partner_lead: Membership, member: Membership) -> None:
    fund_money(worker.partnership)
    for actor in (worker, partner_lead, member):
        with pytest.raises(NotPermitted):
            _record(actor)


def test_the_database_keeps_one_entry_per_source_and_positive_amounts(coordinator: Membership) -> None:
    make = {"partnership": coordinator.partnership, "category": "participation", "description": "x"}
    Spending.objects.create(amount_pence=1, source_key="a", **make)
    with pytest.raises(IntegrityError), transaction.atomic():
        Spending.objects.create(amount_pence=1, source_key="a", **make)
    with pytest.raises(IntegrityError), transaction.atomic():
        Spending.objects.create(amount_pence=0, source_key="b", **make)
