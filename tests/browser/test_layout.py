"""What fits on the screen: menus that stay visible on a phone, money figures and heading words that never
break, tables that show they scroll, run charts readable on a phone. Each at 360 px and 1280 px, with
JavaScript and (where a page must work without it) without."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import FloatRect, Locator, Page, expect

from coproduce.fund import services as fund_services
from coproduce.fund.models import ResultSnapshot
from coproduce.support import services as support_services
from coproduce.support.defaults import ensure_defaults
from tests.browser import test_support
from tests.browser.conftest import PageFactory
from tests.browser.support import VIEWPORTS, assert_accessible, sign_in_session
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.fund.helpers import make_proposal, make_round, move_to

pytestmark = pytest.mark.browser

SIZES_AND_SCRIPT = [("phone", True), ("phone", False), ("desktop", True)]

# The words of the elements matched that the browser has broken across two lines (a word longer than its
# box, "£20,0 / 00", "Mone / y"). A word is a run of characters without a space; its range's boxes on more
# than one line mean it was broken. Text clipped out of sight (for screen readers only) is left out.
_BROKEN_WORDS = """(selector) => {
    // Text only for screen readers (a visually hidden caption or header row) is clipped to 1 px: not read.
    const hidden = (node) => {
        for (let element = node.parentElement; element; element = element.parentElement) {
            if (getComputedStyle(element).clip.startsWith("rect")) return true;
        }
        return false;
    };
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (hidden(node)) continue;
            for (const match of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const rects = [...range.getClientRects()].filter((r) => r.width > 0);
                const tops = new Set(rects.map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""

# Elements matched whose content is cut off: wider or taller than their box, which hides what overflows.
_CUT_OFF = """(selector) => [...document.querySelectorAll(selector)]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
    .map((element) => element.textContent.trim())"""


def broken_words(page: Page, selector: str) -> list[str]:
    return page.evaluate(_BROKEN_WORDS, selector)


def cut_off(page: Page, selector: str) -> list[str]:
    return page.evaluate(_CUT_OFF, selector)


def box_of(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    return box


# --- The plan's menu --------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "javascript"), SIZES_AND_SCRIPT)
def test_the_plans_sharing_controls_are_visible_on_every_size(
    new_page: PageFactory, partnership: Any, member: Any, size: str, javascript: bool
) -> None:
    ensure_defaults(partnership)
    plan = support_services.plan_start(actor=member)
    page = new_page(size, javascript=javascript)
    sign_in_session(page, member.user)
    page.goto(reverse("support:plan", kwargs={"slug": partnership.slug, "plan_id": plan.pk}))
    menu = page.get_by_role("navigation", name="This plan")
    for name in ("The plan", "Who can see it", "Changes", "Who has looked at my plan"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    menu.get_by_role("link", name="Who can see it").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who can see")
    expect(page.get_by_role("navigation", name="This plan").get_by_role("link", name="Changes")).to_be_visible()
    assert_accessible(page, "the plan's sharing page", both_sizes=False)


# --- The tests of change's menu ---------------------------------------------------------------------


@pytest.mark.parametrize(("size", "javascript"), SIZES_AND_SCRIPT)
def test_the_tests_of_change_menu_is_shown_whole_beside_or_after_the_board(
    new_page: PageFactory, partnership: Any, worker: Any, size: str, javascript: bool
) -> None:
    page = new_page(size, javascript=javascript)
    sign_in_session(page, worker.user)
    page.goto(reverse("improvement:board", kwargs={"slug": partnership.slug}))
    menu = page.get_by_role("navigation", name="Tests of change")
    links = [menu.get_by_role("link", name="All tests of change"), menu.get_by_role("link", name="What we stopped")]
    for link in links:
        expect(link).to_be_visible()
    # No word of the menu is cut off or broken ("change", "stoppe").
    assert cut_off(page, "main nav, main nav *") == []
    assert broken_words(page, "main nav") == []
    heading, menu_box = box_of(page.get_by_role("heading", level=1)), box_of(menu)
    if size == "desktop":
        # Beside the content, in the sidebar column, at least a quarter of the page wide.
        assert menu_box["x"] > heading["x"] + 400
        assert menu_box["width"] > 250
    else:
        # After the content, the whole width; nothing drawn above the heading (the stray line).
        assert menu_box["y"] > heading["y"]
        assert menu_box["width"] > 300
    assert_accessible(page, "the board", both_sizes=False)


# --- Money and headings in the fund's tables --------------------------------------------------------


@pytest.fixture
def fund_world(partnership: Any) -> dict[str, Any]:
    council = OrganisationFactory(partnership=partnership, name="Riverside Council Employability Service")
    coordinator = staff_membership(partnership, role="coordinator", organisation=council)
    for description, pence in (
        ("Parental employability fund 2026/27, from the council's share of the national programme", 2_000_000),
        ("Flexible fund for short courses that fit around the school day", 500_000),
    ):
        fund_services.contribution_record(
            actor=coordinator,
            organisation=council,
            kind="money",
            description=description,
            value_pence=pence,
            received=True,
        )
    round_ = make_round(partnership, phase="voting", title="Spring round", budget=2_000, max_choices=3)
    proposals = [
        make_proposal(round_, cost=cost, title=title)
        for cost, title in ((1_000, "Bus passes"), (1_000, "Laptop loans"), (1_900, "Childcare for interviews"))
    ]
    for n in range(5):
        voter = MembershipFactory(partnership=partnership, is_member=True)
        choices = {proposals[0].pk: 1, proposals[1].pk: 1} if n < 3 else {proposals[2].pk: 1}
        fund_services.ballot_submit(actor=voter, round_=round_, choices=choices)
    move_to(round_, "results")
    digest, count = fund_services.ballots_digest(round_.pk)
    snapshot = ResultSnapshot.objects.create(
        round=round_, completion=round_.completion, ballots_digest=digest, ballot_count=count
    )
    fund_services.results_compute(snapshot_id=snapshot.pk)
    return {"coordinator": coordinator, "round": round_}


@pytest.mark.parametrize(("size", "javascript"), SIZES_AND_SCRIPT)
def test_money_figures_and_heading_words_never_break_on_the_funds_pages(
    new_page: PageFactory, partnership: Any, fund_world: dict[str, Any], size: str, javascript: bool
) -> None:
    page = new_page(size, javascript=javascript)
    sign_in_session(page, fund_world["coordinator"].user)
    slug = partnership.slug
    for url in (
        reverse("fund:ledger", kwargs={"slug": slug}),
        reverse("fund:results", kwargs={"slug": slug, "round_id": fund_world["round"].pk}),
    ):
        page.goto(url)
        expect(page.locator("main table").first).to_be_visible()
        assert broken_words(page, "main h1, main h2, main h3, main caption, main th, main td") == [], url
        # The labels of a table stacked on a phone are whole too ("Backers' money left").
        assert cut_off(page, "main td") == [], url
    expect(page.get_by_role("table", name="Projects not funded")).to_contain_text("Backers' money left")
    assert_accessible(page, "the results", both_sizes=False)


# --- The plan's tables on a phone -------------------------------------------------------------------

plan_world = test_support.plan_world  # Aisha's plan: a keyworker, a check-in, a referral shared with a college


# Cells of the page's tables that reach past the right edge of the screen (cut off by their wrapper).
_CELLS_PAST_THE_EDGE = """() => [...document.querySelectorAll("main table td, main table tbody th")]
    .filter((cell) => cell.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((cell) => cell.textContent.trim())"""


@pytest.mark.parametrize("javascript", [True, False])
def test_the_plans_tables_show_every_column_on_a_phone(
    new_page: PageFactory, plan_world: dict[str, Any], javascript: bool
) -> None:
    plan, slug = plan_world["plan"], plan_world["partnership"].slug
    support_services.plan_read_record(reader=plan_world["tutor"], plan=plan, parts=["about"], page="referral")
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, plan_world["member"].user)
    for url, column in (
        (reverse("support:reads", kwargs={"slug": slug, "plan_id": plan.pk}), "When"),
        (reverse("support:sharing", kwargs={"slug": slug, "plan_id": plan.pk}), "Withdrawn"),
        (reverse("support:checkin", kwargs={"slug": slug, "checkin_id": plan_world["checkin"].pk}), "Stage"),
    ):
        page.goto(url)
        table = page.locator("main table").first
        expect(table).to_be_visible()
        # Every cell within the screen, each under its column's name: the last column is not hidden off the edge.
        assert page.evaluate(_CELLS_PAST_THE_EDGE) == [], url
        last_cell = table.locator("tbody tr").first.locator("td").last
        label = last_cell.evaluate("(cell) => getComputedStyle(cell, '::before').content")
        assert column in label, (url, label)
        assert_accessible(page, f"{url} on a phone", both_sizes=False)


# --- The ideas list on a phone ----------------------------------------------------------------------

# Short items of the ideas' details ("0 comments", "Shared on 7 Dec 2026") that the browser split across
# two lines.
_SPLIT_ITEMS = """() => [...document.querySelectorAll("main .ds_search-result .ds_metadata__item")]
    .filter((item) => item.textContent.trim().length < 40)
    .filter((item) => item.querySelector("dd").getClientRects().length > 1)
    .map((item) => item.textContent.trim())"""


@pytest.mark.parametrize(("size", "javascript"), SIZES_AND_SCRIPT)
def test_the_ideas_list_keeps_each_detail_whole_and_its_filters_short(
    new_page: PageFactory, partnership: Any, member: Any, size: str, javascript: bool
) -> None:
    from tests.voice.factories import IdeaFactory

    for n in range(8):
        author = MembershipFactory(partnership=partnership, is_member=True).user
        author.display_name = "Aisha " + "M" * n
        author.save()
        IdeaFactory(partnership=partnership, author=author, title=f"A crèche at the job fair, week {n}")
    page = new_page(size, javascript=javascript)
    sign_in_session(page, member.user)
    page.goto(reverse("voice:ideas", kwargs={"slug": partnership.slug}))
    expect(page.get_by_label("Search ideas and comments")).to_be_visible()
    # The search and filters take a few lines, not a screenful before the first idea.
    filters = box_of(page.get_by_role("search", name="Search and filter ideas"))
    assert filters["height"] < 0.4 * VIEWPORTS[size]["height"], filters
    assert page.evaluate(_SPLIT_ITEMS) == []
    # The other filters are one tap away, and stay open while in use.
    page.get_by_text("Filter by challenge or status, or sort").click()
    page.get_by_label("Status", exact=True).select_option(label="New")
    page.get_by_role("button", name="Show ideas").click()
    expect(page.get_by_label("Status", exact=True)).to_be_visible()
    assert_accessible(page, "the ideas, filtered", both_sizes=False)


# --- Run charts on a phone --------------------------------------------------------------------------

# The size on screen, in CSS pixels, of each of the chart's labels: font size times the chart's scale.
_TICK_SIZES = """() => [...document.querySelectorAll(".cp-chart__tick")].map((tick) =>
    parseFloat(getComputedStyle(tick).fontSize) * tick.ownerSVGElement.getScreenCTM().a)"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_run_chart_labels_are_at_least_12_px(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any, size: str
) -> None:
    from decimal import Decimal

    from coproduce.improvement import services as improvement_services
    from coproduce.improvement.models import Observation
    from tests.improvement.conftest import fields, weekly

    test = improvement_services.pdsa_create(actor=worker, fields=fields(), people=[member])
    measure = improvement_services.measure_create(
        actor=worker, test=test, name="Parents per week", kind="outcome", unit="parents", better="higher", source="Book"
    )
    for day, value in zip(weekly(8), [6, 5, 7, 6, 12, 11, 13, 12], strict=True):
        Observation.objects.create(measure=measure, observed_on=day, value=Decimal(value))
    page = new_page(size)
    sign_in_session(page, member.user)
    page.goto(reverse("improvement:test", kwargs={"slug": partnership.slug, "test_id": test.pk}))
    expect(page.locator(".cp-chart__svg").first).to_be_visible()
    sizes = page.evaluate(_TICK_SIZES)
    assert sizes and min(sizes) >= 12, sizes
    assert_accessible(page, "a test of change with its run chart", both_sizes=False)


# --- The landing page -------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_landing_page_names_coproduce_once(
    new_page: PageFactory, partnership: Any, member: Any, signed_in: bool
) -> None:
    from tests.factories import PartnershipFactory

    page = new_page("phone")
    if signed_in:
        MembershipFactory(partnership=PartnershipFactory(name="Hillside Partnership"), user=member.user, is_member=True)
        sign_in_session(page, member.user)
    page.goto(reverse("core:landing"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your partnerships" if signed_in else "Welcome")
    # The site's name once, in the header; the page's own heading and text do not repeat it.
    expect(page.locator(".ds_site-header")).to_contain_text("Coproduce")
    assert "Coproduce" not in page.get_by_role("main").inner_text()
    assert_accessible(page, "the landing page", both_sizes=False)


def test_the_plans_progress_chart_labels_are_at_least_12_px_on_a_phone(
    new_page: PageFactory, plan_world: dict[str, Any]
) -> None:
    plan, slug = plan_world["plan"], plan_world["partnership"].slug
    support_services.checkin_agree(actor=plan_world["member"], checkin=plan_world["checkin"])
    page = new_page("phone")
    sign_in_session(page, plan_world["member"].user)
    page.goto(reverse("support:progress", kwargs={"slug": slug, "plan_id": plan.pk}))
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("main svg text")].map((label) =>
            parseFloat(getComputedStyle(label).fontSize) * label.ownerSVGElement.getScreenCTM().a)"""
    )
    assert sizes and min(sizes) >= 12, sizes
    assert_accessible(page, "the plan's progress on a phone", both_sizes=False)
