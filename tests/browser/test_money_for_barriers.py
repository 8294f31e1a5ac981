"""A parent, on her phone, asks for money for a barrier from an action in her plan, sees it in her plan,
and agrees to one her keyworker asked for; her keyworker approves one within the limit and marks it paid; a
coordinator sees the queue. axe-core checks every page state."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.support.models import BarrierRequest
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.support.money import ask, money_world

pytestmark = pytest.mark.browser


def choose(page: Page, name: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_a_parent_asks_sees_and_agrees_on_her_phone(new_page: PageFactory) -> None:
    world: dict[str, Any] = money_world()
    slug = world["partnership"].slug
    plan = world["plan"]
    asked_by_keyworker = ask(world, 60_00, who="keyworker", category="clothes", what_for="Interview clothes")

    aisha = new_page("phone")
    sign_in_session(aisha, world["people"]["member"].user)
    aisha.goto(reverse("support:plan", kwargs={"slug": slug, "plan_id": plan.pk}))
    aisha.get_by_role("link", name="Money for barriers: ask, and see requests").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Money for barriers")
    expect(aisha.get_by_text("Waiting for the member to agree")).to_be_visible()
    expect(aisha.get_by_role("heading", name="Payments and your benefits")).to_be_visible()
    assert_accessible(aisha, "her money page, with a request to agree to")

    # She asks: first with a slip (nothing in the amount), then right.
    aisha.get_by_label("Which action in the plan is it for").select_option(label="Start the college course in January")
    choose(aisha, "Travel (Bus pass for the first month of a new job)")
    aisha.get_by_label("What the money is for").fill("Bus pass for the first month")
    aisha.get_by_role("button", name="Ask").click()
    expect(aisha.get_by_text("Enter how much is needed.").first).to_be_visible()
    assert_accessible(aisha, "the ask form with an error")
    aisha.get_by_label("How much, in pounds").fill("84")
    aisha.get_by_role("button", name="Ask").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Request for money")
    expect(aisha.get_by_text("Waiting for approval")).to_be_visible()
    assert_accessible(aisha, "her own request, waiting for approval")

    # She agrees to the one her keyworker asked for.
    aisha.goto(reverse("support:barrier", kwargs={"slug": slug, "request_id": asked_by_keyworker.pk}))
    expect(aisha.get_by_role("heading", name="Do you agree?")).to_be_visible()
    assert_accessible(aisha, "a request to agree to")
    aisha.get_by_role("button", name="I agree").click()
    expect(aisha.get_by_text("Agreed. It now waits for approval.")).to_be_visible()
    assert BarrierRequest.objects.get(pk=asked_by_keyworker.pk).status == "agreed"

    # Her keyworker approves within the limit and marks it paid.
    jamie = new_page("phone")
    sign_in_session(jamie, world["people"]["keyworker"].user)
    jamie.goto(reverse("support:barrier", kwargs={"slug": slug, "request_id": asked_by_keyworker.pk}))
    assert_accessible(jamie, "the keyworker's view of a request")
    jamie.get_by_role("button", name="Approve").click()
    expect(jamie.get_by_role("heading", name="Mark it paid")).to_be_visible()
    choose(jamie, "Paid to the supplier")
    jamie.get_by_label("Receipt number or reference").fill("RCPT-204")
    jamie.get_by_role("button", name="Mark paid").click()
    expect(jamie.get_by_text("Marked paid. It is in the fund's ledger.")).to_be_visible()
    assert_accessible(jamie, "a paid request")

    # A coordinator sees what waits, on a phone too.
    waiting = ask(world, 320_00, category="learning", what_for="Laptop for the course")
    morag = new_page("phone")
    sign_in_session(morag, world["people"]["coordinator"].user)
    morag.goto(reverse("support:barrier-queue", kwargs={"slug": slug}))
    morag.get_by_role("link", name="Laptop for the course").click()
    expect(morag.get_by_role("button", name="Approve")).to_be_visible()
    assert_accessible(morag, "the coordinator's decision page")
    assert waiting.pk
    morag.goto(reverse("support:barrier-outcomes", kwargs={"slug": slug}))
    assert_accessible(morag, "what the money achieved")
