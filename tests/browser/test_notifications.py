"""The one inbox on a 360 px phone and at desktop size: the header's count, notices from several
capabilities grouped and cleared, marking read without JavaScript, choosing how to hear; axe on each."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduce.notifications import services
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


def test_a_parent_reads_her_inbox_on_a_phone_without_javascript(new_page: PageFactory, partnership: Any) -> None:
    aisha = MembershipFactory(partnership=partnership, is_member=True)
    slug = partnership.slug

    def post(kind: str, text: str, subject: str, url: str) -> None:
        services.notices_post(
            partnership_id=partnership.pk, user_ids=[aisha.user_id], kind=kind, text=text, url=url, subject_key=subject
        )

    for _ in range(3):
        post("voice.comment", "New comment on “Job fairs in school hours”", "voice.idea:1", f"/p/{slug}/ideas/")
    post("support.checkin", "Jamie Reid recorded a check-in. Look it over and agree it.", "support.checkin:1", "/x/")
    post("support.checkin", "Jamie Reid recorded a check-in. Look it over and agree it.", "support.checkin:2", "/x/")
    services.notices_done(partnership_id=partnership.pk, subject_key="support.checkin:1")

    for javascript in (False, True):
        page = new_page("phone", javascript=javascript)
        sign_in_session(page, aisha.user)
        page.goto(reverse("partnerships:home", kwargs={"slug": slug}))
        header = page.get_by_role("banner").get_by_role("link", name=re.compile(r"^Notifications"))
        if javascript:  # marked read by the run without JavaScript
            expect(header).to_have_text("Notifications")
            continue
        expect(header).to_contain_text("2")
        header.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
        items = page.locator("main li.ds_search-result")
        expect(items).to_have_count(2)  # three comments are one line; the agreed check-in is gone
        expect(items.filter(has_text="New comment on")).to_contain_text("3 times, latest")
        expect(page.get_by_role("main")).to_contain_text("Look it over and agree it.")
        assert_accessible(page, "the inbox (phone)")
        page.get_by_role("button", name=re.compile(r"^Mark as read\W+Jamie Reid")).click()
        expect(header).to_contain_text("1")
        page.get_by_role("button", name="Mark all as read").click()
        expect(header).to_have_text("Notifications")
        expect(page.get_by_role("button", name="Mark all as read")).to_have_count(0)

        page.get_by_role("link", name="Choose what comes by email, and when").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("How you hear from us")
        assert_accessible(page, "how you hear from us (phone)")
        radio = page.get_by_role("group", name="A check-in to look over and agree").get_by_label(
            "An email straight away"
        )
        page.locator(f"label[for='{radio.get_attribute('id')}']").click()  # the design system draws over the input
        expect(radio).to_be_checked()
        page.get_by_label("Morning: no email from").fill("07:45")
        page.get_by_label("Afternoon: until").fill("")
        page.get_by_role("button", name="Save my choices").click()
        expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
            "Enter both times, or leave both empty."
        )
        assert_accessible(page, "how you hear from us, with a mistake (phone)")
        page.get_by_label("Afternoon: no email from").fill("")
        page.get_by_role("button", name="Save my choices").click()
        expect(page.get_by_role("status")).to_contain_text("Your choices are saved.")
