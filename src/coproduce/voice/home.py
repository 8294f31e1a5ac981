"""The voice section of the partnership home page: open challenges and recent ideas."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from coproduce.partnerships.attention import AttentionItem, register_attention_item
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


def _flags_waiting(membership: Membership) -> int:
    from coproduce.voice import selectors

    return selectors.moderation_queue(membership).count()


register_attention_item(
    AttentionItem(
        key="moderation",
        count=_flags_waiting,
        text=lambda n: (
            ngettext(
                "%(n)d idea or comment flagged for moderation", "%(n)d ideas or comments flagged for moderation", n
            )
            % {"n": n}
        ),
        url_name="voice:moderation",
        order=10,
    )
)
