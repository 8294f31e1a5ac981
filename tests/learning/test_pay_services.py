"""Paid time and expenses: claims after a paid-time event, their bad input, and approval into the fund's ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.audit import AuditEvent
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import selectors as fund_selectors
from coproduce.fund.models import Spending
from coproduce.learning import selectors
from coproduce.learning.models import Claim
from coproduce.learning.services import pay
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory
from tests.learning.pay_support import attend, fund_money, make_event, rates

pytestmark = pytest.mark.django_db


def _claim(member: Membership, event: object, **kwargs: object) -> Claim:
    kwargs.setdefault("time_choice", "cash")
    return pay.claim_make(actor=member, event=event, **kwargs)  # type: ignore[arg-type]


class TestClaimMake:
    def test_pays_the_rate_for_the_minutes_on_the_register(self, member: Membership) -> None:
        rates(member.partnership, hourly=15_00)
        event = make_event(member.partnership, hours=3)
        attend(event, member, minutes=150)
        claim = _claim(member, event, travel_pence=4_50, childcare_pence=12_00, receipt_reference="T-123")
        assert (claim.time_minutes, claim.time_pence) == (150, 37_50)
        assert claim.total_pence == 37_50 + 4_50 + 12_00
        assert claim.status == "waiting"
        assert AuditEvent.objects.filter(action="learning.claim_made", target_id=str(claim.pk)).exists()

    def test_nothing_for_her_time_still_claims_costs(self, member: Membership) -> None:
        rates(member.partnership)
        event = make_event(member.partnership)
        attend(event, member)
        claim = _claim(member, event, time_choice="nothing", travel_pence=3_00)
        assert (claim.time_pence, claim.total_pence) == (0, 3_00)

    def test_refused_for_an_event_she_did_not_attend(self, member: Membership) -> None:
        rates(member.partnership)
        event = make_event(member.partnership)
        with pytest.raises(ServiceError, match="register does not show you") as caught:
            _claim(member, event)
        assert caught.value.code == "not_attended"
        attend(event, member, present=False)
        with pytest.raises(ServiceError, match="register does not show you"):
            _claim(member, event)
        assert not Claim.objects.exists()

    def test_refused_before_the_event_ended(self, member: Membership) -> None:
        rates(member.partnership)
        event = make_event(member.partnership, starts=timezone.now() - dt.timedelta(hours=1), hours=2)
        attend(event, member, minutes=60)
        with pytest.raises(ServiceError, match="once the event has ended") as caught:
            _claim(member, event)
        assert caught.value.code == "not_ended"

    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [
            ("travel_pence", -1, "negative"),
            ("childcare_pence", -500, "negative"),
            ("travel_pence", 50_01, "too_much"),
            ("childcare_pence", 10**9, "too_much"),
        ],
    )
    def test_negative_or_absurd_amounts_are_refused(
        self, member: Membership, field: str, value: int, code: str
    ) -> None:
        rates(member.partnership, ceiling=50_00)
        event = make_event(member.partnership)
        attend(event, member)
        with pytest.raises(ServiceError) as caught:
            _claim(member, event, **{field: value})
        assert caught.value.code == code
        assert caught.value.field == field.removesuffix("_pence")
        assert not Claim.objects.exists()

    def test_the_ceiling_itself_is_allowed(self, member: Membership) -> None:
        rates(member.partnership, ceiling=50_00)
        event = make_event(member.partnership)
        attend(event, member)
        assert _claim(member, event, travel_pence=50_00).travel_pence == 50_00

    def test_twice_for_one_event_is_refused(self, member: Membership) -> None:
        rates(member.partnership)
        event = make_event(member.partnership)
        attend(event, member)
        _claim(member, event)
        with pytest.raises(ServiceError, match="already claimed") as caught:
            _claim(member, event, time_choice="voucher")
        assert caught.value.code == "twice"
        assert Claim.objects.count() == 1

    def test_one_claim_per_person_per_event_is_a_database_rule(self, member: Membership) -> None:
        event = make_event(member.partnership)
        Claim.objects.create(partnership=member.partnership, event=event, user=member.user, time_choice="cash")
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.create(partnership=member.partnership, event=event, user=member.user, time_choice="voucher")

    def test_absurd_amounts_are_refused_by_the_database(self, member: Membership) -> None:
        event = make_event(member.partnership)
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.create(
                partnership=member.partnership, event=event, user=member.user, time_choice="cash", travel_pence=60_000
            )

    def test_costs_the_partnership_does_not_cover(self, member: Membership) -> None:
        rates(member.partnership, covers_travel=False)
        event = make_event(member.partnership)
        attend(event, member)
        with pytest.raises(ServiceError, match="does not cover travel"):
            _claim(member, event, travel_pence=2_00)

    def test_a_claim_for_nothing_is_refused(self, member: Membership) -> None:
        rates(member.partnership)
        event = make_event(member.partnership)
        attend(event, member)
        with pytest.raises(ServiceError, match="asks for nothing"):
            _claim(member, event, time_choice="nothing")

    def test_not_for_an_event_without_paid_time(self, member: Membership) -> None:
        event = make_event(member.partnership, paid_time=False)
        attend(event, member)
        with pytest.raises(ServiceError, match="not paid time"):
            _claim(member, event)

    def test_staff_do_not_claim(self, coordinator: Membership) -> None:
        event = make_event(coordinator.partnership)
        attend(event, coordinator)
        with pytest.raises(NotPermitted):
            _claim(coordinator, event)

    def test_another_partnerships_event_is_not_found(self, member: Membership, outsider: Membership) -> None:
        event = make_event(outsider.partnership)
        with pytest.raises(NotPermitted):
            _claim(member, event)


class TestDecide:
    def _waiting(self, member: Membership) -> Claim:
        rates(member.partnership)
        event = make_event(member.partnership, title="Co-design: the new drop-in")
        attend(event, member, minutes=120)
        return _claim(member, event, travel_pence=5_00)

    def test_approval_writes_one_ledger_entry_without_her_name(
        self, member: Membership, coordinator: Membership
    ) -> None:
        fund_money(member.partnership, 100_00)
        claim = self._waiting(member)
        before = fund_selectors.ledger_totals(member.partnership_id)
        approved = pay.claim_approve(actor=coordinator, claim=claim)
        spending = Spending.objects.get()
        assert approved.status == "approved" and approved.spending_id == spending.pk
        assert (spending.amount_pence, spending.category) == (35_00, "participation")
        assert spending.source_key == f"learning.claim:{claim.pk}"
        assert member.user.display_name not in spending.description
        assert "Co-design: the new drop-in" in spending.description
        after = fund_selectors.ledger_totals(member.partnership_id)
        assert after["participation"] == 35_00
        assert after["available"] == before["available"] - 35_00
        assert Notice.objects.filter(user=member.user, kind="learning.claim_decided").exists()

    def test_approving_again_pays_once(self, member: Membership, coordinator: Membership) -> None:
        fund_money(member.partnership)
        claim = self._waiting(member)
        pay.claim_approve(actor=coordinator, claim=claim)
        pay.claim_approve(actor=coordinator, claim=claim)
        assert Spending.objects.count() == 1

    def test_not_enough_money_in_the_fund_saves_nothing(self, member: Membership, coordinator: Membership) -> None:
        fund_money(member.partnership, 10_00)
        claim = self._waiting(member)
        with pytest.raises(ServiceError, match="not have enough money"):
            pay.claim_approve(actor=coordinator, claim=claim)
        claim.refresh_from_db()
        assert claim.status == "waiting" and not Spending.objects.exists()

    def test_refusal_needs_a_reason_and_tells_her(self, member: Membership, coordinator: Membership) -> None:
        claim = self._waiting(member)
        with pytest.raises(ServiceError, match="Say why"):
            pay.claim_refuse(actor=coordinator, claim=claim, reason="  ")
        refused = pay.claim_refuse(actor=coordinator, claim=claim, reason="The bus fare was paid by the college.")
        assert refused.status == "refused"
        notice = Notice.objects.get(user=member.user, kind="learning.claim_decided")
        assert "bus fare was paid" in notice.text
        with pytest.raises(ServiceError, match="refused"):
            pay.claim_approve(actor=coordinator, claim=claim)
        assert not Spending.objects.exists()

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators_decide(self, member: Membership, role: str) -> None:
        from tests.factories import staff_membership

        claim = self._waiting(member)
        if role in {"member", "observer"}:
            other = MembershipFactory(
                partnership=member.partnership, is_member=role == "member", is_observer=role == "observer"
            )
        else:
            other = staff_membership(member.partnership, role=role)
        with pytest.raises(NotPermitted):
            pay.claim_approve(actor=other, claim=claim)
        with pytest.raises(NotPermitted):
            pay.claim_refuse(actor=other, claim=claim, reason="No")

    def test_a_coordinator_elsewhere_finds_nothing(self, member: Membership, outsider: Membership) -> None:
        from tests.factories import staff_membership

        claim = self._waiting(member)
        elsewhere = staff_membership(outsider.partnership, role="coordinator")
        with pytest.raises(NotPermitted):
            pay.claim_approve(actor=elsewhere, claim=claim)


class TestMyPayments:
    def test_the_tax_year_runs_from_6_april(self) -> None:
        assert selectors.tax_year_of(dt.date(2027, 4, 5)) == (dt.date(2026, 4, 6), dt.date(2027, 4, 5))
        assert selectors.tax_year_of(dt.date(2027, 4, 6)) == (dt.date(2027, 4, 6), dt.date(2028, 4, 5))

    def test_her_total_counts_approved_claims_of_this_tax_year_only(
        self, member: Membership, coordinator: Membership
    ) -> None:
        fund_money(member.partnership)
        rates(member.partnership, hourly=10_00)
        old, recent, waiting = (make_event(member.partnership, title=t) for t in ("Old", "Recent", "Waiting"))
        for event in (old, recent, waiting):
            attend(event, member, minutes=60)
            _claim(member, event)
        for event in (old, recent):
            pay.claim_approve(actor=coordinator, claim=Claim.objects.get(event=event))
        Claim.objects.filter(event=old).update(decided_at=timezone.now() - dt.timedelta(days=400))
        mine = selectors.my_payments(member)
        assert mine.paid_this_year_pence == 10_00
        assert mine.waiting_pence == 10_00
        assert len(mine.claims) == 3

    def test_rates_are_bounded(self, coordinator: Membership) -> None:
        with pytest.raises(ServiceError, match="at most"):
            pay.pay_settings_update(
                actor=coordinator,
                hourly_rate_pence=100_01,
                covers_travel=True,
                covers_childcare=True,
                expense_ceiling_pence=50_00,
            )
        saved = pay.pay_settings_update(
            actor=coordinator,
            hourly_rate_pence=15_00,
            covers_travel=True,
            covers_childcare=False,
            expense_ceiling_pence=40_00,
        )
        assert (saved.hourly_rate_pence, saved.covers_childcare) == (15_00, False)
