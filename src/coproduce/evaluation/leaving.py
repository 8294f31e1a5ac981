"""Before a member leaves the partnership, the leave page asks whether she would tell us how the services she
used were (``Departure.before_leaving``; evaluation's departure registers it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import LeavingPrompt


def before_leaving(membership: Membership) -> LeavingPrompt | None:
    """For a member only (staff and observers evaluate nothing); no query."""
    if not membership.is_member:
        return None
    return LeavingPrompt(
        text=_("Before you go, would you tell us how the services you used were? The services won't know it was you."),
        link_text=_("Tell us about the services you used"),
        url=cached_reverse("evaluation:index", kwargs={"slug": membership.partnership.slug}),
    )
