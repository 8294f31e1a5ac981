"""A worker and a parent run a test of change from their phones: the worker sets it up (and changes its
plan) and imports the weeks before the change, the parent records the weeks after it (with JavaScript off)
and corrects and deletes her mistakes from the data table, the chart flags the shift, the worker decides to
keep the practice stopped, the parent co-signs, and both find it in the register of what was stopped.
axe-core checks every page state at the phone and desktop sizes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import FilePayload, Page, expect

from coproduce.improvement import services
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session

pytestmark = pytest.mark.browser


def choose(page: Page, name: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_a_worker_and_a_parent_stop_something_and_find_it_in_the_register(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    services.settings_update(actor=coordinator, decisions_need_member=True, stop_rule="tell")
    today = timezone.localdate()
    weeks = [today - timedelta(weeks=14 - i) for i in range(14)]  # the last one a week ago... and earlier
    slug = partnership.slug
    member.user.display_name = "Aisha"
    member.user.save()

    # The worker, on a phone, sets up a test of stopping something.
    staff = new_page("phone")
    sign_in_session(staff, worker.user)
    staff.goto(reverse("improvement:board", kwargs={"slug": slug}))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Tests of change")
    assert_accessible(staff, "the board, empty")
    staff.get_by_role("link", name="Set up a test of change").click()
    staff.get_by_label("Name of the test").fill("Stop the paper sign-in queue")
    staff.get_by_label("What do we want to improve?").fill("Parents wait less at reception.")
    staff.get_by_label("By how much?").fill("From about 9 minutes to 3")
    staff.get_by_label("By when?").fill(f"{today + timedelta(days=60):%Y-%m-%d}")
    choose(staff, "Stop doing something")
    staff.get_by_label("What will we try, or stop?").fill("The paper sign-in sheet at reception.")
    staff.get_by_label("What do we predict will happen?").fill("Waiting time halves; nobody misses the sheet.")
    staff.get_by_label("Starts on").fill(f"{weeks[0]:%Y-%m-%d}")
    staff.get_by_label("Ends on").fill(f"{today + timedelta(days=30):%Y-%m-%d}")
    aisha = staff.get_by_role("checkbox", name="Aisha")
    staff.locator(f"label[for='{aisha.get_attribute('id')}']").click()
    assert_accessible(staff, "setting up a test")
    staff.get_by_role("button", name="Set up the test").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Stop the paper sign-in queue")
    test_url = staff.url

    # A second look at the plan: the prediction is sharpened, after a slip with the dates is explained.
    staff.get_by_role("link", name="Change the plan").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Change the plan")
    expect(staff.get_by_label("Name of the test")).to_have_value("Stop the paper sign-in queue")
    assert_accessible(staff, "changing the plan")
    staff.get_by_label("Ends on").fill(f"{weeks[0] - timedelta(days=1):%Y-%m-%d}")
    staff.get_by_role("button", name="Save the plan").click()
    expect(staff.locator(".ds_error-summary")).to_contain_text("The end date must be on or after the start date.")
    assert_accessible(staff, "a plan whose end comes before its start")
    staff.get_by_label("Ends on").fill(f"{today + timedelta(days=30):%Y-%m-%d}")
    staff.get_by_label("What do we predict will happen?").fill("Waiting time halves within three weeks.")
    staff.get_by_role("button", name="Save the plan").click()
    expect(staff.get_by_text("The plan is saved.")).to_be_visible()
    expect(staff.get_by_text("Waiting time halves within three weeks.")).to_be_visible()

    staff.get_by_role("link", name="Add a measure").click()
    staff.get_by_label("Name").fill("Minutes waiting at reception")
    choose(staff, "Outcome: what we want to improve")
    staff.get_by_label("Unit").fill("minutes")
    choose(staff, "Lower is better")
    staff.get_by_label("Where do the figures come from?").fill("Reception log, median of the week")
    staff.get_by_label("Baseline: how many of the first observations set the median?").fill("8")
    staff.get_by_role("button", name="Add the measure").click()

    # The weeks before the change come from a spreadsheet; a wrong file is refused with its line.
    staff.get_by_role("link", name=re.compile("Import from a CSV file")).click()
    staff.get_by_label("CSV file").set_input_files(
        files=[FilePayload(name="waits.csv", mimeType="text/csv", buffer=b"week,minutes\n2026-01-05,9\n")]
    )
    staff.get_by_role("button", name="Import").click()
    expect(staff.locator(".ds_error-summary")).to_contain_text("Line 1: the columns must be")
    assert_accessible(staff, "importing a file with the wrong columns")
    before = [9, 8, 10, 9, 8, 10, 9, 9, 4, 3, 4]
    rows = "".join(f"{day:%Y-%m-%d},{value}\n" for day, value in zip(weeks[:11], before, strict=True))
    staff.get_by_label("CSV file").set_input_files(
        files=[FilePayload(name="waits.csv", mimeType="text/csv", buffer=f"date,value\n{rows}".encode())]
    )
    staff.get_by_role("button", name="Import").click()
    expect(staff.get_by_text("11 observations imported.")).to_be_visible()
    choose(staff, "Do")
    staff.get_by_role("button", name="Change the stage").click()
    expect(staff.get_by_text("Stage: Do")).to_be_visible()

    # The parent, on an old phone with JavaScript off, records the last three weeks.
    parent = new_page("phone", javascript=False)
    sign_in_session(parent, member.user)
    parent.goto(test_url)
    for day, value in zip(weeks[11:], ["3", "2", "30"], strict=True):  # the last one mistyped
        parent.get_by_role("link", name=re.compile("Record an observation")).click()
        parent.get_by_label("Date").fill(f"{day:%Y-%m-%d}")
        parent.get_by_label("Value").fill(value)
        parent.get_by_role("button", name="Save").click()
        expect(parent.get_by_text("The observation is saved.")).to_be_visible()
    # A value that is not a number is explained, not saved; put right, it is saved (on the wrong day).
    parent.get_by_role("link", name=re.compile("Record an observation")).click()
    parent.get_by_label("Date").fill(f"{today:%Y-%m-%d}")
    parent.get_by_label("Value").fill("three")
    parent.get_by_role("button", name="Save").click()
    expect(parent.locator(".ds_error-summary")).to_contain_text("“three” is not a number")
    assert_accessible(parent, "an observation that is not a number")
    parent.get_by_label("Value").fill("3")
    parent.get_by_role("button", name="Save").click()
    expect(parent.get_by_text("The observation is saved.")).to_be_visible()

    # She fixes the mistyped week from the data table, after a slip onto a date already recorded ...
    def row_link(day: Any) -> Any:
        return parent.get_by_role("link", name=f"Change – {day.day} {day:%b} {day.year}")

    parent.get_by_text(re.compile(r"The 15 observations as a table")).click()
    row_link(weeks[13]).click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Change an observation")
    expect(parent.get_by_label("Value")).to_have_value("30")
    assert_accessible(parent, "changing an observation")
    parent.get_by_label("Date").fill(f"{weeks[12]:%Y-%m-%d}")
    parent.get_by_label("Value").fill("3")
    parent.get_by_role("button", name="Save").click()
    expect(parent.locator(".ds_error-summary")).to_contain_text("There is already an observation for")
    assert_accessible(parent, "an observation moved onto a date already recorded")
    parent.get_by_label("Date").fill(f"{weeks[13]:%Y-%m-%d}")
    parent.get_by_role("button", name="Save").click()
    expect(parent.get_by_text("The observation is changed.")).to_be_visible()
    # ... and deletes the one on the wrong day, after a page asks her to confirm.
    parent.get_by_text(re.compile(r"The 15 observations as a table")).click()
    row_link(today).click()
    parent.get_by_role("link", name="Delete this observation").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Delete this observation?")
    assert_accessible(parent, "deleting an observation")
    parent.get_by_role("button", name="Yes, delete it").click()
    expect(parent.get_by_text("The observation is deleted.")).to_be_visible()
    expect(parent.get_by_text(re.compile(r"The 14 observations as a table"))).to_be_visible()

    # The chart flags the shift: six weeks in a row below the baseline median, which is better here.
    reading = parent.locator(".ds_inset-text").filter(has_text="What the chart shows")
    expect(reading).to_contain_text("A shift: 6 points in a row below the median")
    expect(reading).to_contain_text("(better)")
    assert_accessible(parent, "the test's page with a shift on its chart")

    # The parent says whether it helped.
    parent.get_by_role("link", name="Did this help you? Tell us").click()
    choose(parent, "Yes")
    parent.get_by_label("Anything you want to add?").fill("No more queueing with the buggy.")
    assert_accessible(parent, "the one-question check")
    parent.get_by_role("button", name="Send my answer").click()
    expect(parent.get_by_text("Thank you.")).to_be_visible()

    # The worker studies and decides to keep the sheet stopped; the decision waits for a member.
    staff.goto(test_url)
    staff.get_by_role("link", name="Write study notes").click()
    staff.get_by_label("What happened, against the predictions?").fill("Waits fell from 9 to 3 minutes.")
    staff.get_by_role("button", name="Save study notes").click()
    staff.get_by_role("link", name="Decide: adopt, adapt or abandon").click()
    choose(staff, "Adopt: keep doing it")
    staff.get_by_role("button", name="Record the decision").click()
    expect(staff.locator(".ds_error-summary")).to_contain_text("Give the reasons for the decision.")
    assert_accessible(staff, "a decision without reasons")
    staff.get_by_label("Reasons").fill("Shorter waits, and nobody missed the sheet.")
    staff.get_by_label("Review date").fill(f"{today + timedelta(days=90):%Y-%m-%d}")
    staff.get_by_role("button", name="Record the decision").click()
    expect(staff.get_by_text("Waiting for a member to co-sign it")).to_be_visible()

    # The parent co-signs, and finds the practice in the register.
    parent.goto(test_url)
    parent.get_by_role("button", name="Co-sign this decision").click()
    expect(parent.get_by_text("You co-signed the decision.")).to_be_visible()
    parent.get_by_role("link", name="The paper sign-in sheet at reception.").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("The paper sign-in sheet at reception.")
    assert_accessible(parent, "a stopped practice")
    parent.get_by_role("link", name="Back to what we stopped").click()
    parent.get_by_label("Search what we stopped").fill("sign-in")
    parent.get_by_role("button", name="Search").click()
    expect(parent.get_by_role("heading", level=2).first).to_have_text("1 stopped practice matches")
    assert_accessible(parent, "the register, searched")

    staff.goto(reverse("improvement:board", kwargs={"slug": slug}))
    expect(staff.locator("#stage-act")).to_contain_text("(1)")
    assert_accessible(staff, "the board with a decided test")
