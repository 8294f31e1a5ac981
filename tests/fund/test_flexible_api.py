"""The flexible pot through fund.api: the pot covering a day, commitments within what is left and once per
source, releases, barrier payments in the ledger (counted once), declared interests."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import api, selectors
from coproduce.fund.models import BarrierCategory, PotCommitment, Spending
from coproduce.fund.services import flexible
from coproduce.partnerships.models import Membership
from tests.factories import staff_membership
from tests.fund.helpers import make_pot

pytestmark = pytest.mark.django_db


def _commit(pot_id: int, pence: int, key: str, category: str = "travel") -> None:
    with transaction.atomic():
        api.pot_commit(pot_id=pot_id, amount_pence=pence, category=category, source_key=key)


def _pay(actor: Membership, key: str, pence: int, **kwargs: object) -> int:
    fields = {
        "amount_pence": pence,
        "category": "travel",
        "method": "voucher",
        "reference": "V-1",
        "paid_on": timezone.localdate(),
        "source_key": key,
        **kwargs,
    }
    with transaction.atomic():
        return api.barrier_payment_record(actor=actor, **fields)  # type: ignore[arg-type]


def test_the_pot_covering_a_day_with_its_active_categories(coordinator: Membership) -> None:
    pot = make_pot(coordinator.partnership)
    BarrierCategory.objects.filter(pot=pot, slug="other").update(active=False)
    view = api.flexible_pot(coordinator.partnership_id)
    assert view is not None and view.id == pot.pk
    assert (view.set_aside_pence, view.committed_pence, view.remaining_pence) == (5_000_00, 0, 5_000_00)
    assert (view.keyworker_limit_pence, view.coordinator_limit_pence, view.yearly_cap_pence) == (
        150_00,
        500_00,
        1_000_00,
    )
    assert {c.slug for c in view.categories} == {"travel", "childcare", "clothes", "learning"}
    assert api.flexible_pot(coordinator.partnership_id, on=pot.ends_on + timedelta(days=1)) is None
    assert api.flexible_pot(coordinator.partnership_id, on=pot.starts_on) is not None
    with transaction.atomic():
        locked = api.flexible_pot_locked(coordinator.partnership_id)
    assert locked == view


def test_no_pot_for_another_partnership(coordinator: Membership, outsider: Membership) -> None:
    make_pot(coordinator.partnership)
    assert api.flexible_pot(outsider.partnership_id) is None


def test_commitments_are_within_what_is_left_and_once_per_source(coordinator: Membership) -> None:
    pot = make_pot(coordinator.partnership, set_aside=200)
    _commit(pot.pk, 150_00, "support.barrier:1")
    _commit(pot.pk, 150_00, "support.barrier:1")  # again: nothing more
    view = api.flexible_pot(coordinator.partnership_id)
    assert view is not None and (view.committed_pence, view.remaining_pence) == (150_00, 50_00)
    with pytest.raises(ServiceError, match="has £50 left"):
        _commit(pot.pk, 50_01, "support.barrier:2")
    _commit(pot.pk, 50_00, "support.barrier:3")
    assert PotCommitment.objects.count() == 2


@pytest.mark.parametrize("pence", [0, -5, 1.5, True, None])
def test_commitments_of_no_money_are_refused(coordinator: Membership, pence: object) -> None:
    pot = make_pot(coordinator.partnership)
    with pytest.raises(ServiceError):
        _commit(pot.pk, pence, "support.barrier:1")  # type: ignore[arg-type]
    assert not PotCommitment.objects.exists()


def test_a_category_the_pot_does_not_pay_for_is_refused(coordinator: Membership) -> None:
    pot = make_pot(coordinator.partnership)
    BarrierCategory.objects.filter(pot=pot, slug="other").update(active=False)
    for category in ("holidays", "other"):
        with pytest.raises(ServiceError, match="does not pay for that"):
            _commit(pot.pk, 10_00, f"support.barrier:{category}", category=category)
    assert not PotCommitment.objects.exists()


def test_a_release_gives_the_money_back_once_and_never_after_payment(coordinator: Membership) -> None:
    pot = make_pot(coordinator.partnership, set_aside=100)
    _commit(pot.pk, 100_00, "support.barrier:1")
    api.pot_release(source_key="support.barrier:1")
    api.pot_release(source_key="support.barrier:1")
    api.pot_release(source_key="support.barrier:never")
    view = api.flexible_pot(coordinator.partnership_id)
    assert view is not None and view.remaining_pence == 100_00
    _commit(pot.pk, 60_00, "support.barrier:2")
    _pay(coordinator, "support.barrier:2", 60_00)
    with pytest.raises(ServiceError, match="cannot be given back"):
        api.pot_release(source_key="support.barrier:2")


def test_a_barrier_payment_is_in_the_ledger_once_without_a_name(coordinator: Membership, worker: Membership) -> None:
    pot = make_pot(coordinator.partnership, set_aside=1_000, money=3_000)
    totals = selectors.ledger_totals(coordinator.partnership_id)
    assert totals["held_by_pots"] == 1_000_00 and totals["available"] == 2_000_00
    _commit(pot.pk, 84_00, "support.barrier:7")
    # A promise changes nothing in the fund: the pot holds the money either way.
    assert selectors.ledger_totals(coordinator.partnership_id)["available"] == 2_000_00
    first = _pay(worker, "support.barrier:7", 84_00)
    again = _pay(coordinator, "support.barrier:7", 84_00)
    assert first == again and Spending.objects.count() == 1
    spending = Spending.objects.get()
    assert (spending.category, spending.subcategory, spending.amount_pence) == ("barrier", "travel", 84_00)
    assert spending.description == "Barrier payment: Travel (Voucher)"
    assert worker.user.display_name not in spending.description
    totals = selectors.ledger_totals(coordinator.partnership_id)
    assert totals["barrier"] == 84_00 and totals["participation"] == 0
    assert totals["held_by_pots"] == 1_000_00 - 84_00
    assert totals["available"] == 2_000_00  # counted once: out of the pot, not out of the fund again
    assert totals["cash_in_hand"] == 3_000_00 - 84_00


def test_a_payment_needs_an_approval_and_no_more_than_it(coordinator: Membership) -> None:
    pot = make_pot(coordinator.partnership)
    with pytest.raises(ServiceError, match="must be approved first"):
        _pay(coordinator, "support.barrier:1", 10_00)
    _commit(pot.pk, 50_00, "support.barrier:1")
    with pytest.raises(ServiceError, match="more than was approved"):
        _pay(coordinator, "support.barrier:1", 50_01)
    with pytest.raises(ServiceError, match="category"):
        _pay(coordinator, "support.barrier:1", 50_00, category="clothes")
    with pytest.raises(ServiceError, match="future"):
        _pay(coordinator, "support.barrier:1", 50_00, paid_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ServiceError, match="how it was paid"):
        _pay(coordinator, "support.barrier:1", 50_00, method="bitcoin")
    assert not Spending.objects.exists()
    _pay(coordinator, "support.barrier:1", 45_00)  # cheaper than approved: the rest goes back to the pot
    view = api.flexible_pot(coordinator.partnership_id)
    assert view is not None and view.committed_pence == 45_00


def test_a_released_promise_cannot_be_paid(coordinator: Membership) -> None:
    pot = make_pot(coordinator.partnership)
    _commit(pot.pk, 50_00, "support.barrier:1")
    api.pot_release(source_key="support.barrier:1")
    with pytest.raises(ServiceError, match="must be approved first"):
        _pay(coordinator, "support.barrier:1", 50_00)


def test_only_keyworkers_and_coordinators_record_payments(
    coordinator: Membership, member: Membership, partner_lead: Membership, observer: Membership
) -> None:
    pot = make_pot(coordinator.partnership)
    _commit(pot.pk, 50_00, "support.barrier:1")
    for actor in (member, partner_lead, observer):
        with pytest.raises(NotPermitted):
            _pay(actor, "support.barrier:1", 50_00)
    assert not Spending.objects.exists()


def test_another_partnerships_promise_cannot_be_paid(coordinator: Membership, outsider: Membership) -> None:
    pot = make_pot(coordinator.partnership)
    _commit(pot.pk, 50_00, "support.barrier:1")
    other = staff_membership(outsider.partnership)
    with pytest.raises(ServiceError, match="must be approved first"):
        _pay(other, "support.barrier:1", 50_00)


def test_an_ended_pot_holds_only_what_it_promised_and_has_not_paid(coordinator: Membership) -> None:
    last_year = timezone.localdate() - timedelta(days=400)
    pot = make_pot(coordinator.partnership, set_aside=1_000, money=2_000, on=last_year)
    _commit(pot.pk, 100_00, "support.barrier:1")
    _commit(pot.pk, 30_00, "support.barrier:2")
    _pay(coordinator, "support.barrier:2", 30_00, paid_on=pot.ends_on)
    totals = selectors.ledger_totals(coordinator.partnership_id)
    assert totals["held_by_pots"] == 100_00
    assert totals["available"] == 2_000_00 - 100_00 - 30_00


def test_declared_interests_match_however_the_name_is_typed(worker: Membership, coordinator: Membership) -> None:
    flexible.interest_declare(actor=worker, supplier="Smith's  Shoes ")
    assert api.has_declared_interest(membership_id=worker.pk, supplier="smith's shoes")
    assert api.has_declared_interest(membership_id=worker.pk, supplier="SMITH'S\tSHOES")
    assert not api.has_declared_interest(membership_id=worker.pk, supplier="Smith's Boots")
    assert not api.has_declared_interest(membership_id=coordinator.pk, supplier="Smith's Shoes")
    assert not api.has_declared_interest(membership_id=worker.pk, supplier="  ")
    declaration = flexible.interest_declare(actor=worker, supplier="smith's shoes")  # the same one again
    flexible.interest_withdraw(actor=worker, declaration=declaration)
    assert not api.has_declared_interest(membership_id=worker.pk, supplier="Smith's Shoes")


def test_the_year_runs_april_to_march() -> None:
    assert flexible.year_for(date(2026, 12, 7)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert flexible.year_for(date(2027, 3, 31)) == (date(2026, 4, 1), date(2027, 3, 31))
    assert flexible.year_for(date(2027, 4, 1)) == (date(2027, 4, 1), date(2028, 3, 31))
