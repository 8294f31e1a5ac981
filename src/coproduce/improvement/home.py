"""The tests-of-change section of the partnership home page: tests running now, and decisions waiting for a
member's co-signature (for members)."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.improvement import selectors

    return {
        "running": selectors.running_test_links(membership),
        "waiting": selectors.waiting_test_links(membership) if membership.is_member else [],
    }


register_home_section(
    HomeSection(
        key="improvement",
        title="Tests of change",
        template="improvement/_partials/home_section.html",
        context=_context,
        order=40,
    )
)
