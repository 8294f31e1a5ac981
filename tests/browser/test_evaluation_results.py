"""What parents say, in the browser, on a phone with JavaScript off. A coordinator reads the quarter's results,
opens a service whose "fitted my life" is low, reads its run charts and starts a test of change in one step; a
partner lead sees her own organisation's service only. Every page state is checked with axe-core (WCAG 2.2 AA)
at the phone and desktop sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduce.improvement.models import TestOfChange
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, path_of, sign_in_session
from tests.evaluation.results_support import answers, months_back, release, subject
from tests.factories import OrganisationFactory, staff_membership

pytestmark = pytest.mark.browser


@pytest.fixture
def services(partnership: Any, worker: Any) -> dict[str, Any]:
    north = OrganisationFactory(partnership=partnership, name="Northside Trust")
    made = {
        "advice": subject(partnership, "Riverside money advice", worker.organisation_id),
        "group": subject(partnership, "Northside parenting group", north.pk),
        "tiny": subject(partnership, "Tiny pilot", north.pk),
    }
    answers(made["advice"], 7)
    answers(made["group"], 8, fitted=2)
    answers(made["tiny"], 6)
    for back in range(3, 9):  # six earlier months for the charts
        answers(made["group"], 5, period=months_back(back), fitted=4 if back > 5 else 3)
    return made


def test_a_coordinator_reads_the_results_and_starts_a_test_of_change(
    new_page: PageFactory, partnership: Any, coordinator: Any, services: dict[str, Any]
) -> None:
    page = new_page("phone", javascript=False)
    sign_in_session(page, coordinator.user)
    page.goto(reverse("evaluation:results", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results for")
    expect(page.get_by_text("we show results only for groups of at least 5 answers")).to_be_visible()
    expect(page.get_by_role("link", name="Riverside money advice")).to_be_visible()
    assert_accessible(page, "the quarter's results")

    page.get_by_role("link", name="Northside parenting group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northside parenting group")
    expect(page.locator("svg[role=img]")).to_have_count(6)
    expect(page.get_by_text("Each point is the average of at least 5 answers").first).to_be_visible()
    assert_accessible(page, "a service's results with its run charts")

    page.get_by_role("button", name="Start a test of change – The support fitted my life").click()
    test = TestOfChange.objects.get()
    assert path_of(page) == reverse("improvement:test", kwargs={"slug": partnership.slug, "test_id": test.pk})
    expect(page.get_by_text("A test of change is started")).to_be_visible()
    assert_accessible(page, "the test of change it started")


def test_a_partner_lead_sees_her_own_service(new_page: PageFactory, partnership: Any, services: dict[str, Any]) -> None:
    lead = staff_membership(partnership, role="partner_lead", organisation=services["group"].organisation)
    release(services["group"])
    page = new_page("phone", javascript=False)
    sign_in_session(page, lead.user)
    page.goto(reverse("evaluation:results", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("link", name="Northside parenting group")).to_be_visible()
    expect(page.get_by_text("Riverside money advice")).to_have_count(0)
    assert_accessible(page, "a partner lead's results")
    page.get_by_role("link", name="Northside parenting group").click()
    expect(page.locator("svg[role=img]")).to_have_count(6)
    expect(page.get_by_role("button", name="Start a test of change – The support fitted my life")).to_be_visible()
    assert_accessible(page, "her service's results")
