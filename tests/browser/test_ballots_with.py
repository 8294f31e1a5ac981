"""A keyworker records a member's ballot with her and enters a paper ballot on a phone without JavaScript, and
prints paper ballots and a decision form; axe-core (WCAG 2.2 AA) on every page state, phone and desktop."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coproduce.decisions import services as decision_services
from coproduce.fund.models import Ballot
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.browser.test_fund import tick
from tests.factories import MembershipFactory, UserFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round

pytestmark = pytest.mark.browser


def test_a_keyworker_records_a_ballot_with_a_member_and_enters_a_paper_one(
    new_page: PageFactory, partnership: Any
) -> None:
    worker = staff_membership(partnership, role="worker")
    aisha = MembershipFactory(partnership=partnership, is_member=True, user=UserFactory(display_name="Aisha"))
    bea = MembershipFactory(partnership=partnership, is_member=True, user=UserFactory(display_name="Bea"))
    round_ = make_round(partnership, phase="voting", title="Autumn round", max_choices=2)
    for cost, title in ((1_500, "Interview clothes bank"), (2_500, "Holiday club places")):
        make_proposal(round_, cost=cost, title=title)
    page = new_page("phone", javascript=False)
    sign_in_session(page, worker.user)

    page.goto(reverse("fund:round", kwargs={"slug": partnership.slug, "round_id": round_.pk}))
    page.get_by_role("link", name="Record a ballot with a member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a ballot with a member")
    assert_accessible(page, "recording a ballot with a member")

    page.get_by_label("Member", exact=True).select_option(label="Aisha")
    tick(page, "Interview clothes bank")
    page.get_by_role("button", name="Record her ballot").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text("Tick the box")
    assert_accessible(page, "recording a ballot without her agreement")
    assert not Ballot.objects.exists()

    # The page keeps what was chosen: only the tick is missing.
    expect(page.get_by_label("Member", exact=True)).to_have_value(str(aisha.pk))
    tick(page, "agreed that I record her ballot")
    page.get_by_role("button", name="Record her ballot").click()
    expect(page.get_by_text("Aisha's ballot is recorded with her.")).to_be_visible()
    assert Ballot.objects.get(voter=aisha.user).channel == "assisted"

    page.get_by_role("link", name="Enter a paper ballot instead").click()
    page.get_by_label("Member", exact=True).select_option(label="Bea")
    page.get_by_label("Form number").fill("B1-0001")
    tick(page, "Holiday club places")
    tick(page, "own paper form")
    page.get_by_role("button", name="Enter the paper ballot").click()
    expect(page.get_by_text("Bea's paper ballot is entered.")).to_be_visible()
    assert Ballot.objects.get(voter=bea.user).paper_ref == "B1-0001"
    assert_accessible(page, "a paper ballot entered")

    page.get_by_role("link", name="Print paper ballots").click()
    page.get_by_label("How many forms").fill("2")
    page.get_by_role("button", name="Show the forms").click()
    expect(page.get_by_text(re.compile(rf"B{round_.pk}-0002"))).to_be_visible()
    assert_accessible(page, "paper ballots to print")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Show the forms")).to_be_hidden()
    expect(page.get_by_text(re.compile(rf"B{round_.pk}-0001"))).to_be_visible()


def test_a_keyworker_prints_a_decision_form(new_page: PageFactory, partnership: Any) -> None:
    worker = staff_membership(partnership, role="worker")
    decision = decision_services.decision_raise(
        actor=worker,
        kind="everyday",
        method="consent",
        title="Move the drop-in to Tuesdays",
        background="Tuesdays suit more parents.",
        options=[],
        closes_at=timezone.now() + timedelta(days=3),
        participants="everyone",
        anonymous=False,
    )
    page = new_page("desktop", javascript=True)
    sign_in_session(page, worker.user)
    page.goto(reverse("decisions:decision", kwargs={"slug": partnership.slug, "decision_id": decision.pk}))
    page.get_by_role("link", name="Print paper forms").click()
    expect(page.get_by_text(re.compile(rf"D{decision.pk}-0001"))).to_be_visible()
    assert_accessible(page, "a decision form to print")
    page.goto(reverse("decisions:record-with", kwargs={"slug": partnership.slug, "decision_id": decision.pk}))
    assert_accessible(page, "recording an answer with a member")
