"""The pooled fund in a real browser: a member votes on a phone without JavaScript and checks their receipt;
a coordinator reads the ledger and a round's results. axe-core (WCAG 2.2 AA) on every page state, at the
phone and desktop sizes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from coproduce.fund import services
from coproduce.fund.models import Ballot, Contribution, ResultSnapshot
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round, move_to

pytestmark = pytest.mark.browser


def tick(page: Page, name: str, *, checked: bool = True) -> None:
    """Tick (or untick) a checkbox as a person does: the design system draws the box over the label, so
    click that."""
    checkbox = page.get_by_role("checkbox", name=re.compile(re.escape(name)))
    page.locator(f"label[for='{checkbox.get_attribute('id')}']").click()
    expect(checkbox).to_be_checked(checked=checked)


def test_a_member_votes_on_a_phone_without_javascript_and_checks_their_receipt(
    new_page: PageFactory, partnership: Any
) -> None:
    member = MembershipFactory(partnership=partnership, is_member=True)
    round_ = make_round(partnership, phase="voting", title="Autumn round", budget=5_000, max_choices=2)
    for cost, title in ((1_500, "Interview clothes bank"), (2_500, "Holiday club places"), (4_000, "Driving lessons")):
        make_proposal(round_, cost=cost, title=title)
    page = new_page("phone", javascript=False)
    sign_in_session(page, member.user)

    page.goto(reverse("fund:round", kwargs={"slug": partnership.slug, "round_id": round_.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autumn round")
    assert_accessible(page, "round open for voting (no JavaScript)")
    page.get_by_role("link", name="Vote", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ballot")
    assert_accessible(page, "empty ballot (no JavaScript)")

    # Too many projects: a clear message, nothing saved.
    for title in ("Interview clothes bank", "Holiday club places", "Driving lessons"):
        tick(page, title)
    page.get_by_role("button", name="Cast my ballot").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("Choose at most 2 projects.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "ballot with too many projects (no JavaScript)")
    assert not Ballot.objects.exists()

    tick(page, "Driving lessons", checked=False)
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is saved")
    receipt = Ballot.objects.get().receipt
    expect(page.locator("#receipt")).to_contain_text(receipt)
    assert_accessible(page, "ballot saved with its receipt (no JavaScript)")

    page.get_by_role("link", name="Check your receipt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a ballot receipt")
    found = page.locator("main")
    expect(found).to_contain_text("Interview clothes bank")
    expect(found).to_contain_text("Holiday club places")
    expect(found).not_to_contain_text("Driving lessons")
    assert_accessible(page, "receipt looked up (no JavaScript)")


def test_a_coordinator_sees_the_ledger_and_the_results(page: Page, partnership: Any) -> None:
    organisation = OrganisationFactory(partnership=partnership, name="Riverside College")
    coordinator = staff_membership(partnership, role="coordinator", organisation=organisation)
    services.contribution_record(
        actor=coordinator,
        organisation=organisation,
        kind="money",
        description="Flexible fund",
        value_pence=2_000_000,
        received=True,
    )
    services.contribution_record(
        actor=coordinator, organisation=organisation, kind="in_kind", description="Tutor hours", value_pence=320_000
    )
    round_ = make_round(partnership, phase="voting", title="Spring round", budget=2_000, max_choices=3)
    big1 = make_proposal(round_, cost=1_000, title="Bus passes")
    big2 = make_proposal(round_, cost=1_000, title="Laptop loans")
    small = make_proposal(round_, cost=800, title="A crèche at the job fair")
    for n in range(5):
        voter = MembershipFactory(partnership=partnership, is_member=True)
        choices = {big1.pk: 1, big2.pk: 1} if n < 3 else {small.pk: 1}
        services.ballot_submit(actor=voter, round_=round_, choices=choices)
    move_to(round_, "results")
    # Results asked for and waiting for the worker (as on a site where `coproduce worker` is busy).
    digest, count = services.ballots_digest(round_.pk)
    pending = ResultSnapshot.objects.create(
        round=round_, completion=round_.completion, ballots_digest=digest, ballot_count=count
    )
    assert Contribution.objects.count() == 2
    sign_in_session(page, coordinator.user)

    page.goto(reverse("fund:ledger", kwargs={"slug": partnership.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text("The pooled fund")
    expect(page.get_by_role("table", name="Each partner's contributions")).to_contain_text("£20,000")
    assert_accessible(page, "the ledger, coordinator")

    page.get_by_role("link", name="Rounds: deciding together").click()
    page.get_by_role("link", name="Spring round").click()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    expect(page.get_by_role("status").filter(has_text="being worked out from 5 ballots")).to_be_visible()
    assert_accessible(page, "round results being worked out, coordinator")
    services.results_compute(snapshot_id=pending.pk)  # the worker's turn
    page.reload()
    expect(page.get_by_role("table", name="Funded projects")).to_contain_text("A crèche at the job fair")
    expect(page.locator("main")).to_contain_text("funded the usual way, not by equal shares")
    assert_accessible(page, "round results, coordinator")

    page.get_by_role("button", name="Make the awards").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"awards? made"))
    page.get_by_role("link", name="See them in the ledger").click()
    expect(page.get_by_role("table", name=re.compile("Awards to projects"))).to_contain_text("A crèche at the job fair")
    assert_accessible(page, "the ledger with awards, coordinator")


def test_results_say_in_plain_words_when_the_shares_were_raised(page: Page, partnership: Any) -> None:
    # £1,000 between three voters is £333.33 each, which funds only the £300 project; the completion step
    # raises every share by whole pounds to £350.33, which funds all three. The shares then add up to £1,051:
    # the page must say why, not call them "equal shares of the money".
    round_ = make_round(partnership, phase="voting", title="Summer round", budget=1_000, max_choices=1)
    projects = [
        make_proposal(round_, cost=cost, title=title)
        for cost, title in ((350, "Bus passes"), (350, "Laptop loans"), (300, "A crèche"))
    ]
    voters = [MembershipFactory(partnership=partnership, is_member=True) for _ in projects]
    for voter, project in zip(voters, projects, strict=True):
        services.ballot_submit(actor=voter, round_=round_, choices={project.pk: 1})
    move_to(round_, "results")
    digest, count = services.ballots_digest(round_.pk)
    snapshot = ResultSnapshot.objects.create(
        round=round_, completion=round_.completion, ballots_digest=digest, ballot_count=count
    )
    services.results_compute(snapshot_id=snapshot.pk)
    sign_in_session(page, voters[0].user)

    page.goto(reverse("fund:results", kwargs={"slug": partnership.slug, "round_id": round_.pk}))
    main = page.locator("main")
    expect(main).to_contain_text("Every voter started with an equal share of the budget: £333.33 each.")
    expect(main).to_contain_text("every share was raised by the same amount, to £350.33 each")
    expect(main).to_contain_text("So the shares add up to £1,051, more than the budget")
    expect(main).not_to_contain_text("equal share of the money")
    assert_accessible(page, "round results with raised shares, member")
