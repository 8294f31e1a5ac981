"""The flexible money's pages and services: the coordinator sets up the pot and its categories (every change
audited; bad input gives a clear message and saves nothing), staff declare their own interests, and the
ledger shows barrier payments by category and month without any group of fewer than 5."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEvent
from coproduce.fund import selectors
from coproduce.fund.models import BarrierCategory, FlexiblePot, InterestDeclaration, PotCommitment, Spending
from coproduce.fund.services import flexible
from coproduce.partnerships.audit_wording import audit_entries
from tests.conftest import signed_in
from tests.factories import staff_membership
from tests.fund.helpers import add_money, make_pot

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"fund:{name}", kwargs={"slug": partnership.slug, **kwargs})


def html(response: Any) -> str:
    return response.content.decode()


POT = {
    "starts_on": "2026-04-01",
    "ends_on": "2027-03-31",
    "set_aside": "5,000",
    "keyworker_limit": "150",
    "coordinator_limit": "500",
    "yearly_cap": "1000",
}


class TestPotSettings:
    def test_a_coordinator_sets_up_the_pot_and_it_is_held_out_of_the_fund(self, coordinator: Any) -> None:
        add_money(coordinator.partnership, 8_000)
        client = signed_in(coordinator.user)
        response = client.post(url("pot-new", coordinator.partnership), POT)
        assert response.status_code == 302
        pot = FlexiblePot.objects.get()
        assert (pot.set_aside_pence, pot.keyworker_limit_pence, pot.coordinator_limit_pence, pot.yearly_cap_pence) == (
            5_000_00,
            150_00,
            500_00,
            1_000_00,
        )
        assert selectors.ledger_totals(coordinator.partnership_id)["available"] == 3_000_00
        page = html(client.get(response["Location"]))
        assert "£5,000" in page and "£150" in page and "£1,000" in page
        event = AuditEvent.objects.get(action="fund.pot_created")
        sentence = audit_entries([event], partnership_id=coordinator.partnership_id)[0].sentence
        assert sentence.endswith("set up the flexible money for 2026/27.")

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"set_aside": "-5"}, "more than £0"),
            ({"set_aside": "0"}, "more than £0"),
            ({"set_aside": "9000"}, "does not have that much"),
            ({"keyworker_limit": "600"}, "cannot be more than a coordinator"),
            ({"ends_on": "2026-03-01"}, "must end after it starts"),
            ({"yearly_cap": "lots"}, "more than £0"),
        ],
    )
    def test_bad_settings_are_refused_with_a_message(
        self, coordinator: Any, change: dict[str, str], message: str
    ) -> None:
        add_money(coordinator.partnership, 8_000)
        response = signed_in(coordinator.user).post(url("pot-new", coordinator.partnership), {**POT, **change})
        assert response.status_code == 200
        assert message in html(response)
        assert (
            not FlexiblePot.objects.exists() and not AuditEvent.objects.filter(action__startswith="fund.pot").exists()
        )

    def test_a_second_pot_for_the_same_year_is_refused(self, coordinator: Any) -> None:
        make_pot(coordinator.partnership, money=10_000, on=date(2026, 12, 1))
        response = signed_in(coordinator.user).post(url("pot-new", coordinator.partnership), POT)
        assert "already a flexible pot" in html(response)
        assert FlexiblePot.objects.count() == 1

    def test_a_change_is_audited_with_before_and_after_and_never_below_what_is_promised(self, coordinator: Any) -> None:
        pot = make_pot(coordinator.partnership, set_aside=1_000, money=2_000)
        with transaction.atomic():
            flexible.pot_commit(pot_id=pot.pk, amount_pence=400_00, category="travel", source_key="support.barrier:1")
        client = signed_in(coordinator.user)
        dates = {"starts_on": pot.starts_on.isoformat(), "ends_on": pot.ends_on.isoformat()}
        refused = client.post(
            url("pot-edit", coordinator.partnership, pot_id=pot.pk), {**POT, **dates, "set_aside": "399"}
        )
        assert "already promised more than that" in html(refused)
        refused = client.post(
            url("pot-edit", coordinator.partnership, pot_id=pot.pk), {**POT, **dates, "set_aside": "2001"}
        )
        assert "does not have that much more" in html(refused)
        done = client.post(
            url("pot-edit", coordinator.partnership, pot_id=pot.pk),
            {**POT, **dates, "set_aside": "400", "keyworker_limit": "100"},
        )
        assert done.status_code == 302
        pot.refresh_from_db()
        assert (pot.set_aside_pence, pot.keyworker_limit_pence) == (400_00, 100_00)
        event = AuditEvent.objects.get(action="fund.pot_changed")
        assert event.detail["changes"]["set_aside_pence"] == [1_000_00, 400_00]
        assert event.detail["changes"]["keyworker_limit_pence"] == [150_00, 100_00]
        assert "coordinator_limit_pence" not in event.detail["changes"]

    def test_only_coordinators_manage_the_pot(self, worker: Any, member: Any, partner_lead: Any, outsider: Any) -> None:
        pot = make_pot(worker.partnership)
        for person in (worker, member, partner_lead):
            client = signed_in(person.user)
            assert client.post(url("pot-new", worker.partnership), POT).status_code == 404
            assert client.post(url("pot-edit", worker.partnership, pot_id=pot.pk), POT).status_code == 404
            assert client.post(url("category-new", worker.partnership, pot_id=pot.pk), {"name": "X"}).status_code == 404
        other = staff_membership(outsider.partnership, role="coordinator")
        # Another partnership's coordinator: the pot is out of reach (404), even through her own partnership's address.
        client = signed_in(other.user)
        assert client.post(url("pot-edit", outsider.partnership, pot_id=pot.pk), POT).status_code == 404
        assert client.post(url("category-new", outsider.partnership, pot_id=pot.pk), {"name": "X"}).status_code == 404
        category = BarrierCategory.objects.filter(pot=pot).first()
        assert category is not None
        response = client.post(url("category-edit", outsider.partnership, category_id=category.pk), {"name": "Y"})
        assert response.status_code == 404
        pot.refresh_from_db()
        assert pot.set_aside_pence == 5_000_00 and BarrierCategory.objects.filter(name__in=["X", "Y"]).count() == 0


class TestCategories:
    def test_a_coordinator_adds_changes_and_retires_a_category(self, coordinator: Any) -> None:
        pot = make_pot(coordinator.partnership, categories=())
        client = signed_in(coordinator.user)
        response = client.post(
            url("category-new", coordinator.partnership, pot_id=pot.pk),
            {"name": "Work clothes", "examples": "Interview clothes, safety boots"},
        )
        assert response.status_code == 302
        category = BarrierCategory.objects.get()
        assert (category.slug, category.active) == ("work-clothes", True)
        duplicate = client.post(url("category-new", coordinator.partnership, pot_id=pot.pk), {"name": "Work Clothes"})
        assert "already has a category called that" in html(duplicate)
        empty = client.post(url("category-new", coordinator.partnership, pot_id=pot.pk), {"name": "  "})
        assert "Give the category a name" in html(empty)
        response = client.post(
            url("category-edit", coordinator.partnership, category_id=category.pk),
            {"name": "Clothes for work", "examples": "Interview clothes"},  # "active" unticked: retired
        )
        assert response.status_code == 302
        category.refresh_from_db()
        assert (category.slug, category.name, category.active) == ("work-clothes", "Clothes for work", False)
        page = html(client.get(url("flexible", coordinator.partnership)))
        assert "Clothes for work" in page and "Retired" in page
        actions = list(
            AuditEvent.objects.filter(action__startswith="fund.").order_by("id").values_list("action", flat=True)
        )
        assert actions == ["fund.pot_category_added", "fund.pot_category_changed"]


class TestInterests:
    def test_staff_declare_and_withdraw_their_own_and_coordinators_see_everyones(
        self, worker: Any, coordinator: Any, member: Any
    ) -> None:
        client = signed_in(worker.user)
        response = client.post(url("interests", worker.partnership), {"supplier": "Mill Street  Nursery"})
        assert response.status_code == 302
        declaration = InterestDeclaration.objects.get()
        assert (declaration.membership_id, declaration.supplier_key) == (worker.pk, "mill street nursery")
        assert "Mill Street" in html(client.get(url("interests", worker.partnership)))
        # Another staff member sees only their own.
        other = staff_membership(worker.partnership)
        assert "Mill Street" not in html(signed_in(other.user).get(url("interests", worker.partnership)))
        # Nobody withdraws another's declaration; a member has no page at all.
        withdraw = url("interest-withdraw", worker.partnership, declaration_id=declaration.pk)
        assert signed_in(other.user).post(withdraw).status_code == 404
        assert signed_in(coordinator.user).post(withdraw).status_code == 404
        assert signed_in(member.user).post(withdraw).status_code == 404
        assert signed_in(member.user).post(url("interests", worker.partnership), {"supplier": "X"}).status_code == 404
        declaration.refresh_from_db()
        assert declaration.withdrawn_at is None
        assert client.post(withdraw).status_code == 302
        declaration.refresh_from_db()
        assert declaration.withdrawn_at is not None
        actions = list(
            AuditEvent.objects.filter(action__startswith="fund.").order_by("id").values_list("action", flat=True)
        )
        assert actions == ["fund.interest_declared", "fund.interest_withdrawn"]

    def test_the_coordinator_sees_everyones_declarations(self, worker: Any, coordinator: Any) -> None:
        flexible.interest_declare(actor=worker, supplier="Mill Street Nursery")
        page = html(signed_in(coordinator.user).get(url("interests", coordinator.partnership)))
        assert "Mill Street Nursery" in page and worker.user.display_name in page

    def test_a_blank_supplier_is_refused(self, worker: Any) -> None:
        response = signed_in(worker.user).post(url("interests", worker.partnership), {"supplier": " "})
        assert response.status_code == 200 and "Name the supplier" in html(response)
        assert not InterestDeclaration.objects.exists()


def _paid(pot: FlexiblePot, actor: Any, category: str, on: date, n: int, pence: int = 10_00) -> None:
    """``n`` barrier payments of ``pence`` in ``category`` paid on ``on``."""
    for _ in range(n):
        key = f"support.barrier:{Spending.objects.count() + PotCommitment.objects.count()}-{category}-{on}"
        with transaction.atomic():
            flexible.pot_commit(pot_id=pot.pk, amount_pence=pence, category=category, source_key=key)
            flexible.barrier_payment_record(
                actor=actor,
                amount_pence=pence,
                category=category,
                method="voucher",
                reference="",
                paid_on=on,
                source_key=key,
            )


def _shown_counts(years: list[dict[str, Any]]) -> list[int]:
    counts = [row["count"] for year in years for month in year["months"] for row in month["rows"]]
    counts += [year["other"]["count"] for year in years if year["other"]]
    return counts


class TestLedgerAggregates:
    @pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
    def test_one_category_in_one_month_is_shown_only_with_5_or_more(self, coordinator: Any, n: int) -> None:
        today = timezone.localdate()
        pot = make_pot(coordinator.partnership)
        _paid(pot, coordinator, "travel", today, n)
        years = selectors.barrier_spending_by_month(coordinator.partnership_id)
        assert len(years) == 1
        if n < 5:
            assert years[0]["small"] and _shown_counts(years) == []
        else:
            assert not years[0]["small"]
            assert years[0]["months"][0]["rows"] == [{"label": "Travel", "count": n, "total": n * 10_00}]
        page = html(signed_in(coordinator.user).get(url("ledger", coordinator.partnership)))
        assert ("fewer than 5 payments, not shown separately" in page) == (n < 5)
        assert ("Travel" in page) == (n >= 5)

    @pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
    def test_small_categories_are_merged_into_other_categories_then_into_the_year(
        self, coordinator: Any, n: int
    ) -> None:
        pot = make_pot(coordinator.partnership, money=10_000)
        this_month = timezone.localdate().replace(day=1)
        _paid(pot, coordinator, "travel", this_month, 6)
        _paid(pot, coordinator, "childcare", this_month, n, pence=20_00)
        years = selectors.barrier_spending_by_month(coordinator.partnership_id)
        counts = _shown_counts(years)
        assert all(count >= 5 for count in counts)  # never a group of fewer than 5
        assert sum(counts) == 6 + n  # and nothing lost
        labels = {row["label"] for year in years for month in year["months"] for row in month["rows"]}
        assert ("Childcare" in labels) == (n >= 5)
        totals = [row["total"] for year in years for month in year["months"] for row in month["rows"]]
        totals += [year["other"]["total"] for year in years if year["other"]]
        assert sum(totals) == 6 * 10_00 + n * 20_00

    def test_small_months_are_merged_into_the_year(self, coordinator: Any) -> None:
        pot = make_pot(coordinator.partnership, money=10_000)
        start = pot.starts_on
        _paid(pot, coordinator, "travel", start, 5)
        _paid(pot, coordinator, "travel", start + timedelta(days=31), 3)
        _paid(pot, coordinator, "clothes", start + timedelta(days=62), 2)
        years = selectors.barrier_spending_by_month(coordinator.partnership_id)
        assert [row["count"] for month in years[0]["months"] for row in month["rows"]] == [5]
        assert years[0]["other"] == {"count": 5, "total": 5 * 10_00}
        page = html(signed_in(coordinator.user).get(url("ledger", coordinator.partnership)))
        assert "Other months" in page

    def test_a_year_with_one_small_leftover_takes_in_the_smallest_group(self, coordinator: Any) -> None:
        pot = make_pot(coordinator.partnership, money=10_000)
        start = pot.starts_on
        _paid(pot, coordinator, "travel", start, 6)
        _paid(pot, coordinator, "travel", start + timedelta(days=31), 5)
        _paid(pot, coordinator, "clothes", start + timedelta(days=62), 1)
        years = selectors.barrier_spending_by_month(coordinator.partnership_id)
        counts = _shown_counts(years)
        assert all(count >= 5 for count in counts) and sum(counts) == 12
        assert years[0]["other"]["count"] == 6  # the single payment and the smallest group shown (5)

    def test_the_ledger_never_names_the_person_who_recorded_or_received_it(self, coordinator: Any, worker: Any) -> None:
        pot = make_pot(coordinator.partnership)
        _paid(pot, worker, "travel", timezone.localdate(), 5)
        page = html(signed_in(coordinator.user).get(url("ledger", coordinator.partnership)))
        assert worker.user.display_name not in page
        assert "Paid from the flexible money" in page


def test_the_database_keeps_the_pots_rules(coordinator: Any) -> None:
    pot = make_pot(coordinator.partnership)
    base = {"partnership": coordinator.partnership, "set_aside_pence": 100}
    for bad in (
        {"starts_on": date(2030, 4, 1), "ends_on": date(2030, 3, 1)},
        {"starts_on": date(2031, 4, 1), "ends_on": date(2032, 3, 31), "set_aside_pence": 0},
        {"starts_on": date(2033, 4, 1), "ends_on": date(2034, 3, 31), "keyworker_limit_pence": 60_000},
        {"starts_on": date(2035, 4, 1), "ends_on": date(2036, 3, 31), "yearly_cap_pence": -1},
        {"starts_on": pot.starts_on, "ends_on": pot.ends_on},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            FlexiblePot.objects.create(**{**base, **bad})
    with pytest.raises(IntegrityError), transaction.atomic():
        BarrierCategory.objects.create(pot=pot, slug="travel", name="Again")
    with pytest.raises(IntegrityError), transaction.atomic():
        PotCommitment.objects.create(pot=pot, source_key="k", amount_pence=0, category="travel")
    PotCommitment.objects.create(pot=pot, source_key="k", amount_pence=1, category="travel")
    with pytest.raises(IntegrityError), transaction.atomic():
        PotCommitment.objects.create(pot=pot, source_key="k", amount_pence=1, category="travel")
    with pytest.raises(IntegrityError), transaction.atomic():
        Spending.objects.create(
            partnership=coordinator.partnership, category="holiday", amount_pence=1, description="x", source_key="s"
        )
