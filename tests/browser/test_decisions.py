"""Decisions on a phone. Aisha answers a consent decision at 360 × 740 with JavaScript off and then on (a
block without a reason is explained first), and ranks the candidates in the election of two parents to the
board; a coordinator closes it and writes down what was decided. Then every page state — each method's answer
form, raising a decision with and without the kind's rule, versions, amending, closing, the outcome form, the
results while being counted and once counted, and counting a ballot file — is checked by axe-core (WCAG 2.2
AA) at the phone and desktop sizes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import FilePayload, Locator, Page, expect

from coproduce.decisions import services
from coproduce.decisions.models import Decision, Outcome, Participation
from coproduce.governance.models import DecisionRule
from tests.browser.conftest import PageFactory
from tests.browser.support import VIEWPORTS, assert_accessible, sign_in_session
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


def choose(page: Page, name: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("radio", name=name, exact=True)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def assert_on_screen(page: Page, control: Locator) -> None:
    """The control is visible and fits inside the phone's width (not cut off or pushed off the side)."""
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS["phone"]["width"], box


def candidate(page: Page, name: str) -> Locator:
    """The rank list for one candidate (each is optional: rank as many or as few as you like)."""
    return page.get_by_label(re.compile(rf"^{name}\b"))


def raised(actor: Any, method: str = "consent", **overrides: Any) -> Decision:
    values: dict[str, Any] = {
        "kind": "everyday",
        "method": method,
        "title": f"A {method.replace('_', ' ')} proposal",
        "background": "Why it **matters**.",
        "options": [],
        "closes_at": timezone.now() + timedelta(days=7),
        "participants": "everyone",
        "anonymous": False,
    }
    if method in ("score", "dot", "ranked_irv", "ranked_schulze", "stv"):
        values["options"] = ["Aisha", "Bea", "Cal"]
    if method == "time_poll":
        start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=3)
        values["options"] = [
            (start, start + timedelta(hours=1)),
            (start + timedelta(days=1), start + timedelta(days=1, hours=1)),
        ]
    extra = {"yes_no": {"threshold_percent": 50}, "score": {"max_score": 5}, "dot": {"dots": 10}, "stv": {"seats": 2}}
    values.update(extra.get(method, {}))
    values.update(overrides)
    return services.decision_raise(actor=actor, **values)


def decision_url(name: str, decision: Decision) -> str:
    return reverse(f"decisions:{name}", kwargs={"slug": decision.partnership.slug, "decision_id": decision.pk})


def test_aisha_answers_a_consent_decision_on_a_phone_without_and_with_javascript(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any
) -> None:
    member.user.display_name = "Aisha"
    member.user.save()
    first = raised(worker, title="Move the drop-in to Tuesdays")
    second = raised(worker, title="Close the hub at 3 pm in the holidays")

    for decision, javascript in ((first, False), (second, True)):
        phone = new_page("phone", javascript=javascript)
        sign_in_session(phone, member.user)
        phone.goto(reverse("decisions:list", kwargs={"slug": partnership.slug}))
        expect(phone.get_by_role("heading", level=1)).to_have_text("Decisions")
        expect(phone.get_by_text("You have not answered yet").first).to_be_visible()
        assert_accessible(phone, f"the list of decisions (JavaScript {'on' if javascript else 'off'})")
        phone.get_by_role("link", name=decision.title).click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(decision.title)
        expect(phone.get_by_text("A concern or a block does not end the proposal.")).to_be_visible()
        for answer in ("Agree", "I have a concern", "Block – I cannot live with this"):
            assert_on_screen(phone, phone.locator("label", has_text=answer))
        send = phone.get_by_role("button", name="Send my answer")
        assert_on_screen(phone, send)
        assert_accessible(phone, "a consent decision, not yet answered")

        # A block needs a reason: the page says so next to the reason box, and keeps the choice.
        choose(phone, "Block – I cannot live with this")
        send.click()
        expect(phone.locator(".ds_error-summary")).to_contain_text("Say why you block it.")
        expect(phone.get_by_role("radio", name="Block – I cannot live with this")).to_be_checked()
        assert_accessible(phone, "a block without a reason")
        phone.get_by_label("Your reason").fill("The Tuesday bus does not run in the holidays.")
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.get_by_text("The person who raised it is told about your objection")).to_be_visible()
        expect(phone.get_by_text("Block – I cannot live with this").first).to_be_visible()
        assert_accessible(phone, "a consent decision, answered with a block")

        # She changes her mind to a concern.
        choose(phone, "I have a concern")
        phone.get_by_role("button", name="Change my answer").click()
        expect(phone.get_by_text("Your answer is saved.")).to_be_visible()
        saved = Participation.objects.get(decision=decision, user=member.user)
        assert (saved.position, saved.reason) == ("disagree", "The Tuesday bus does not run in the holidays.")


def test_aisha_ranks_the_candidates_and_a_coordinator_closes_and_records_the_outcome(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    member.user.display_name = "Aisha"
    member.user.save()
    election = raised(worker, "stv", title="Two parents on the board", options=["Danielle", "Eve", "Fatima"])
    danielle, eve, fatima = election.options.order_by("position")
    others = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(6)]
    for i, voter in enumerate(others):
        ranking = {danielle.pk: 1, eve.pk: 2} if i < 4 else {fatima.pk: 1}
        services.answer_give(actor=voter, decision=election, values=ranking)

    phone = new_page("phone")
    sign_in_session(phone, member.user)
    phone.goto(decision_url("decision", election))
    expect(phone.get_by_text("This fills 2 seats.")).to_be_visible()
    for name in ("Danielle", "Eve", "Fatima"):
        assert_on_screen(phone, candidate(phone, name))
    assert_accessible(phone, "an STV election, not yet answered")
    candidate(phone, "Eve").select_option("1")
    candidate(phone, "Danielle").select_option("1")
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.locator(".ds_error-summary")).to_contain_text("You gave 1 to more than one.")
    assert_accessible(phone, "an STV ballot with a rank given twice")
    candidate(phone, "Danielle").select_option("2")
    phone.get_by_role("button", name="Send my answer").click()
    expect(phone.get_by_text("Your answer is saved.")).to_be_visible()
    expect(candidate(phone, "Eve")).to_have_value("1")

    desk = new_page("desktop")
    sign_in_session(desk, coordinator.user)
    desk.goto(decision_url("decision", election))
    desk.get_by_role("link", name="Close it now").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Close the decision now?")
    assert_accessible(desk, "closing a decision")
    desk.get_by_role("button", name="Close it and count the answers").click()
    # The tests' task backend counts when the close commits: the page comes back counted.
    expect(desk.get_by_role("heading", level=1)).to_have_text("Result")
    expect(desk.get_by_text(re.compile(r"^Stage 1: first preferences counted"))).to_be_visible()
    expect(desk.get_by_text("Elected, in order:").first).to_be_visible()
    assert_accessible(desk, "the result of an STV election")

    desk.goto(decision_url("decision", election))
    desk.get_by_role("link", name="Write down what was decided").click()
    assert_accessible(desk, "writing the outcome")
    desk.get_by_label("What was decided, and what will happen").fill("Danielle and Eve join the board in May.")
    desk.get_by_label("Who makes it happen?").select_option(label=coordinator.user.display_name)
    desk.get_by_label("To be done by").fill(f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}")
    desk.get_by_label("Look back at it on").fill(f"{timezone.localdate() + timedelta(days=10):%Y-%m-%d}")
    desk.get_by_role("button", name="Save what was decided").click()
    expect(desk.locator(".ds_error-summary")).to_contain_text("Look back at it on or after")
    assert_accessible(desk, "an outcome reviewed before it is due")
    desk.get_by_label("Look back at it on").fill(f"{timezone.localdate() + timedelta(days=180):%Y-%m-%d}")
    desk.get_by_role("button", name="Save what was decided").click()
    expect(desk.get_by_text("Danielle and Eve join the board in May.")).to_be_visible()
    assert Outcome.objects.get(decision=election).owner_id == coordinator.pk

    phone.goto(decision_url("results", election))
    expect(phone.get_by_role("heading", name="Members and staff side by side")).to_be_visible()
    assert_accessible(phone, "the result on a phone, with the table stacked")


# --- Every page state, at both sizes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    who: str
    url: Callable[[dict[str, Any]], str]
    heading: str | re.Pattern[str]
    then: Callable[[Page], None] | None = None


def on(name: str, key: str) -> Callable[[dict[str, Any]], str]:
    return lambda world: decision_url(name, world[key])


def in_decisions(name: str, query: str = "") -> Callable[[dict[str, Any]], str]:
    return lambda world: reverse(f"decisions:{name}", kwargs={"slug": world["partnership"].slug}) + query


def press(button: str) -> Callable[[Page], None]:
    return lambda page: page.get_by_role("button", name=button).click()


def dots_over(page: Page) -> None:
    for field in page.locator("input.cp-dot-input").all():
        field.fill("6")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Take 8 off.")


def a_bad_file(page: Page) -> None:
    page.get_by_label("The ballots file").set_input_files(
        files=[FilePayload(name="bad.blt", mimeType="text/plain", buffer=b"3 2\n1 1 9 0\n0\n")]
    )
    page.get_by_label("Closes on").fill(f"{timezone.localdate() + timedelta(days=2):%Y-%m-%d}")
    page.get_by_role("button", name="Count the ballots").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()


def hide_a_comment(page: Page) -> None:
    page.get_by_role("button", name="Hide this comment by").first.click()
    expect(page.get_by_text("The comment is hidden.")).to_be_visible()
    expect(page.get_by_text("This comment was hidden by a coordinator.")).to_have_count(2)


VISITS = {
    "the list, empty of answers": Visit("member", in_decisions("list"), "Decisions"),
    "raising: the kind": Visit("member", in_decisions("new"), "Raise a decision"),
    "raising: no rule, the method chosen, with errors": Visit(
        "member", in_decisions("new", "?kind=everyday"), "Raise a decision", then=press("Raise the decision")
    ),
    "raising: under the kind's rule": Visit("member", in_decisions("new", "?kind=agreement"), "Raise a decision"),
    "yes/no": Visit("member", on("decision", "yes_no"), "A yes no proposal"),
    "scores": Visit("member", on("decision", "score"), "A score proposal"),
    "dots, over the total": Visit("member", on("decision", "dot"), "A dot proposal", then=dots_over),
    "time poll": Visit("member", on("decision", "time_poll"), "A time poll proposal"),
    "ranked, one winner": Visit("member", on("decision", "ranked_irv"), "A ranked irv proposal"),
    "a decision someone cannot answer": Visit("worker", on("decision", "members_only"), "For members only"),
    "versions after an amendment": Visit("member", on("versions", "consent"), "Every version of the proposal"),
    "the discussion with a hidden comment": Visit(
        "member", on("decision", "consent"), "A consent proposal, on Wednesdays"
    ),
    "the discussion as a coordinator, hiding a comment": Visit(
        "coordinator", on("decision", "consent"), "A consent proposal, on Wednesdays", then=hide_a_comment
    ),
    "amending": Visit("worker", on("amend", "consent"), "Change the proposal"),
    "amending, without a note": Visit(
        "worker", on("amend", "consent"), "Change the proposal", then=press("Save the new version")
    ),
    "results while being counted": Visit("member", on("results", "pending"), "Result"),
    "results, double majority not met": Visit("member", on("results", "double"), "Result"),
    "results of a still open decision": Visit("member", on("results", "score"), "Result"),
    "a closed decision with its outcome": Visit("member", on("decision", "double"), "Members decide, staff agree"),
    "counting a ballot file, with a bad file": Visit(
        "coordinator", in_decisions("import"), "Count ballots from a file", then=a_bad_file
    ),
}


@pytest.fixture
def world(partnership: Any, member: Any, worker: Any, coordinator: Any) -> dict[str, Any]:
    DecisionRule.objects.create(
        partnership=partnership, kind="agreement", method="yes_no", threshold_percent=66, participants="everyone"
    )
    world: dict[str, Any] = {"partnership": partnership, "member": member, "worker": worker, "coordinator": coordinator}
    for method in ("consent", "yes_no", "score", "dot", "time_poll", "ranked_irv"):
        world[method] = raised(worker, method)
    services.answer_give(actor=member, decision=world["consent"], position="block", reason="Not on a Tuesday.")
    services.decision_amend(
        actor=worker,
        decision=world["consent"],
        title="A consent proposal, on Wednesdays",
        background="Wednesdays instead.",
        options=[],
        change_note="Tuesday does not suit everyone.",
    )
    services.comment_add(actor=member, decision=world["consent"], body="Could we try it for a month?")
    unkind = services.comment_add(actor=worker, decision=world["consent"], body="Something unkind.")
    services.comment_hide(actor=coordinator, comment=unkind)
    world["members_only"] = raised(worker, title="For members only", participants="members")
    pending = raised(worker, title="Waiting for its count")
    Decision.objects.filter(pk=pending.pk).update(status="closed", closed_at=timezone.now(), result_status="pending")
    world["pending"] = pending
    double = raised(
        worker, "yes_no", title="Members decide, staff agree", double_majority=True, quorum_members_percent=30
    )
    services.answer_give(actor=member, decision=double, position="no")
    services.answer_give(actor=worker, decision=double, position="yes")
    services.decision_close(actor=worker, decision=double)
    services.decision_count(double.pk)
    services.outcome_record(
        actor=worker,
        decision=double,
        statement="We keep things as they are and ask parents again in spring.",
        owner_membership_id=worker.pk,
        due_on=timezone.localdate() + timedelta(days=30),
        review_on=timezone.localdate() + timedelta(days=90),
    )
    world["double"] = double
    return world


@pytest.mark.parametrize("name", list(VISITS))
def test_every_decisions_page_state_is_accessible(new_page: PageFactory, world: dict[str, Any], name: str) -> None:
    visit = VISITS[name]
    page = new_page("phone")
    sign_in_session(page, world[visit.who].user)
    page.goto(visit.url(world))
    expect(page.get_by_role("heading", level=1)).to_have_text(visit.heading)
    assert_accessible(page, name)
    if visit.then is not None:
        visit.then(page)
        assert_accessible(page, f"{name}, next step")
