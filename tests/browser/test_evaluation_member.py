"""What parents say, in the browser. Aisha, on her phone, with JavaScript off and on: the home page asks her
about the job club she was referred to; she answers a few statements and what should change (everything else
left at "I'd rather not say"), is thanked, sees her answer in her answers, and withdraws it. Not now on a
second offer takes it away. Every page state is checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.evaluation.models import Answer, Offer
from coproduce.partnerships.models import Membership
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.evaluation.member_support import a_subject, an_offer

pytestmark = pytest.mark.browser


def choose(page: Page, statement: str, answer: str) -> None:
    """Choose an answer as a person does: click its label, inside the statement's fieldset."""
    group = page.get_by_role("group", name=statement)
    radio = group.get_by_role("radio", name=answer, exact=True)
    group.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def offer(page: Page, service: str) -> Any:
    return page.locator("li.cp-evaluation-offer", has_text=f"Tell us about {service}")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_aisha_answers_on_her_phone_sees_her_answer_and_withdraws_it(
    new_page: PageFactory, partnership: Any, member: Membership, javascript: bool
) -> None:
    member.user.display_name = "Aisha"
    member.user.save()
    job_club = an_offer(member, a_subject(partnership, "Riverside Job Club"))
    cafe = an_offer(member, a_subject(partnership, "Family Learning Cafe"))
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, member.user)

    page.goto(reverse("partnerships:home", kwargs={"slug": partnership.slug}))
    expect(page.get_by_text("Tell us about Riverside Job Club")).to_be_visible()
    assert_accessible(page, "the home page, with two offers")
    offer(page, "Family Learning Cafe").get_by_role("button", name="Not now").click()
    expect(page.get_by_text("We won't ask about that again")).to_be_visible()
    expect(page.get_by_text("Tell us about Family Learning Cafe")).to_have_count(0)
    offer(page, "Riverside Job Club").get_by_role("link", name="Answer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about Riverside Job Club")
    send = page.get_by_role("button", name="Send")
    send.click()  # nothing answered yet
    expect(page.locator(".ds_error-summary")).to_contain_text("Choose an answer to at least one statement")
    assert_accessible(page, "the answer form, nothing answered")
    choose(page, "I was listened to (optional)", "Strongly agree")
    choose(page, "I was treated with respect (optional)", "Agree")
    choose(page, "The support fitted my life (times, childcare, travel) (optional)", "Disagree")
    page.get_by_label("What should they change?").fill("Sessions after school drop-off, please.")
    assert_accessible(page, "the answer form, filled in")
    expect(send).to_be_visible()
    send.click()

    expect(page.get_by_text("Thank you for telling us about Riverside Job Club")).to_be_visible()
    assert_accessible(page, "What parents say, after answering")
    given = Answer.objects.get()
    assert (given.listened, given.respect, given.fitted, given.had_say, given.offer_id) == (5, 4, 2, None, job_club.pk)
    cafe.refresh_from_db()
    assert cafe.dismissed_at is not None
    assert Offer.objects.get(pk=job_club.pk).answered_at is not None

    page.get_by_role("link", name="Your answers: see them or withdraw one").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    expect(page.get_by_text("Sessions after school drop-off, please.")).to_be_visible()
    expect(page.get_by_text("Strongly agree")).to_be_visible()
    assert_accessible(page, "her answers")
    page.get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw this answer?")
    assert_accessible(page, "withdrawing an answer")
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_text("Your answer is withdrawn")).to_be_visible()
    expect(page.get_by_text("You have not told us about any service yet.")).to_be_visible()
    assert_accessible(page, "her answers, after withdrawing")
    assert not Answer.objects.exists()
