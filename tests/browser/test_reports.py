"""Reports in the browser. Morag, a coordinator, builds a report for dates of her choice on her phone with
JavaScript off: first with the dates the wrong way round (a clear message), then right; the report's page shows
small groups as "fewer than 5", prints on A4 without the site's menus, and saves as a PDF. An observer reads it.
Every page state is checked with axe-core (WCAG 2.2 AA) at the phone and desktop sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.reports.models import ReportRun
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, path_of, sign_in_session
from tests.factories import MembershipFactory
from tests.reports.builder_sections import sections  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("sections")]


def choose(page: Page, group: str, option: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the radio)."""
    radio = page.get_by_role("group", name=group).get_by_role("radio", name=option, exact=True)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_a_coordinator_builds_a_report_prints_it_and_an_observer_reads_it(
    new_page: PageFactory, partnership: Any, coordinator: Any, observer: Any
) -> None:
    for _ in range(7):
        MembershipFactory(partnership=partnership, is_member=True)
    page = new_page("phone", javascript=False)
    sign_in_session(page, coordinator.user)
    page.goto(reverse("reports:index", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    assert_accessible(page, "the reports page with the builder")

    page.get_by_label("Title").fill("Report to the board")
    choose(page, "Period", "Dates of your choice")
    page.get_by_label("Start date").fill("2026-06-30")
    page.get_by_label("End date").fill("2026-04-01")
    page.get_by_role("button", name="Build the report").click()
    expect(page.get_by_role("alert")).to_contain_text("The end date must be on or after the start date.")
    assert_accessible(page, "the builder with a period that ends before it starts")
    assert not ReportRun.objects.exists()

    page.get_by_label("Start date").fill("2025-01-01")
    page.get_by_label("End date").fill("2029-12-31")
    page.get_by_role("button", name="Build the report").click()
    run = ReportRun.objects.get()
    assert path_of(page) == reverse("reports:run", kwargs={"slug": partnership.slug, "run_id": run.pk})
    expect(page.get_by_role("heading", level=1)).to_have_text("Report to the board")
    expect(page.get_by_role("table", name="Priority family groups")).to_contain_text("fewer than 5")
    expect(page.get_by_text("Print or save as PDF")).to_be_visible()
    assert_accessible(page, "a finished report")

    page.emulate_media(media="print")
    expect(page.locator(".ds_site-header")).to_be_hidden()
    expect(page.locator(".ds_site-footer")).to_be_hidden()
    expect(page.get_by_text("Print or save as PDF")).to_be_hidden()
    expect(page.get_by_role("table", name="Money in and out")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")

    reader = new_page("desktop")
    sign_in_session(reader, observer.user)
    reader.goto(reverse("reports:index", kwargs={"slug": partnership.slug}))
    expect(reader.get_by_role("button", name="Build the report")).to_have_count(0)
    reader.get_by_role("link", name="Report to the board").click()
    expect(reader.get_by_role("table", name="People who joined")).to_be_visible()
    assert_accessible(reader, "a finished report, read by an observer")
