from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from coproduce.core.money import format_pence

register = template.Library()


@register.filter
def stage(area: Any, rating: Any) -> str:
    """The name of the stage a rating falls in, on the area's ladder."""
    return str(area.stage_for(rating)) if area is not None else ""


@register.filter
def in_words(value: Any) -> Any:
    """A value of a plan's history as a person reads it: a date kept as ``2026-07-10`` becomes "10 July 2026"
    (the history keeps what a field was before as JSON, where dates are ISO strings); anything else as it is."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date_format(datetime.date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return value


@register.filter
def pence(value: Any) -> str:
    """Integer pence as money in the page's language: 8400 → "£84.00"."""
    if value in (None, ""):
        return ""
    return format_pence(int(value))


@register.filter
def waited(delta: Any) -> str:
    """How long something has waited, in plain words: "3 hours", "2 days", "under an hour"."""
    if delta is None:
        return ""
    hours = int(delta.total_seconds() // 3600)
    if hours < 1:
        return gettext("under an hour")
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def share(value: Any) -> str:
    """A share from 0 to 1 as a whole percentage: 0.5 → "50%"."""
    if value in (None, ""):
        return ""
    return f"{round(float(value) * 100)}%"
