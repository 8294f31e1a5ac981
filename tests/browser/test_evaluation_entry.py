"""Paper and read-out answers in the browser. Jamie, a keyworker, prints the paper form for the job club (one A4
page as a PDF, with JavaScript's print button and without it), then enters a pile of returned forms on his phone
and on his laptop: the service and the way stay chosen between forms, and a form entered twice is refused with
the day it was counted. Every page state is checked with axe-core (WCAG 2.2 AA) at the phone and desktop
sizes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.evaluation.instrument import STATEMENTS
from coproduce.evaluation.models import Answer, Question, Subject
from coproduce.partnerships.models import Membership
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session

pytestmark = pytest.mark.browser


def a_subject(partnership: Any) -> Subject:
    return Subject.objects.create(
        partnership=partnership, kind=Subject.Kind.SERVICE, source_key="support.service:1", name="Job club"
    )


def evaluation_url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": partnership.slug, **kwargs})


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF Chromium wrote: its page objects (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def choose(page: Page, group: str, option: str) -> None:
    """Pick a radio option in one question as a person does: click its label (the design system draws over it)."""
    radio = page.get_by_role("group", name=group).get_by_role("radio", name=option, exact=True)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_the_paper_form_prints_on_one_a4_page(
    new_page: PageFactory, partnership: Any, worker: Membership, javascript: bool
) -> None:
    subject = a_subject(partnership)
    # The longest the form gets: the service's three own questions, two of them answered in words.
    Question.objects.create(subject=subject, text="The room was easy to get to with a buggy", kind="scale", position=1)
    Question.objects.create(subject=subject, text="What time of day suits you best?", kind="text", position=2)
    Question.objects.create(subject=subject, text="What would help you bring your children?", kind="text", position=3)
    page = new_page("desktop", javascript=javascript)
    sign_in_session(page, worker.user)
    page.goto(evaluation_url("paper", partnership))
    expect(page.get_by_role("heading", level=1)).to_have_text("Paper forms")
    assert_accessible(page, "choosing a service for a paper form")
    page.get_by_role("link", name="Form for Job club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about Job club")
    expect(page.get_by_text("use your browser's print")).to_be_visible()
    button = page.get_by_role("button", name="Print this form")
    if javascript:
        expect(button).to_be_visible()
    else:
        expect(button).to_be_hidden()
    assert_accessible(page, "the paper form")

    page.emulate_media(media="print")
    expect(page.locator(".ds_site-header")).to_be_hidden()
    expect(page.locator(".ds_site-footer")).to_be_hidden()
    expect(page.get_by_text("Form number (office use)")).to_be_visible()
    body_size = page.locator(".cp-paper__intro").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    statement_size = page.get_by_role("rowheader", name=str(STATEMENTS[0].text)).evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    # 14pt and 16pt in CSS pixels (4/3 of a point), as the browser rounds them
    assert body_size >= 14 * 4 / 3 - 0.01
    assert statement_size >= 16 * 4 / 3 - 0.01
    pdf = page.pdf(format="A4")
    assert pdf_pages(pdf) == 1


def test_the_print_button_opens_the_browsers_print(new_page: PageFactory, partnership: Any, worker: Membership) -> None:
    subject = a_subject(partnership)
    page = new_page("phone")
    sign_in_session(page, worker.user)
    # window.print() would open a dialogue a headless browser cannot show: count the calls instead.
    page.add_init_script("window.__printed = 0; window.print = function () { window.__printed += 1; };")
    page.goto(evaluation_url("paper-form", partnership, subject_id=subject.pk))
    page.get_by_role("button", name="Print this form").click()
    assert page.evaluate("window.__printed") == 1


def test_jamie_enters_a_pile_of_paper_forms(page: Page, partnership: Any, worker: Membership) -> None:
    """Runs at the phone size and at the desktop size (the ``page`` fixture)."""
    a_subject(partnership)
    sign_in_session(page, worker.user)
    page.goto(evaluation_url("enter", partnership))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter answers")
    assert_accessible(page, "choosing what to enter")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Choose how the answers came.")
    assert_accessible(page, "choosing what to enter, with nothing chosen")
    choose(page, "How did the answers come?", "On a paper form")
    page.get_by_label("Which service are the answers about?").select_option(label="Job club")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a paper form")
    assert_accessible(page, "the paper form's answers, empty")

    for number, ref in enumerate(["B-017", "B-018"]):
        page.get_by_label("Form number").fill(ref)
        choose(page, str(STATEMENTS[0].text), "Strongly agree")
        choose(page, str(STATEMENTS[3].text), "Disagree" if number else "Agree")
        page.get_by_label("What should they change?").fill("Sessions after school drop-off")
        save = page.get_by_role("button", name="Save and enter another")
        expect(save).to_be_visible()
        save.click()
        expect(page.get_by_text(f"Saved: form {ref} about Job club. Enter another.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter a paper form")
        expect(page.get_by_label("Form number")).to_have_value("")
    assert_accessible(page, "the next paper form, after saving one")

    page.get_by_label("Form number").fill("b-017")
    page.get_by_role("button", name="Save and enter another").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Form B-017 was entered on")
    expect(page.locator(".ds_error-summary")).to_contain_text("it is counted already")
    assert_accessible(page, "a paper form entered twice")
    saved = Answer.objects.filter(partnership=partnership).order_by("paper_ref")
    assert [(a.paper_ref, a.mode, a.user_id, a.listened, a.fitted) for a in saved] == [
        ("B-017", "paper", None, 5, 4),
        ("B-018", "paper", None, 5, 2),
    ]
