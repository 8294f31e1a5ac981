"""A member's main journeys with a browser set to Polish and to Arabic: her partnership's home, ideas and an
idea, a conversation and a vote in it, her plan, a fund ballot cast, events and registering for one, her
notifications and her account. Each page in the browser's language (``<html lang>``), written right to left
in Arabic (``dir="rtl"``), and checked with axe-core (WCAG 2.2 AA) and for controls with no name at the phone
and desktop sizes (support.assert_accessible). The journeys go by the page's structure, not its words, so
that they hold whatever the translators write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.conversations import services as conversation_services
from coproduce.conversations.models import Vote
from coproduce.fund.models import Ballot
from coproduce.learning.models import Registration
from coproduce.support import services as support_services
from coproduce.support.defaults import ensure_defaults
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.browser.test_learning import an_event
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round
from tests.voice.factories import IdeaFactory

pytestmark = pytest.mark.browser


@dataclass
class World:
    partnership: Any
    member: Any
    idea: Any
    conversation: Any
    plan: Any
    round: Any
    event: Any


@pytest.fixture
def world(partnership: Any) -> World:
    ensure_defaults(partnership)
    charity = OrganisationFactory(partnership=partnership, name="One Parent Futures")
    worker = staff_membership(partnership, role="worker", organisation=charity)
    coordinator = staff_membership(partnership, role="coordinator", organisation=charity)
    member = MembershipFactory(partnership=partnership, is_member=True)
    idea = IdeaFactory(partnership=partnership, author=member.user, title="Bus passes for job interviews")
    conversation = conversation_services.conversation_create(
        actor=coordinator, topic="Job fairs for parents", seeds=["The fair should be in school hours.", "Saturdays."]
    )
    plan = support_services.plan_start(actor=member)
    support_services.team_propose(actor=member, plan=plan, person=worker, role="keyworker")
    round_ = make_round(partnership, phase="voting", title="Autumn round", budget=5_000, max_choices=2)
    make_proposal(round_, cost=1_500, title="Interview clothes bank")
    make_proposal(round_, cost=2_500, title="Holiday club places")
    return World(partnership, member, idea, conversation, plan, round_, an_event(worker))


def check(page: Page, language: str, direction: str, label: str) -> None:
    """The page is in the browser's language and direction, has its heading, and passes the checks."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, f"{label} ({language})")


def submit_the_form_of(page: Page, button: str) -> None:
    """Press a form's button found by where it is, not by its words (which the translation changes)."""
    with page.expect_navigation():
        page.locator(button).first.click()


@pytest.mark.parametrize(("locale", "language", "direction"), [("pl-PL", "pl", "ltr"), ("ar", "ar", "rtl")])
def test_a_member_walks_her_journeys_in_her_language(
    new_page: PageFactory, world: World, locale: str, language: str, direction: str
) -> None:
    slug = world.partnership.slug
    page = new_page("phone", locale=locale)
    sign_in_session(page, world.member.user)

    def visit(url: str, label: str) -> None:
        response = page.goto(url)
        assert response is not None and response.status == 200, (
            f"{label}: {url} answered {response and response.status}"
        )
        check(page, language, direction, label)

    visit(reverse("partnerships:home", kwargs={"slug": slug}), "partnership home")
    visit(reverse("voice:ideas", kwargs={"slug": slug}), "ideas")
    visit(reverse("voice:idea", kwargs={"slug": slug, "idea_id": world.idea.pk}), "an idea")
    # Her own words keep the language she wrote them in, whatever the page's language.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bus passes for job interviews")

    visit(reverse("conversations:vote", kwargs={"slug": slug, "conversation_id": world.conversation.pk}), "voting")
    page.locator("#vote-card button[name=vote][value=agree]").click()
    expect(page.locator("#vote-card .cp-vote__done")).to_be_visible()
    check(page, language, direction, "voting, after a vote")
    assert Vote.objects.filter(participant__user=world.member.user).count() == 1

    visit(reverse("support:plan", kwargs={"slug": slug, "plan_id": world.plan.pk}), "her plan")

    visit(reverse("fund:ballot", kwargs={"slug": slug, "round_id": world.round.pk}), "a ballot")
    first = page.locator("main input[type=checkbox]").first
    page.locator(f"label[for='{first.get_attribute('id')}']").click()
    expect(first).to_be_checked()
    submit_the_form_of(page, "main form[method=post] button[type=submit]")
    check(page, language, direction, "a ballot, cast")
    assert Ballot.objects.filter(voter=world.member.user).exists()

    visit(reverse("learning:events", kwargs={"slug": slug}), "events")
    visit(reverse("learning:register", kwargs={"slug": slug, "event_id": world.event.pk}), "registering")
    submit_the_form_of(page, "main form[method=post] button[type=submit]")
    check(page, language, direction, "the event, with a place")
    assert Registration.objects.filter(event=world.event, user=world.member.user, status="registered").exists()

    visit(reverse("notifications:inbox", kwargs={"slug": slug}), "notifications")
    visit(reverse("account_email"), "her account")
