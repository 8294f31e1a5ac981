"""The paid-time pages as every role: the parent's claim form and her payments, the coordinator's rates, claims
list and decision, and the fund's ledger showing the payment in aggregate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.fund.models import Spending
from coproduce.learning.models import Claim, PaySettings
from coproduce.partnerships.models import Membership
from tests.conftest import signed_in
from tests.learning.pay_support import attend, fund_money, make_event, rates

pytestmark = pytest.mark.django_db


def url(membership: Membership, name: str, **kwargs: int) -> str:
    return reverse(f"learning:{name}", kwargs={"slug": membership.partnership.slug, **kwargs})


@pytest.fixture
def attended(member: Membership) -> object:
    rates(member.partnership, hourly=15_00)
    event = make_event(member.partnership, title="Co-design: the new drop-in", hours=2)
    attend(event, member)
    return event


class TestClaimPage:
    def test_she_claims_and_sees_it_waiting(self, member: Membership, attended: object) -> None:
        client = signed_in(member.user)
        page = client.get(url(member, "claim-new", event_id=attended.pk))  # type: ignore[attr-defined]
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
        assert "£15 an hour" in page.content.decode()
        response = client.post(
            url(member, "claim-new", event_id=attended.pk),  # type: ignore[attr-defined]
            {"time_choice": "cash", "travel": "4.50", "childcare": "", "receipt_reference": "BUS-1"},
        )
        assert response.status_code == 302 and response["Location"] == url(member, "my-payments")
        claim = Claim.objects.get()
        assert (claim.time_pence, claim.travel_pence, claim.childcare_pence) == (30_00, 4_50, 0)
        mine = client.get(url(member, "my-payments")).content.decode()
        assert "Waiting for approval" in mine and "£34.50 is waiting" in mine

    @pytest.mark.parametrize(
        ("posted", "message"),
        [
            ({"time_choice": "cash", "travel": "-3"}, "cannot be less than £0"),
            ({"time_choice": "cash", "travel": "9000"}, "The most you can claim for one cost is £50"),
            ({"time_choice": "cash", "childcare": "lots"}, "Enter an amount in pounds and pence"),
            ({"travel": "3"}, "Choose cash, a voucher or nothing"),
        ],
    )
    def test_bad_input_is_shown_next_to_the_field(
        self, member: Membership, attended: object, posted: dict[str, str], message: str
    ) -> None:
        response = signed_in(member.user).post(url(member, "claim-new", event_id=attended.pk), posted)  # type: ignore[attr-defined]
        body = response.content.decode()
        assert response.status_code == 200
        assert message in body and "There is a problem" in body and "<title>Error:" in body
        assert not Claim.objects.exists()

    def test_a_second_claim_goes_to_her_payments(self, member: Membership, attended: object) -> None:
        client = signed_in(member.user)
        data = {"time_choice": "voucher"}
        client.post(url(member, "claim-new", event_id=attended.pk), data)  # type: ignore[attr-defined]
        again = client.post(url(member, "claim-new", event_id=attended.pk), data)  # type: ignore[attr-defined]
        assert again.status_code == 302 and Claim.objects.count() == 1

    def test_not_attended_says_so(self, member: Membership) -> None:
        rates(member.partnership)
        event = make_event(member.partnership)
        response = signed_in(member.user).post(url(member, "claim-new", event_id=event.pk), {"time_choice": "cash"})
        assert "register does not show you" in response.content.decode()
        assert not Claim.objects.exists()

    def test_an_event_without_paid_time_has_no_claim_page(self, member: Membership) -> None:
        event = make_event(member.partnership, paid_time=False)
        assert signed_in(member.user).get(url(member, "claim-new", event_id=event.pk)).status_code == 404

    @pytest.mark.parametrize("role", ["coordinator", "worker", "partner_lead", "observer"])
    def test_only_members_claim(self, request: pytest.FixtureRequest, attended: object, role: str) -> None:
        person = request.getfixturevalue(role)
        response = signed_in(person.user).post(url(person, "claim-new", event_id=attended.pk), {"time_choice": "cash"})  # type: ignore[attr-defined]
        assert response.status_code == 404 and not Claim.objects.exists()


class TestDecisionPages:
    def _claim(self, member: Membership, event: object) -> Claim:
        from coproduce.learning.services import pay

        return pay.claim_make(actor=member, event=event, time_choice="cash", travel_pence=5_00)  # type: ignore[arg-type]

    def test_coordinator_approves_and_the_ledger_shows_it_without_names(
        self, member: Membership, coordinator: Membership, attended: object
    ) -> None:
        fund_money(member.partnership)
        claim = self._claim(member, attended)
        client = signed_in(coordinator.user)
        listing = client.get(url(coordinator, "claims")).content.decode()
        assert member.user.display_name in listing and "£35" in listing
        page = client.get(url(coordinator, "claim", claim_id=claim.pk)).content.decode()
        assert "Approve and pay £35 from the fund" in page
        response = client.post(url(coordinator, "claim-approve", claim_id=claim.pk))
        assert response.status_code == 302
        assert Spending.objects.get().amount_pence == 35_00
        ledger = signed_in(member.user).get(reverse("fund:ledger", kwargs={"slug": member.partnership.slug}))
        text = ledger.content.decode()
        assert "Paid to parents for their time and costs" in text and "£35" in text
        assert member.user.display_name not in text

    def test_refusing_needs_a_reason(self, member: Membership, coordinator: Membership, attended: object) -> None:
        claim = self._claim(member, attended)
        client = signed_in(coordinator.user)
        empty = client.post(url(coordinator, "claim-refuse", claim_id=claim.pk), {"reason": ""})
        assert empty.status_code == 200 and "Say why the claim is refused" in empty.content.decode()
        done = client.post(url(coordinator, "claim-refuse", claim_id=claim.pk), {"reason": "Paid by the college."})
        assert done.status_code == 302
        claim.refresh_from_db()
        assert claim.status == "refused"
        mine = signed_in(member.user).get(url(member, "my-payments")).content.decode()
        assert "Paid by the college." in mine

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators_decide(
        self, request: pytest.FixtureRequest, member: Membership, attended: object, role: str
    ) -> None:
        fund_money(member.partnership)
        claim = self._claim(member, attended)
        person = request.getfixturevalue(role)
        client = signed_in(person.user)
        assert client.post(url(person, "claim-approve", claim_id=claim.pk)).status_code == 404
        assert client.post(url(person, "claim-refuse", claim_id=claim.pk), {"reason": "x"}).status_code == 404
        claim.refresh_from_db()
        assert claim.status == "waiting"

    def test_coordinator_sets_the_rates(self, coordinator: Membership) -> None:
        client = signed_in(coordinator.user)
        bad = client.post(url(coordinator, "pay-settings"), {"hourly_rate": "500", "expense_ceiling": "50"})
        assert "The hourly rate can be at most £100" in bad.content.decode()
        ok = client.post(
            url(coordinator, "pay-settings"),
            {"hourly_rate": "15", "covers_travel": "on", "expense_ceiling": "40"},
        )
        assert ok.status_code == 302
        saved = PaySettings.objects.get(partnership=coordinator.partnership)
        assert (saved.hourly_rate_pence, saved.covers_travel, saved.covers_childcare) == (15_00, True, False)
        assert saved.expense_ceiling_pence == 40_00


class TestMyPayments:
    def test_the_benefits_note_points_to_money_advice(self, member: Membership) -> None:
        from coproduce.support.models import NeedTag, Service
        from tests.factories import OrganisationFactory

        tag = NeedTag.objects.create(partnership=member.partnership, key="money", name="Money and benefits")
        service = Service.objects.create(
            partnership=member.partnership,
            organisation=OrganisationFactory(partnership=member.partnership),
            name="Benefits check-up",
            description="Free, confidential advice.",
        )
        service.needs.add(tag)
        body = signed_in(member.user).get(url(member, "my-payments")).content.decode()
        assert "may change what you get from Universal Credit" in body
        assert "Benefits check-up" in body
        assert reverse("support:service", kwargs={"slug": member.partnership.slug, "service_id": service.pk}) in body

    def test_without_money_advice_it_links_to_the_directory(self, member: Membership) -> None:
        body = signed_in(member.user).get(url(member, "my-payments")).content.decode()
        assert reverse("support:directory", kwargs={"slug": member.partnership.slug}) in body


class TestHomeSection:
    def test_a_member_sees_the_events_she_can_claim_for_until_she_claims(
        self, member: Membership, attended: object
    ) -> None:
        from coproduce.learning.services import pay

        home = reverse("partnerships:home", kwargs={"slug": member.partnership.slug})
        client = signed_in(member.user)
        page = client.get(home).content.decode()
        assert "Claim for your time" in page
        assert url(member, "claim-new", event_id=attended.pk) in page  # type: ignore[attr-defined]
        pay.claim_make(actor=member, event=attended, time_choice="cash")  # type: ignore[arg-type]
        assert url(member, "claim-new", event_id=attended.pk) not in client.get(home).content.decode()  # type: ignore[attr-defined]

    def test_staff_do_not_see_it(self, coordinator: Membership, attended: object) -> None:
        attend(attended, coordinator)  # type: ignore[arg-type]
        home = reverse("partnerships:home", kwargs={"slug": coordinator.partnership.slug})
        assert "Claim for your time" not in signed_in(coordinator.user).get(home).content.decode()


def test_a_coordinators_home_counts_the_claims_waiting(member: Membership, coordinator: Membership) -> None:
    from coproduce.learning.services import pay

    rates(member.partnership)
    event = make_event(member.partnership)
    attend(event, member)
    pay.claim_make(actor=member, event=event, time_choice="cash")
    page = signed_in(coordinator.user).get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug}))
    text = page.content.decode()
    assert "1 claim for paid time or expenses to approve" in text
    assert url(coordinator, "claims") in text
