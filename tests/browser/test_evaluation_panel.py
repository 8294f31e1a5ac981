"""The parents' panel in the browser, on a phone with JavaScript off. Aisha joins the panel, reads a service's
new results first and comments (after a first try with nothing written); a coordinator releases the results;
the service's partner lead reads the comment without Aisha's name and responds with a promise and a date.
Every page state is checked with axe-core (WCAG 2.2 AA) at the phone and desktop sizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coproduce.evaluation import services
from coproduce.evaluation.models import PanelComment, Response
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.evaluation.panel_support import make_answers, make_review, make_subject
from tests.factories import staff_membership

pytestmark = pytest.mark.browser


def test_a_panel_member_comments_and_a_partner_lead_responds(
    new_page: PageFactory, partnership: Any, member: Any, coordinator: Any
) -> None:
    member.user.display_name = "Aisha"
    member.user.save()
    lead = staff_membership(partnership, role="partner_lead")
    job_club = make_subject(partnership, lead.organisation, "Riverside job club")
    quarter = timezone.localdate().replace(day=1)
    quarter = quarter.replace(month=(quarter.month - 1) // 3 * 3 + 1)
    make_answers(job_club, quarter, 6)
    review = make_review(job_club, quarter_start=quarter)
    panel_url = reverse("evaluation:panel", kwargs={"slug": partnership.slug})

    page = new_page("phone", javascript=False)
    sign_in_session(page, member.user)
    page.goto(panel_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("The parents' panel")
    assert_accessible(page, "the panel, before joining")
    page.get_by_role("button", name="Join the parents' panel").click()
    expect(page.get_by_text("You are on the parents' panel.").first).to_be_visible()
    assert_accessible(page, "the panel, with the results to review")

    page.get_by_role("link", name="Riverside job club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside job club")
    expect(page.get_by_text("The parents' panel is reading these results first.")).to_be_visible()
    page.get_by_role("button", name="Add my comment").click()
    expect(page.get_by_role("link", name="Write your comment.")).to_be_visible()
    assert_accessible(page, "a comment with nothing written")
    page.get_by_label("Your comment").fill("The 9am start is hard after the school run.")
    page.get_by_role("button", name="Add my comment").click()
    expect(page.get_by_text("Your comment is added, without your name.")).to_be_visible()
    assert_accessible(page, "the review with her comment")
    assert PanelComment.objects.get().review_id == review.pk

    services.review_release(actor=coordinator, review_id=review.pk)

    page = new_page("phone", javascript=False)
    sign_in_session(page, lead.user)
    page.goto(reverse("evaluation:review", kwargs={"slug": partnership.slug, "review_id": review.pk}))
    expect(page.get_by_text("The 9am start is hard after the school run.")).to_be_visible()
    expect(page.get_by_text("A member of the parents' panel", exact=False)).to_be_visible()
    expect(page.get_by_text("Aisha")).to_have_count(0)
    assert_accessible(page, "the review, for the service")
    page.get_by_label("What the service says").fill("We hear you: we will try a later start.")
    page.get_by_label("What the service will do (optional)").fill("Start the job club at 10am")
    due = timezone.localdate() + timedelta(days=45)
    page.get_by_label("By when (optional)").fill(due.isoformat())
    page.get_by_role("button", name="Publish the response").click()
    expect(page.get_by_text("Your response is published.")).to_be_visible()
    expect(page.get_by_text("Start the job club at 10am").first).to_be_visible()
    assert_accessible(page, "the review with the service's response")
    assert Response.objects.get().promise_due == due
