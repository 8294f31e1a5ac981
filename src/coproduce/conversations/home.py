"""The conversations section of the partnership home page: conversations open for votes now."""

from __future__ import annotations

from typing import Any

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership


def _context(membership: Membership) -> dict[str, Any] | None:
    import rules

    from coproduce.conversations import selectors

    items = selectors.open_conversations(membership)
    if not items:
        return None
    # An observer reads conversations but does not vote: her links go to the conversation, not its vote page.
    return {"conversations": items, "may_vote": rules.test_rule("conversations.vote", membership)}


register_home_section(
    HomeSection(
        key="conversations",
        title="Conversations",
        template="conversations/_partials/home_section.html",
        context=_context,
        order=50,
    )
)
