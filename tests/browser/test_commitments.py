"""The commitments board on a phone and a desktop: every kind of promise as a card, "Overdue" in words, the
filters as a plain form, and a worker recording a review with JavaScript off. axe-core checks every page state
at both sizes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.commitments.models import CommitmentReview
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.commitments.conftest import adopted_test, award, idea_we_will_do, stopped_practice

pytestmark = pytest.mark.browser


def choose(page: Page, name: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_board_and_a_review_recorded_without_javascript(
    size: str, new_page: PageFactory, partnership: Any, worker: Any, coordinator: Any, observer: Any
) -> None:
    adopted_test(worker, title="Evening drop-in at the hub")
    stopped_practice(worker)
    idea_we_will_do(coordinator, title="A crèche at the job fair")
    made = award(partnership)
    slug = partnership.slug

    # An observer reads the board: each promise a card, the overdue one said in words.
    reader = new_page(size)
    sign_in_session(reader, observer.user)
    reader.goto(reverse("commitments:board", kwargs={"slug": slug}))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Commitments")
    expect(reader.get_by_role("heading", level=2)).to_have_text("4 commitments, 1 overdue")
    expect(reader.locator(".cp-commitment").first).to_contain_text("Overdue")
    expect(reader.locator(".cp-commitment").first).to_contain_text("Saturday football for dads")
    assert_accessible(reader, "the board")
    reader.locator("label[for='filter_overdue']").click()  # the design system draws over the box
    expect(reader.get_by_label("Only show overdue commitments")).to_be_checked()
    reader.get_by_role("button", name="Show commitments").click()
    expect(reader.locator(".cp-commitment")).to_have_count(1)
    assert_accessible(reader, "the board, overdue only")
    reader.get_by_role("link", name="Saturday football for dads").click()
    expect(reader.get_by_text("No review has been recorded yet.")).to_be_visible()
    expect(reader.get_by_role("button", name="Record the review")).to_have_count(0)
    assert_accessible(reader, "a commitment, read by an observer")

    # A worker, with JavaScript off, records a review of the overdue award.
    staff = new_page(size, javascript=False)
    sign_in_session(staff, worker.user)
    staff.goto(reverse("commitments:review", kwargs={"slug": slug, "source": "fund.award", "object_id": made.pk}))
    staff.get_by_role("button", name="Record the review").click()
    expect(staff.get_by_text("Say what happened.").first).to_be_visible()
    assert_accessible(staff, "a review with errors")
    staff.get_by_label("What happened?").fill("The first payment went late; the club starts next month.")
    choose(staff, "Change it")
    staff.get_by_role("button", name="Record the review").click()
    expect(staff.get_by_text("Your review is recorded.")).to_be_visible()
    expect(staff.get_by_text("The first payment went late; the club starts next month.")).to_be_visible()
    assert_accessible(staff, "a commitment with its review")
    assert CommitmentReview.objects.get().verdict == "change"
