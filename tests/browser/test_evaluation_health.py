"""The partnership health check in the browser. A member gives her view on her phone, with JavaScript off and
on: she misses one standard, is shown which, and answers; going back and sending again saves nothing more. A
coordinator reads the results of a closed check: members and staff side by side, the gap in words, beside the
equal-voice figures. Every page state is checked with axe-core (WCAG 2.2 AA) at the phone and desktop sizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.evaluation.instrument import STANDARD_KEYS, STANDARDS
from coproduce.evaluation.models import HealthReply
from coproduce.evaluation.services import health as services
from coproduce.partnerships.models import Membership
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory, staff_membership

pytestmark = pytest.mark.browser


def health_url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": partnership.slug, **kwargs})


def choose(page: Page, standard: str, answer: str) -> None:
    """Choose an answer as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("group", name=standard).get_by_role("radio", name=answer, exact=True)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_a_member_gives_her_view_on_her_phone_once(
    new_page: PageFactory, partnership: Any, coordinator: Membership, member: Membership, javascript: bool
) -> None:
    today = timezone.localdate()
    check = services.health_check_open(
        actor=coordinator,
        title="Partnership health check, spring 2027",
        opens_on=today,
        closes_on=today + timedelta(days=14),
    )
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, member.user)

    page.goto(health_url("health", partnership))
    expect(page.get_by_role("heading", level=1)).to_have_text("The partnership health check")
    assert_accessible(page, "the health checks, one open")
    page.get_by_role("link", name="Give your view").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership health check, spring 2027")
    expect(page.get_by_text("Nobody sees who said what.")).to_be_visible()

    for standard in STANDARDS[:-1]:
        choose(page, str(standard.name), "Agree")
    page.get_by_role("button", name="Send my answers").click()
    summary = page.locator(".ds_error-summary")
    expect(summary).to_contain_text("Choose an answer, or “I’d rather not say”.")
    assert_accessible(page, "the health check form, one standard missed")
    summary.get_by_role("link").click()  # the summary's link leads to the standard missed
    choose(page, "Impact", "I’d rather not say")
    choose(page, "Working Together", "Disagree")
    assert_accessible(page, "the health check form, filled in")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("Thank you. Your view is counted.")).to_be_visible()
    expect(page.get_by_text("You have given your view. Thank you.")).to_be_visible()
    assert_accessible(page, "the health checks, after answering")
    reply = HealthReply.objects.get(health_check=check)
    scores = dict(reply.ratings.values_list("standard", "score"))
    assert (reply.side, scores["working_together"], scores["impact"], scores["inclusion"]) == ("member", 2, None, 4)

    # coming back to the form (a second tab, an old link): she is told she has answered, nothing more is saved
    page.goto(health_url("health-answer", partnership, check_id=check.pk))
    expect(page.get_by_text("You have already given your view in this health check.")).to_be_visible()
    assert HealthReply.objects.filter(health_check=check).count() == 1


def test_a_coordinator_reads_members_and_staff_side_by_side(
    new_page: PageFactory, partnership: Any, coordinator: Membership
) -> None:
    opens = timezone.localdate() - timedelta(days=20)
    check = services.health_check_open(
        actor=coordinator, title="Autumn check", opens_on=opens, closes_on=opens + timedelta(days=14), today=opens
    )
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    people += [staff_membership(partnership, role="worker") for _ in range(5)]
    for person in people:
        scores: dict[str, int | None] = dict.fromkeys(STANDARD_KEYS, 4)
        scores["working_together"] = 5 if person.is_staff_role else 3
        services.health_answer(actor=person, check_id=check.pk, scores=scores, today=opens)

    page = new_page("desktop")
    sign_in_session(page, coordinator.user)
    page.goto(health_url("health", partnership))
    page.get_by_role("link", name="See the results of Autumn check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Autumn check")
    together = page.locator("section", has=page.get_by_role("heading", name="Working Together"))
    expect(together).to_contain_text("Staff rate this higher than members do, by 2.0.")
    expect(together).to_contain_text("Gap")
    expect(together).to_contain_text("3.0 out of 5")
    expect(together).to_contain_text("5.0 out of 5")
    inclusion = page.locator("section", has=page.get_by_role("heading", name="Inclusion"))
    expect(inclusion).to_contain_text("Members and staff rate this the same.")
    expect(page.get_by_role("link", name="See all the equal voice figures")).to_be_visible()
    assert_accessible(page, "the health check's results")
