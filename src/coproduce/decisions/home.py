"""The decisions section of the partnership home page: open decisions waiting for this person's answer."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.decisions import selectors

    open_decisions = list(selectors.decisions_visible_to(membership, status="open"))
    waiting = [d for d in open_decisions if not d.answered and selectors.can_answer(membership, d)]  # type: ignore[attr-defined]
    return {"waiting": waiting, "open_count": len(open_decisions)}


register_home_section(
    HomeSection(
        key="decisions",
        title="Decisions",
        template="decisions/_partials/home_section.html",
        context=_context,
        order=45,
    )
)
