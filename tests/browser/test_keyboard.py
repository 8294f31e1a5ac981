"""A person who uses the keyboard alone, no mouse: Tab and Shift+Tab to move, Enter to follow a link or press a
button, Space to tick, typing into fields. Each journey runs at the phone and at the desktop size. On the way,
every place the focus stops is checked (support.KeyboardWalk): on the screen and not covered, looking different
when focused, and the focus always moves on (no trap). The skip link is the first stop and moves the focus
into the page's main content."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.conversations import services as conversation_services
from coproduce.conversations.models import Vote
from coproduce.fund.models import Ballot
from coproduce.learning.models import Registration, RegistrationNeeds
from coproduce.support import services as support_services
from coproduce.support.defaults import ensure_defaults
from coproduce.support.models import Share
from tests.browser.support import KeyboardWalk, sign_in_session
from tests.browser.test_learning import an_event
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round

pytestmark = pytest.mark.browser


def test_signing_in_with_a_password_and_with_an_emailed_code(page: Page, partnership: Any) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    keys = KeyboardWalk(page, "signing in")

    page.goto(reverse("account_login"))
    keys.walk_whole_page()  # every control of the sign-in page, and out of the page again

    page.goto(reverse("account_login"))
    keys.skip_to_main()
    keys.tab_to(page.get_by_label("Email", exact=True))
    keys.type(member.user.email)
    keys.tab_to(page.get_by_label("Password", exact=True))
    keys.type("not the password")
    keys.press("Enter")  # Enter in a field sends its form
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    # The error summary takes the focus, so that a screen reader reads it first; the field is next.
    expect(page.locator(".ds_error-summary")).to_be_focused()
    keys.tab_to(page.get_by_label("Password", exact=True))
    page.keyboard.press("Control+A")
    keys.type(PASSWORD)
    keys.tab_to(page.get_by_role("button", name="Sign in", exact=True))
    keys.assert_fine()
    keys.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(partnership.name)

    # Signing out, from the account menu (a <details>: Enter opens it).
    keys.tab_to(page.get_by_text("Account", exact=True))
    keys.press("Enter")
    keys.tab_to(page.get_by_role("button", name="Sign out"))
    keys.press("Enter")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()

    # With a code sent by email instead of the password.
    page.goto(reverse("account_login"))
    keys.skip_to_main()
    keys.tab_to(page.get_by_role("link", name="Email me a sign-in code"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email me a sign-in code")
    keys.skip_to_main()
    keys.tab_to(page.get_by_label("Email", exact=True))
    keys.type(member.user.email)
    keys.tab_to(page.get_by_role("button", name="Send the code"))
    keys.press("Enter")
    code_field = page.get_by_label("Code", exact=True)
    expect(code_field).to_be_visible()
    found = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", str(mail.outbox[-1].body), re.MULTILINE)
    assert found, mail.outbox[-1].body
    keys.skip_to_main()
    keys.tab_to(code_field)
    keys.type(found.group(1))
    keys.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    keys.assert_fine()


def test_a_parent_shares_a_part_of_her_plan(page: Page, partnership: Any) -> None:
    ensure_defaults(partnership)
    charity = OrganisationFactory(partnership=partnership, name="One Parent Futures")
    college = OrganisationFactory(partnership=partnership, name="Riverside College")
    keyworker = staff_membership(partnership, role="worker", organisation=charity)
    member = MembershipFactory(partnership=partnership, is_member=True)
    plan = support_services.plan_start(actor=member)
    support_services.team_propose(actor=member, plan=plan, person=keyworker, role="keyworker")
    keys = KeyboardWalk(page, "sharing a part of a plan")
    sign_in_session(page, member.user)

    page.goto(reverse("support:plan", kwargs={"slug": partnership.slug, "plan_id": plan.pk}))
    keys.skip_to_main()
    keys.tab_to(page.get_by_role("main").get_by_role("link", name="Who can see it"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who can see my plan")
    keys.skip_to_main()
    goals = page.locator(f"#share-{college.pk}-goals")
    keys.tab_to(goals)
    keys.press("Space")
    expect(goals).to_be_checked()
    keys.tab_to(page.get_by_role("button", name="Save for Riverside College"))
    keys.press("Enter")
    expect(page.get_by_text("Riverside College can now see only what you ticked.")).to_be_visible()
    live = Share.objects.filter(plan=plan, organisation=college, withdrawn_at=None)
    assert set(live.values_list("part", flat=True)) == {"goals"}
    keys.assert_fine()


def test_a_member_votes_in_a_conversation(page: Page, partnership: Any) -> None:
    coordinator = staff_membership(partnership, role="coordinator")
    conversation = conversation_services.conversation_create(
        actor=coordinator,
        topic="Job fairs for parents",
        seeds=["The fair should be in school hours.", "A crèche matters most.", "Saturdays suit me."],
    )
    member = MembershipFactory(partnership=partnership, is_member=True)
    keys = KeyboardWalk(page, "voting in a conversation")
    sign_in_session(page, member.user)

    page.goto(reverse("conversations:detail", kwargs={"slug": partnership.slug, "conversation_id": conversation.pk}))
    keys.skip_to_main()
    keys.tab_to(page.get_by_role("link", name="Start voting"))
    keys.press("Enter")
    expect(page.get_by_text("You have voted on 0 of 3 statements.")).to_be_visible()
    keys.skip_to_main()
    keys.tab_to(page.get_by_role("button", name="Agree", exact=True))
    keys.press("Enter")
    expect(page.get_by_text("You have voted on 1 of 3 statements.")).to_be_visible()
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_focused()
    # The next statement is swapped in place: the person carries on from where she is, without going back to
    # the top of the page.
    keys.tab_to(page.get_by_role("button", name="Disagree", exact=True), max_presses=8)
    keys.press("Enter")
    expect(page.get_by_text("You have voted on 2 of 3 statements.")).to_be_visible()
    keys.assert_fine()
    assert Vote.objects.filter(participant__user=member.user).count() == 2


def test_a_member_fills_in_a_fund_ballot(page: Page, partnership: Any) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    round_ = make_round(partnership, phase="voting", title="Autumn round", budget=5_000, max_choices=2)
    for cost, title in ((1_500, "Interview clothes bank"), (2_500, "Holiday club places"), (4_000, "Driving lessons")):
        make_proposal(round_, cost=cost, title=title)
    keys = KeyboardWalk(page, "a fund ballot")
    sign_in_session(page, member.user)

    page.goto(reverse("fund:round", kwargs={"slug": partnership.slug, "round_id": round_.pk}))
    keys.skip_to_main()
    keys.tab_to(page.get_by_role("link", name="Vote", exact=True))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot")
    keys.skip_to_main()
    for title in ("Interview clothes bank", "Holiday club places"):
        box = page.get_by_role("checkbox", name=re.compile(re.escape(title)))
        keys.tab_to(box)
        keys.press("Space")
        expect(box).to_be_checked()
    keys.tab_to(page.get_by_role("button", name="Cast my ballot"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your ballot is saved")
    keys.assert_fine()
    chosen = Ballot.objects.get(voter=member.user).choices.values_list("proposal__title", flat=True)
    assert set(chosen) == {"Interview clothes bank", "Holiday club places"}


def test_a_parent_registers_for_an_event(page: Page, partnership: Any, worker: Any, member: Any) -> None:
    event = an_event(worker)
    keys = KeyboardWalk(page, "registering for an event")
    sign_in_session(page, member.user)

    page.goto(reverse("learning:event", kwargs={"slug": partnership.slug, "event_id": event.pk}))
    keys.skip_to_main()
    keys.tab_to(page.get_by_role("main").get_by_role("link", name="Register"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    keys.skip_to_main()
    keys.tab_to(page.get_by_label("How many children need childcare"))
    keys.type("1")
    keys.tab_to(page.get_by_label("Their ages"))
    keys.type("3")
    travel = page.get_by_role("checkbox", name="I need my travel costs paid (bus fare, petrol)")
    keys.tab_to(travel)
    keys.press("Space")
    expect(travel).to_be_checked()
    keys.tab_to(page.get_by_role("main").get_by_role("button", name="Register"))
    keys.press("Enter")
    expect(page.get_by_text("You have a place.").first).to_be_visible()
    keys.assert_fine()
    registration = Registration.objects.get(event=event, user=member.user)
    needs = RegistrationNeeds.objects.get(registration=registration)
    assert (needs.childcare_children, needs.childcare_ages, needs.travel_costs) == (1, [3], True)
