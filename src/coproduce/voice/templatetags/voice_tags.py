"""Template helpers for the voice pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.voice import selectors
from coproduce.voice.models import Idea

register = template.Library()

STATUS_TAG_CLASSES = {
    "new": "ds_tag--grey",
    "considering": "ds_tag--blue",
    "in_progress": "ds_tag--orange",
    "done": "ds_tag--green",
    "not_taken_forward": "ds_tag--red",
}


@register.simple_tag(takes_context=True)
def author_label(context: template.Context, obj: Any) -> str:
    """How the author of an idea or comment is shown to the person viewing the page (see
    ``selectors.author_label``, which decides, also for an unnamed idea author's own comments)."""
    membership = context.get("current_membership")
    if membership is None:
        return str(Idea.AuthorKind(obj.author_kind).label)
    return selectors.author_label(membership, obj)


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAG_CLASSES.get(status, "")


@register.filter
def duration_words(value: timedelta | None) -> str:
    """A wait in plain words: "3 days", "5 hours", "less than an hour"."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    days, hours = seconds // 86400, (seconds % 86400) // 3600
    if days >= 14:
        weeks = round(days / 7)
        return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
    if days >= 1:
        if hours and days < 3:
            return _("%(days)s and %(hours)s") % {
                "days": ngettext("%(n)d day", "%(n)d days", days) % {"n": days},
                "hours": ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours},
            }
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if hours >= 1:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _("less than an hour")


@register.filter
def percent_step(value: int | None) -> int:
    """A percentage rounded to the nearest 5, for CSS classes like ``cp-bar--35`` (no inline styles)."""
    if value is None:
        return 0
    return max(0, min(100, 5 * round(value / 5)))
