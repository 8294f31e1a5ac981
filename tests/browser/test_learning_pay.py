"""A parent claims for her time and costs on a phone after a paid co-design workshop she came to, and gets her
private calendar link; a coordinator sets the rates, refuses nothing and approves her claim; the payment shows
in the fund's ledger and on her payments page. axe-core checks every page state at the phone and desktop sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.fund.models import Spending
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.learning.pay_support import attend, fund_money, make_event, rates

pytestmark = pytest.mark.browser


def choose(page: Page, name: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_a_parent_claims_on_her_phone_and_a_coordinator_approves(
    new_page: PageFactory, partnership: Any, member: Any, coordinator: Any
) -> None:
    slug = partnership.slug
    member.user.display_name = "Aisha"
    member.user.save()
    fund_money(partnership)
    rates(partnership, hourly=15_00, ceiling=50_00)
    workshop = make_event(partnership, title="Co-design: the evening drop-in", hours=2)
    attend(workshop, member)

    # The coordinator looks at the rates first.
    boss = new_page("desktop")
    sign_in_session(boss, coordinator.user)
    boss.goto(reverse("learning:pay-settings", kwargs={"slug": slug}))
    expect(boss.get_by_role("heading", level=1)).to_have_text("Paid time and expenses")
    expect(boss.get_by_label("Hourly rate for co-design time, in pounds")).to_have_value("15")
    assert_accessible(boss, "the rates")

    # Aisha, on her phone, claims: first with a slip (a minus sign), then right.
    aisha = new_page("phone")
    sign_in_session(aisha, member.user)
    aisha.goto(reverse("partnerships:home", kwargs={"slug": slug}))
    expect(aisha.get_by_role("heading", name="Claim for your time")).to_be_visible()
    assert_accessible(aisha, "home, with a paid event to claim for")
    aisha.get_by_role("link", name="Co-design: the evening drop-in").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Claim for your time and costs")
    assert_accessible(aisha, "the claim form")
    choose(aisha, "Cash (paid to me)")
    aisha.get_by_label("Travel costs, in pounds").fill("-4.80")
    send = aisha.get_by_role("button", name="Send my claim")
    expect(send).to_be_visible()
    send.click()
    expect(aisha.locator(".ds_error-summary")).to_contain_text("The amount cannot be less than £0.")
    assert_accessible(aisha, "a claim with a negative amount")
    aisha.get_by_label("Travel costs, in pounds").fill("4.80")
    aisha.get_by_label("Childcare costs, in pounds").fill("12")
    aisha.get_by_role("button", name="Send my claim").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Your payments")
    expect(aisha.get_by_text("Your claim is sent.")).to_be_visible()
    expect(aisha.get_by_text("£46.80 is waiting for approval.")).to_be_visible()
    expect(aisha.get_by_role("heading", name="Payments and your benefits")).to_be_visible()
    assert_accessible(aisha, "her payments, a claim waiting")

    # Her calendar link, made once and shown once.
    aisha.goto(reverse("learning:calendar", kwargs={"slug": slug}))
    assert_accessible(aisha, "the calendar page")
    aisha.get_by_role("button", name="Get my calendar link").click()
    link = aisha.get_by_label("Calendar link").input_value()
    assert f"/p/{slug}/learning/calendar/" in link and link.endswith(".ics")
    assert_accessible(aisha, "the calendar link, shown once")

    # The coordinator approves it.
    boss.goto(reverse("learning:claims", kwargs={"slug": slug}))
    assert_accessible(boss, "claims waiting")
    boss.get_by_role("link", name="Co-design: the evening drop-in").click()
    assert_accessible(boss, "one claim")
    boss.get_by_role("button", name="Approve and pay £46.80 from the fund").click()
    expect(boss.get_by_text("The claim is approved and the payment is in the fund's ledger.")).to_be_visible()
    expect(boss.get_by_text("No claims are waiting.")).to_be_visible()
    assert_accessible(boss, "claims, one decided")
    assert Spending.objects.get().amount_pence == 46_80
    boss.goto(reverse("fund:ledger", kwargs={"slug": slug}))
    expect(boss.locator("#participation")).to_be_visible()
    expect(boss.get_by_role("table", name="Payments for parents' time")).to_contain_text("£46.80")
    assert_accessible(boss, "the ledger with a participation payment")

    aisha.goto(reverse("learning:my-payments", kwargs={"slug": slug}))
    expect(aisha.get_by_text("You have been paid £46.80 in this tax year")).to_be_visible()
    assert_accessible(aisha, "her payments, a claim paid")
