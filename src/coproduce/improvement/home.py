"""The tests-of-change section of the partnership home page: tests running now, and decisions waiting for a
member's co-signature (for members)."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.improvement import selectors

    tests = selectors.tests_visible_to(membership)
    waiting = []
    if membership.is_member:
        waiting = list(
            tests.filter(decision__needs_member=True, decision__effective_at__isnull=True).only("id", "title")[:3]
        )
    return {
        "running": list(
            tests.filter(stage__in=["do", "study"]).only("id", "title", "stage").order_by("-updated_at")[:3]
        ),
        "waiting": waiting,
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
