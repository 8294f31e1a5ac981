"""Open data in the browser: a coordinator turns it on from the settings on her phone, with JavaScript off and on,
and anyone signed out reads the open data page. Each page is checked with axe-core (WCAG 2.2 AA) at phone size."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduce.partnerships.models import Membership, Partnership
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_a_coordinator_publishes_and_anyone_reads_it(
    new_page: PageFactory, partnership: Any, coordinator: Membership, javascript: bool
) -> None:
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, coordinator.user)
    page.goto(reverse("partnerships:settings", kwargs={"slug": partnership.slug}))
    page.get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    assert_accessible(page, "the open data setting, off")
    yes = page.get_by_role("radio", name="Yes, publish it for anyone")
    page.locator(f"label[for='{yes.get_attribute('id')}']").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Open data is published for anyone.").first).to_be_visible()
    assert_accessible(page, "the open data setting, on")
    assert Partnership.objects.get(pk=partnership.pk).open_data

    reader = new_page("phone", javascript=javascript)
    reader.goto(reverse("reports:open", kwargs={"slug": partnership.slug}))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Open data")
    expect(reader.get_by_role("link", name="Open Government Licence v3.0").first).to_be_visible()
    expect(reader.get_by_role("link", name="360Giving JSON")).to_be_visible()
    assert_accessible(reader, "the open data page, signed out")
