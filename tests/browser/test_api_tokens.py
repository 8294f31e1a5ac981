"""The API token pages in the browser, on a phone with JavaScript off: Aisha makes a token (after a first try
with no name), sees it once, opens it and revokes it. Every page state is checked with axe-core (WCAG 2.2 AA)
at the phone and desktop sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduce.api.models import AccessToken
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session

pytestmark = pytest.mark.browser


def test_a_member_makes_and_revokes_a_token(new_page: PageFactory, partnership: Any, member: Any) -> None:
    page = new_page("phone", javascript=False)
    sign_in_session(page, member.user)
    page.goto(reverse("api:tokens", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert_accessible(page, "no tokens yet")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("link", name="Give the token a name.")).to_be_visible()
    assert_accessible(page, "a token with no name")
    page.get_by_label("Name").fill("Board spreadsheet")
    page.get_by_label("read and write").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("You will not see it again.")).to_be_visible()
    assert page.get_by_label("Token", exact=True).input_value().startswith("cpt_")
    assert_accessible(page, "the new token, shown once")
    page.get_by_role("link", name="Board spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board spreadsheet")
    assert_accessible(page, "the token's page")
    page.get_by_role("button", name="Revoke this token").click()
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    assert AccessToken.objects.get().revoked_at is not None
