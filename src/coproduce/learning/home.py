"""The events section of the partnership home page (the person's next event, "Your next event: …", and what
is coming up for them) and the "Events" entry of the site navigation."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.home import HomeSection, register_home_section
from coproduce.partnerships.models import Membership
from coproduce.partnerships.navigation import NavItem, register_nav_item

COMING_UP = 3


def _context(membership: Membership) -> dict[str, Any] | None:
    from django.utils import timezone

    from coproduce.learning import selectors

    upcoming = selectors.events_visible_to(membership, since=timezone.now()).filter(cancelled_at__isnull=True)
    # my_status is the selector's annotation (the person's registration), which the stubs cannot see.
    mine = upcoming.filter(my_status__isnull=False).first()  # type: ignore[misc]
    return {
        "next": mine,
        "next_waiting": mine is not None and mine.my_status == "waiting",  # type: ignore[attr-defined]
        "upcoming": [event for event in upcoming[: COMING_UP + 1] if mine is None or event.pk != mine.pk][:COMING_UP],
    }


register_home_section(
    HomeSection(
        key="learning",
        title="Events",
        template="learning/_partials/home_section.html",
        context=_context,
        order=45,
    )
)

register_nav_item(NavItem("learning", _("Events"), "learning:events", order=45))
