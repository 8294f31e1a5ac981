"""The partnership agreement on a phone: the coordinator sets it up (terms of reference, a steering group with a
parent's seat, a decision rule after a slip the form explains), and a parent reads it and declares an interest.
Then every page of the agreement, as the person who uses it, at the phone and desktop sizes. axe-core checks
every page state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.governance import services
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import OrganisationFactory, staff_membership

pytestmark = pytest.mark.browser


def choose(page: Page, name: str) -> None:
    """Pick a radio option as a person does: click its label (the design system draws over the input)."""
    radio = page.get_by_role("radio", name=name)
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def test_a_coordinator_sets_up_the_agreement_and_a_parent_reads_it(
    new_page: PageFactory, partnership: Any, coordinator: Any, member: Any
) -> None:
    member.user.display_name = "Aisha"
    member.user.save()
    slug = partnership.slug
    today = timezone.localdate()

    staff = new_page("phone")
    sign_in_session(staff, coordinator.user)
    staff.goto(reverse("governance:agreement", kwargs={"slug": slug}))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Partnership agreement")
    assert_accessible(staff, "the agreement, empty")

    staff.get_by_role("link", name="Publish a new version").click()
    staff.get_by_label("Terms of reference").fill("# What we are for\n\nHelping single parents into work.")
    staff.get_by_role("button", name="Publish this version").click()
    expect(staff.locator(".ds_error-summary")).to_contain_text("Say in a few words what changed.")
    expect(staff.get_by_label("Terms of reference")).to_have_value(
        "# What we are for\n\nHelping single parents into work."
    )
    assert_accessible(staff, "publishing the terms, with an error")
    staff.get_by_label("What changed?").fill("The first version")
    staff.get_by_role("button", name="Publish this version").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Terms of reference, version 1")

    staff.get_by_role("link", name="Back to the partnership agreement").click()
    staff.get_by_role("link", name="Add a group").click()
    staff.get_by_label("Name of the group").fill("Steering group")
    staff.get_by_role("button", name="Add the group").click()
    staff.get_by_role("link", name="Add a seat to the Steering group").click()
    staff.get_by_label("Title of the seat").fill("Parent representative")
    choose(staff, "A member (a parent)")
    assert_accessible(staff, "adding a seat")
    staff.get_by_role("button", name="Add the seat").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Parent representative")
    expect(staff.get_by_text("Vacant", exact=True)).to_be_visible()
    staff.get_by_role("link", name="Appoint someone").click()
    staff.get_by_label("Who holds the seat?").select_option(label="Aisha")
    staff.get_by_label("The term starts").fill(f"{today:%Y-%m-%d}")
    assert_accessible(staff, "appointing to a seat")
    staff.get_by_role("button", name="Appoint").click()
    expect(staff.get_by_role("main").get_by_text("Aisha").first).to_be_visible()

    staff.goto(reverse("governance:rule-edit", kwargs={"slug": slug, "kind": "fund"}))
    choose(staff, "Yes, no or abstain, with a threshold")
    choose(staff, "A group (such as the steering group)")
    staff.get_by_label("Which group (when a group decides)").select_option(label="Steering group")
    staff.get_by_role("button", name="Save the rule").click()
    expect(staff.locator(".ds_error-summary")).to_contain_text("Enter the share of votes that must be yes.")
    assert_accessible(staff, "a decision rule with an error")
    staff.get_by_label("For a yes, no or abstain vote").fill("67")
    staff.get_by_role("button", name="Save the rule").click()
    expect(staff.get_by_text("at least 67% of the votes must be yes")).to_be_visible()

    parent = new_page("phone", javascript=False)
    sign_in_session(parent, member.user)
    parent.goto(reverse("governance:agreement", kwargs={"slug": slug}))
    expect(parent.get_by_text("Helping single parents into work.")).to_be_visible()
    assert_accessible(parent, "the agreement as a parent, JavaScript off")
    parent.get_by_role("link", name="Declare an interest").click()
    parent.get_by_label("The interest").fill("My sister works at the nursery")
    parent.get_by_label("Since when?").fill(f"{today:%Y-%m-%d}")
    assert_accessible(parent, "declaring an interest, JavaScript off")
    parent.get_by_role("button", name="Declare it").click()
    expect(parent.get_by_role("cell", name="My sister works at the nursery", exact=True)).to_be_visible()
    assert_accessible(parent, "the register with an interest, JavaScript off")


@pytest.fixture
def agreement(partnership: Any, coordinator: Any, member: Any) -> dict[str, Any]:
    today = timezone.localdate()
    college = OrganisationFactory(partnership=partnership, name="Riverside College")
    staff_membership(partnership, role="worker", organisation=college)
    services.terms_publish(actor=coordinator, text="# Purpose\n\nFirst words.", change_note="First version")
    services.terms_publish(actor=coordinator, text="# Purpose\n\nSecond words.", change_note="Two parent seats")
    group = services.group_create(actor=coordinator, name="Steering group", purpose="Agrees the budget.")
    seat = services.seat_create(actor=coordinator, group=group, title="Parent representative", kind="member")
    services.seat_create(actor=coordinator, group=group, title="College", kind="organisation", organisation=college)
    holding = services.seat_appoint(actor=coordinator, seat=seat, membership=member, term_starts_on=today)
    services.decision_rule_set(
        actor=coordinator, kind="fund", method="consent", quorum_percent=50, participants="group", group=group
    )
    interest = services.interest_declare(actor=member, what="My sister works at the nursery", starts_on=today)
    return {"group": group, "seat": seat, "holding": holding, "interest": interest}


def _to(name: str, **ids: str) -> Callable[[Any, dict[str, Any]], str]:
    return lambda partnership, made: reverse(
        f"governance:{name}",
        kwargs={"slug": partnership.slug, **{k: made[v].pk if v in made else v for k, v in ids.items()}},
    )


# who, address, first-level heading
PAGES: dict[str, tuple[str, Callable[[Any, dict[str, Any]], str], str]] = {
    "the agreement": ("member", _to("agreement"), "Partnership agreement"),
    "an earlier version": (
        "member",
        lambda p, m: reverse("governance:terms-version", kwargs={"slug": p.slug, "number": 1}),
        "Terms of reference, version 1",
    ),
    "a seat": ("member", _to("seat", seat_id="seat"), "Parent representative"),
    "publishing terms": ("coordinator", _to("terms-new"), "Publish a new version of the terms of reference"),
    "adding a group": ("coordinator", _to("group-new"), "Add a group"),
    "changing a group": ("coordinator", _to("group-edit", group_id="group"), "Change the group Steering group"),
    "changing a seat": ("coordinator", _to("seat-edit", seat_id="seat"), "Change the seat Parent representative"),
    "removing a seat": ("coordinator", _to("seat-retire", seat_id="seat"), "Remove the seat Parent representative?"),
    "ending a term": ("coordinator", _to("holding-end", holding_id="holding"), "'s term on Parent representative"),
    "a decision rule": ("coordinator", _to("rule-edit", kind="service"), "Stopping or changing a service"),
    "changing an interest": ("member", _to("interest-edit", interest_id="interest"), "Change an interest"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible(
    page: Page, partnership: Any, coordinator: Any, member: Any, agreement: dict[str, Any], name: str
) -> None:
    who, address, heading = PAGES[name]
    sign_in_session(page, (coordinator if who == "coordinator" else member).user)
    response = page.goto(address(partnership, agreement))
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page, name, both_sizes=False)
