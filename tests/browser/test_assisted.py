"""Assisted participation in a real browser: a keyworker records an idea with a member who agreed, the member
checks it on "Recorded with you" and says it is right, then turns recording with her keyworker off, and the
keyworker's next attempt is refused in words. Every page state passes axe-core (WCAG 2.2 AA) at the phone size."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.partnerships.assisted import Channel
from coproduce.partnerships.models import Membership
from coproduce.voice.models import Idea
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, path_of, sign_in_session
from tests.factories import MembershipFactory, UserFactory, staff_membership

pytestmark = pytest.mark.browser

TITLE = "Help with forms at the hub"
BODY = "A Friday morning at the hub where someone sits with you to fill in the online forms."


def tick(page: Page, name: str) -> None:
    """Tick a checkbox as a person does: the design system draws it over its label, so click that."""
    box = page.get_by_role("checkbox", name=name)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def fill_idea(page: Page, *, member: str, title: str) -> None:
    page.get_by_label("The member you are recording this with").select_option(label=member)
    page.get_by_label("Title").first.fill(title)
    page.get_by_label("The member's idea").fill(BODY)
    tick(page, re.compile(r"^The member is with me"))  # type: ignore[arg-type]


def test_a_keyworker_records_an_idea_with_a_member_who_confirms_it_then_turns_it_off(
    new_page: PageFactory, partnership: Any
) -> None:
    keyworker = staff_membership(partnership, role="worker", user=UserFactory(display_name="Jamie Reid"))
    member = MembershipFactory(partnership=partnership, is_member=True, user=UserFactory(display_name="Aisha"))
    record_with = reverse("voice:idea-record-with", kwargs={"slug": partnership.slug})
    assisted = reverse("partnerships:assisted", kwargs={"slug": partnership.slug})

    # The keyworker records the idea with Aisha, who is with her and agreed.
    staff = new_page("phone")
    sign_in_session(staff, keyworker.user)
    staff.goto(record_with)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Record an idea with a member")
    assert_accessible(staff, "recording an idea with a member", both_sizes=False)
    fill_idea(staff, member="Aisha", title=TITLE)
    staff.get_by_role("button", name="Record the idea").click()
    expect(staff.get_by_text("The idea is recorded with Aisha. They will be asked to check it.")).to_be_visible()
    assert_accessible(staff, "the idea recorded with a member", both_sizes=False)
    idea = Idea.objects.get(partnership=partnership, title=TITLE)
    assert (idea.author_id, idea.channel, idea.recorded_by_id) == (member.user_id, Channel.ASSISTED, keyworker.user_id)
    # She opens the form again for another idea, while Aisha still allows it.
    staff.goto(record_with)
    fill_idea(staff, member="Aisha", title="Another idea")

    # Aisha opens "Recorded with you" and says it is right.
    parent = new_page("phone")
    sign_in_session(parent, member.user)
    parent.goto(assisted)
    expect(parent.get_by_role("heading", level=1)).to_have_text("Recorded with you")
    assert_accessible(parent, "what was recorded with her", both_sizes=False)
    item = parent.get_by_role("listitem").filter(has=parent.get_by_role("heading", name=re.compile(TITLE)))
    confirm = item.get_by_role("button", name=re.compile(r"^This is right"))
    expect(confirm).to_have_count(1)
    # Its accessible name says which item it confirms (its last part is for screen readers only).
    expect(confirm).to_have_accessible_name(re.compile(rf"^This is right\W+Your idea\W+{TITLE}"))
    confirm.click()
    expect(parent.get_by_text("Nothing is waiting for you to check.")).to_be_visible()
    assert_accessible(parent, "her list after confirming", both_sizes=False)
    idea.refresh_from_db()
    assert idea.confirmed_at is not None
    assert idea.channel == Channel.ASSISTED

    # She turns recording with her keyworker off.
    parent.get_by_role("button", name="Turn this off").click()
    expect(parent.get_by_text("This is turned off: nobody can record your views for you.")).to_be_visible()
    expect(parent.get_by_role("button", name="Let my keyworker record my views with me")).to_be_visible()
    assert_accessible(parent, "recording with her keyworker turned off", both_sizes=False)
    assert not Membership.objects.get(pk=member.pk).assistance_allowed

    # The keyworker's next attempt, on the form shown before, is refused in words, and nothing is saved.
    staff.get_by_role("button", name="Record the idea").click()
    summary = staff.locator(".ds_error-summary")
    expect(summary).to_contain_text("Aisha has turned off keyworkers recording their views with them")
    assert path_of(staff) == record_with
    assert_accessible(staff, "recording refused: she turned it off", both_sizes=False)
    assert not Idea.objects.filter(title="Another idea").exists()
    # And the form no longer offers her.
    staff.goto(record_with)
    member_choice = staff.get_by_label("The member you are recording this with")
    expect(member_choice.locator("option", has_text="Aisha")).to_have_count(0)
