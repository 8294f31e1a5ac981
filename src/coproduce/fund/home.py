"""The fund's section of the partnership home page: rounds open for proposals or voting now."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.fund import selectors

    open_rounds = selectors.open_round_links(membership)
    if not open_rounds:
        return None
    return {"rounds": open_rounds}


register_home_section(
    HomeSection(
        key="fund", title="The pooled fund", template="fund/_partials/home_section.html", context=_context, order=30
    )
)
