"""The conversations section of the partnership home page: conversations open for votes now."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    from coproduce.conversations import selectors

    items = selectors.open_conversations(membership)
    if not items:
        return None
    return {"conversations": items}


register_home_section(
    HomeSection(
        key="conversations",
        title="Conversations",
        template="conversations/_partials/home_section.html",
        context=_context,
        order=50,
    )
)
