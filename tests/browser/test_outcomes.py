"""Employability outcomes in the browser, on a phone, with JavaScript off and on. Aisha adds the job she started,
answers about her family ("prefer not to say" to one), and asks for a correction of the course Jamie recorded
with her; Jamie, her keyworker, sees her outcomes and the follow-ups due, answers the correction, and Aisha sees
the answer and that Jamie looked. Every page state is checked with axe-core (WCAG 2.2 AA) at 360 px and desktop."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduce.partnerships.models import Membership
from coproduce.reports.models.outcomes import CorrectionRequest, Outcome, PriorityGroups
from coproduce.reports.services import outcomes as services
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.reports.outcomes_support import days_ago, keyworker_for

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_aisha_records_her_job_and_jamie_answers_her_correction(
    new_page: PageFactory, partnership: Any, member: Membership, worker: Membership, javascript: bool
) -> None:
    member.user.display_name = "Aisha"
    member.user.save()
    worker.user.display_name = "Jamie Reid"
    worker.user.save()
    keyworker_for(member, worker)
    services.outcome_record(
        actor=worker, member=member, kind="training_started", on=days_ago(40), agreed_with_member=True
    )
    slug = partnership.slug
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, member.user)

    page.goto(reverse("reports:outcomes", kwargs={"slug": slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("My outcomes")
    assert_accessible(page, "My outcomes, one outcome")
    page.get_by_role("link", name="Add an outcome").click()
    page.locator("label.ds_radio__label", has_text="Started a job").first.click()
    page.get_by_label("When").fill(days_ago(7).isoformat())
    page.get_by_label("Hours a week (for a job or a move on in work)").fill("16")
    page.get_by_label("Contract (for a job or a move on in work)").select_option("permanent")
    page.get_by_label("Pay an hour, in pounds (for a job or a move on in work)").fill("-2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("less than nothing")
    assert_accessible(page, "the outcome form, with an error")
    page.get_by_label("Pay an hour, in pounds (for a job or a move on in work)").fill("13.45")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The outcome is recorded.")).to_be_visible()
    expect(page.get_by_text("at least the real Living Wage")).to_be_visible()

    page.get_by_role("link", name="Change your answers about your family").click()
    expect(page.get_by_text("“Prefer not to say” is always fine")).to_be_visible()
    page.get_by_role("group", name="I am a lone parent").get_by_text("Yes", exact=True).click()
    minority = page.get_by_role("group", name="My family is from a minority ethnic group")
    minority.get_by_text("Prefer not to say", exact=True).click()
    assert_accessible(page, "the family questions")
    page.get_by_role("button", name="Save").click()
    groups = PriorityGroups.objects.get(member=member)
    assert (groups.lone_parent, groups.minority_ethnic) == ("yes", "prefer_not")

    page.get_by_role("link", name="Ask for a correction of Started training or a course").click()
    page.get_by_label("What is wrong, and what should it say?").fill("It started a week later.")
    assert_accessible(page, "asking for a correction")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your request is sent")).to_be_visible()
    asked = CorrectionRequest.objects.get()

    staff = new_page("phone", javascript=javascript)
    sign_in_session(staff, worker.user)
    staff.goto(reverse("reports:outcomes", kwargs={"slug": slug}))
    staff.get_by_role("link", name="Aisha").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Aisha's outcomes")
    expect(staff.get_by_text("Still in work 13 weeks after starting")).to_be_visible()
    assert_accessible(staff, "her keyworker's page")
    staff.get_by_role("link", name="Started training or a course", exact=False).first.click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Answer a correction request")
    assert_accessible(staff, "answering a correction")
    staff.get_by_label("When").fill(days_ago(33).isoformat())
    staff.get_by_label("Your reply to her").fill("Changed to the right week.")
    staff.get_by_role("button", name="Correct it").click()
    expect(staff.get_by_text("The outcome is corrected and she is told.")).to_be_visible()
    asked.refresh_from_db()
    assert asked.status == "corrected"
    assert Outcome.objects.get(kind="training_started").on == days_ago(33)

    page.goto(reverse("reports:outcomes", kwargs={"slug": slug}))
    expect(page.get_by_text("Changed to the right week.")).to_be_visible()
    expect(page.locator("#reads-heading + ul")).to_contain_text("Jamie Reid")
    assert_accessible(page, "My outcomes, after the correction")
