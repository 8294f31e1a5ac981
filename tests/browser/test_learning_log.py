"""The learning log from phones: a worker writes an entry after a session naming a parent and a co-author,
asks the parent; the parent reads it and agrees (and lets her name go on the case study); the entry is
published and found by the search; an observer opens the case study and downloads it. axe-core checks every
page state at the phone and desktop sizes (``assert_accessible`` checks both)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.learning.models import LogEntry
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


def tick(page: Page, group: str, name: str) -> None:
    """Tick a box as a person does: click its label (the design system draws over the input)."""
    box = page.get_by_role("group", name=group).get_by_role("checkbox", name=name)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def choose(page: Page, name: str) -> None:
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_an_entry_is_written_agreed_published_searched_and_shared(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any, observer: Any
) -> None:
    slug = partnership.slug
    member.user.display_name = "Aisha"
    member.user.save()
    kerry = MembershipFactory(partnership=partnership, is_member=True)
    kerry.user.display_name = "Kerry"
    kerry.user.save()

    staff = new_page("phone")
    sign_in_session(staff, worker.user)
    staff.goto(reverse("learning:log", kwargs={"slug": slug}))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Learning log")
    assert_accessible(staff, "the learning log, empty")
    staff.get_by_role("link", name="Write an entry").click()
    staff.get_by_role("button", name="Save as a draft").click()
    expect(staff.locator(".ds_error-summary")).to_contain_text("Give the entry a title.")
    assert_accessible(staff, "an entry with nothing filled in")
    staff.get_by_label("Title").fill("A crèche in the same room")
    staff.get_by_label("What we tried").fill("The crèche **in the same room**.")
    staff.get_by_label("What we learned").fill("Parents with babies stayed to the end.")
    staff.get_by_label("What we will do next").fill("Book the big room every time.")
    tick(staff, "Co-authors (optional)", "Kerry")
    tick(staff, "Parents named in it (optional)", "Aisha")
    staff.get_by_role("button", name="Save as a draft").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("A crèche in the same room")
    expect(staff.get_by_text("not asked yet")).to_be_visible()
    assert_accessible(staff, "a draft entry")
    staff.get_by_role("button", name="Ask the parents named to agree").click()
    expect(staff.get_by_text("not answered yet")).to_be_visible()
    entry = LogEntry.objects.get(title="A crèche in the same room")
    assert entry.status == LogEntry.Status.WAITING

    # Aisha, on her phone, is asked from the log page, reads it and agrees.
    parent = new_page("phone", javascript=False)
    sign_in_session(parent, member.user)
    parent.goto(reverse("learning:log", kwargs={"slug": slug}))
    expect(parent.get_by_text("You are named in these entries")).to_be_visible()
    parent.get_by_role("link", name="A crèche in the same room").first.click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Can this be shared?")
    parent.get_by_role("button", name="Send my answer").click()
    expect(parent.locator(".ds_error-summary")).to_contain_text("Choose whether you agree.")
    assert_accessible(parent, "the consent page with no answer chosen")
    choose(parent, "I agree: it can be published to the partnership")
    parent.locator("label[for='id_named_outside']").click()
    expect(parent.get_by_label("My name may appear on the case study shared outside the partnership")).to_be_checked()
    parent.get_by_role("button", name="Send my answer").click()
    expect(parent.get_by_text("Thank you. You agreed.")).to_be_visible()
    entry.refresh_from_db()
    assert entry.status == LogEntry.Status.PUBLISHED

    # Anyone in the partnership finds it by searching, and opens the case study to share.
    reader = new_page("desktop")
    sign_in_session(reader, observer.user)
    reader.goto(reverse("learning:log", kwargs={"slug": slug}))
    reader.get_by_label("Words to look for").fill("babies")
    reader.get_by_role("button", name="Search").click()
    expect(reader.get_by_role("heading", name="1 entry matches")).to_be_visible()
    assert_accessible(reader, "the log searched")
    reader.get_by_role("link", name="A crèche in the same room").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("A crèche in the same room")
    assert_accessible(reader, "a published entry")
    reader.get_by_role("link", name="Case study: this entry laid out to share outside the partnership").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("A crèche in the same room")
    expect(reader.get_by_text("With thanks to Aisha, who agreed to be named.")).to_be_visible()
    expect(reader.get_by_text("Kerry")).to_have_count(0)
    assert_accessible(reader, "the case study")
    with reader.expect_download() as download:
        reader.get_by_role("link", name="Download the case study (HTML file)").click()
    saved = download.value.path().read_text(encoding="utf-8")
    assert "With thanks to Aisha" in saved
    assert "Kerry" not in saved
