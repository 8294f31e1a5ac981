"""The voice section of the partnership home page: open challenges and recent ideas."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.voice import selectors

    return {
        "challenges": selectors.open_challenge_links(membership),
        "ideas": selectors.recently_active_ideas(membership),
    }


register_home_section(
    HomeSection(
        key="voice",
        title="Ideas and challenges",
        template="voice/_partials/home_section.html",
        context=_context,
        order=10,
    )
)
