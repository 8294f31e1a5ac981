"""Pages on paper: the print stylesheet on a few kinds of page (navigation gone, content kept), Aisha's demo plan
on one A4 page, and the invitation and noticeboard cards with their QR codes, checked with axe on screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.demo_data import load_demo
from coproduce.partnerships.models import Membership
from coproduce.support import selectors
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import InvitationFactory

pytestmark = pytest.mark.browser

ON_SCREEN_ONLY = [".ds_site-header", ".ds_site-navigation", ".ds_skip-links", ".ds_phase-banner", ".ds_site-footer"]


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF Chromium wrote: its page objects (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def assert_printed(page: Page, label: str) -> None:
    """On print media: the site's header, navigation, skip link, banner and footer hidden; the page's own
    heading shown; black on white."""
    page.emulate_media(media="print")
    try:
        for selector in ON_SCREEN_ONLY:
            for element in page.locator(selector).all():
                expect(element, f"{label}: {selector} is hidden on paper").to_be_hidden()
        expect(page.locator("main h1").first, f"{label}: the heading is printed").to_be_visible()
        colour = page.evaluate("getComputedStyle(document.querySelector('main h1')).color")
        assert colour == "rgb(0, 0, 0)", f"{label}: heading is {colour} on paper"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"{label}: body is {background}"
    finally:
        page.emulate_media(media="screen")


def test_every_kind_of_page_prints_without_the_sites_controls_and_the_plan_fits_one_a4_page(
    new_page: PageFactory,
) -> None:
    load_demo()
    aisha = get_user_model().objects.get(email="aisha@riverside.example")
    membership = Membership.objects.get(user=aisha, partnership__slug="riverside")
    plan = selectors.own_plan(membership)
    assert plan is not None
    page = new_page("desktop")
    sign_in_session(page, aisha)
    for address, label in [
        ("/p/riverside/", "the home page"),
        ("/p/riverside/voice/", "a list of ideas"),
        (f"/p/riverside/support/plans/{plan.pk}/", "the plan page"),
        ("/p/riverside/learning/", "the events"),
    ]:
        page.goto(address)
        assert_printed(page, label)

    # The plan page links to the printable plan; it fits one A4 page.
    page.goto(f"/p/riverside/support/plans/{plan.pk}/")
    page.get_by_role("link", name="Print the plan (one page)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Support plan: "))
    assert_accessible(page, "the printable plan")
    assert_printed(page, "the printable plan")
    page.emulate_media(media="print")
    expect(page.get_by_text("Back to the plan")).to_be_hidden()
    expect(page.get_by_role("heading", name="Goals")).to_be_visible()
    assert pdf_pages(page.pdf(format="A4")) == 1


def test_a_coordinator_prints_an_invitation_card_and_the_short_link_opens_the_invitation(
    page: Page, partnership: Any, coordinator: Membership
) -> None:
    invitation = InvitationFactory(partnership=partnership)
    sign_in_session(page, coordinator.user)
    page.goto(reverse("partnerships:invitations", kwargs={"slug": partnership.slug}))
    page.get_by_role("link", name=f"Print a card for the invitation to {invitation.email}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation card")
    expect(page.locator("svg.cp-qr")).to_be_visible()
    assert_accessible(page, "an invitation card")
    link = page.locator(".cp-card__link").inner_text()
    assert re.fullmatch(r"http://[^/]+/i/[2-9A-HJKMNP-Z]{10}/", link)
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_hidden()  # the instructions are for the screen
    expect(page.locator(".cp-card")).to_be_visible()
    page.emulate_media(media="screen")
    page.context.clear_cookies()
    page.goto(link)
    assert "/invitations/" in page.url
    assert_accessible(page, "the invitation, reached from the card")


def test_an_organiser_prints_a_noticeboard_card_for_an_event(page: Page, partnership: Any, worker: Membership) -> None:
    from tests.learning.conftest import make_event

    event = make_event(worker)
    sign_in_session(page, worker.user)
    page.goto(reverse("learning:event", kwargs={"slug": partnership.slug, "event_id": event.pk}))
    page.get_by_role("link", name="Print a card for a noticeboard").click()
    expect(page.get_by_role("heading", level=2, name=event.title)).to_be_visible()
    expect(page.locator("svg.cp-qr")).to_be_visible()
    assert_accessible(page, "an event's noticeboard card")
    assert_printed_card = page.locator(".cp-card")
    page.emulate_media(media="print")
    expect(assert_printed_card).to_be_visible()
    expect(page.locator(".ds_site-navigation").first).to_be_hidden()
