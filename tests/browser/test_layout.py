"""What fits on the screen: menus that stay visible on a phone, money figures and heading words that never
break, tables that show they scroll, run charts readable on a phone. Each at 360 px and 1280 px, with
JavaScript and (where a page must work without it) without."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from coproduce.support import services as support_services
from coproduce.support.defaults import ensure_defaults
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session

pytestmark = pytest.mark.browser

SIZES_AND_SCRIPT = [("phone", True), ("phone", False), ("desktop", True)]

# The words of the elements matched that the browser has broken across two lines (a word longer than its
# box, "£20,0 / 00", "Mone / y"). A word is a run of characters without a space; its range's boxes on more
# than one line mean it was broken.
_BROKEN_WORDS = """(selector) => {
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.data.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
    }
    return broken;
}"""

# Elements matched whose text is cut off: wider than their box, which hides what overflows.
_CUT_OFF = """(selector) => [...document.querySelectorAll(selector)]
    .filter((element) => element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "auto")
    .map((element) => element.textContent.trim())"""


def broken_words(page: Page, selector: str) -> list[str]:
    return page.evaluate(_BROKEN_WORDS, selector)


def cut_off(page: Page, selector: str) -> list[str]:
    return page.evaluate(_CUT_OFF, selector)


def box_of(locator: Locator) -> dict[str, float]:
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
