"""The sign-in pages speak plainly, at the phone and the desktop size: each error said once and naming its
field, a used "set a new password" link explained, and a code used a moment ago met with "wait for the
next one" rather than "Incorrect code" (issue 19)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.methods.totp import totp_code
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible
from tests.factories import PASSWORD, MembershipFactory, add_totp, staff_membership

pytestmark = pytest.mark.browser


def submit_sign_in(page: Page, email: str, password: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def test_a_wrong_password_is_said_once_in_plain_words(page: Page, partnership: Any) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    submit_sign_in(page, member.user.email, "not the password")
    wrong = page.get_by_text("The email address or password is not right. Check them and try again.")
    expect(wrong).to_have_count(1)
    expect(wrong).to_be_visible()
    expect(page.get_by_text("and/or")).to_have_count(0)
    assert_accessible(page, "sign-in page, wrong password")


def test_empty_boxes_are_each_named_once_in_the_summary(page: Page, partnership: Any) -> None:
    page.goto(reverse("account_login"))
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("link", name="Enter your email address.")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password.")).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    assert_accessible(page, "sign-in page, nothing typed")


def test_a_used_password_link_says_what_happened_and_what_to_do(page: Page) -> None:
    page.goto("/accounts/password/reset/key/1-set-password/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_text("Bad Token")).to_have_count(0)
    assert_accessible(page, "password link that no longer works")
    page.get_by_role("link", name="Email me a new link").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("account_reset_password")) + "$"))


def test_a_code_used_a_moment_ago_asks_for_the_next_one(new_page: PageFactory, partnership: Any) -> None:
    coordinator = staff_membership(partnership, role="coordinator", mfa=False)
    secret = add_totp(coordinator.user)
    if time.time() % 30 > 10:  # both sign-ins within one 30-second period
        time.sleep(30 - time.time() % 30 + 0.2)
    code = totp_code(secret, time.time())
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    for size in ("phone", "desktop"):
        page = new_page(size)  # a fresh browser each time: signed out
        submit_sign_in(page, coordinator.user.email, PASSWORD)
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        if size == "phone":
            expect(page).to_have_url(re.compile(re.escape(home) + "$"))
            continue
        summary = page.get_by_role("alert").filter(has_text="There is a problem")
        expect(summary).to_contain_text("You have just used this code. Wait for your authenticator app to show")
        expect(page.get_by_text("Incorrect code")).to_have_count(0)
        assert_accessible(page, "two-factor sign-in, code used a moment ago")
