"""The learning pages joined up: the links a person can see, at a phone's width, with and without JavaScript.
A parent who came to a paid workshop sees "Add to your calendar" and "Claim for your time and costs" on the
event's page (then "Your claim" once she has claimed), and her calendar link, payments and the learning log on
the events list; a coordinator sees the claims to approve and the learning hours; the learning log leads back
to events."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from coproduce.learning.services import pay as pay_services
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.learning.pay_support import attend, make_event, rates

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360


def seen(page: Page, name: str) -> Locator:
    """The link called ``name``: visible, and inside the phone's width (nothing to scroll sideways to find)."""
    link = page.get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, (name, box)
    return link


def not_there(page: Page, name: str) -> None:
    expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_parent_finds_her_calendar_claim_and_payments_on_her_phone(
    new_page: PageFactory, partnership: Any, member: Any, javascript: bool
) -> None:
    slug = partnership.slug
    rates(partnership)
    workshop = make_event(partnership, title="Co-design: the evening drop-in")
    attend(workshop, member)
    upcoming = make_event(partnership, title="Peer group", starts=workshop.starts_at.replace(year=2999))

    aisha = new_page("phone", javascript=javascript)
    sign_in_session(aisha, member.user)
    aisha.goto(reverse("learning:events", kwargs={"slug": slug}))
    for name in ("Your calendar link", "Your payments", "Learning log"):
        seen(aisha, name)
    not_there(aisha, "Claims to approve")
    not_there(aisha, "Learning hours")
    assert_accessible(aisha, "events, with the parent's links")

    # An event still to come: a calendar file, nothing to claim yet.
    aisha.goto(reverse("learning:event", kwargs={"slug": slug, "event_id": upcoming.pk}))
    seen(aisha, "Add to your calendar")
    not_there(aisha, "Claim for your time and costs")

    # The paid workshop she came to: she claims from its page.
    aisha.goto(reverse("learning:event", kwargs={"slug": slug, "event_id": workshop.pk}))
    seen(aisha, "Add to your calendar")
    not_there(aisha, "Your claim")
    assert_accessible(aisha, "a paid event she came to, with the claim link")
    seen(aisha, "Claim for your time and costs").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Claim for your time and costs")
    pay_services.claim_make(
        actor=member, event=workshop, time_choice="cash", travel_pence=0, childcare_pence=0, receipt_reference=""
    )
    aisha.goto(reverse("learning:event", kwargs={"slug": slug, "event_id": workshop.pk}))
    not_there(aisha, "Claim for your time and costs")
    seen(aisha, "Your claim").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Your payments")

    # The learning log leads back to events.
    aisha.goto(reverse("learning:events", kwargs={"slug": slug}))
    seen(aisha, "Learning log").click()
    seen(aisha, "Back to events").click()
    expect(aisha.get_by_role("heading", level=1)).to_have_text("Events")


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_coordinator_finds_the_claims_and_the_hours(
    new_page: PageFactory, partnership: Any, coordinator: Any, javascript: bool
) -> None:
    slug = partnership.slug
    workshop = make_event(partnership, title="Co-design: the evening drop-in")
    boss = new_page("phone", javascript=javascript)
    sign_in_session(boss, coordinator.user)
    boss.goto(reverse("learning:events", kwargs={"slug": slug}))
    for name in ("Claims to approve", "Learning hours", "Learning log", "Your calendar link"):
        seen(boss, name)
    not_there(boss, "Your payments")
    seen(boss, "Claims to approve").click()
    expect(boss).to_have_url(re.compile(re.escape(reverse("learning:claims", kwargs={"slug": slug})) + "$"))
    boss.goto(reverse("learning:event", kwargs={"slug": slug, "event_id": workshop.pk}))
    seen(boss, "Add to your calendar")
    not_there(boss, "Claim for your time and costs")
    assert_accessible(boss, "an event, for a coordinator")
