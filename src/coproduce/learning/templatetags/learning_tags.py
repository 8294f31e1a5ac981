"""Template filters for events: when an event is, in words, in Europe/London."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _clock(moment: Any) -> str:
    return date_format(moment, "H:i")


def duration_words(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return _("%(hours)s and %(minutes)s") % {
            "hours": ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours},
            "minutes": ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest},
        }
    if hours:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest}


@register.filter
def when_words(event: Any) -> str:
    """ "Tuesday 12 May 2026, 10:00 to 12:00 (2 hours)", the times in London."""
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    if starts.date() == ends.date():
        return _("%(day)s, %(start)s to %(end)s (%(length)s)") % {
            "day": date_format(starts, "l j F Y"),
            "start": _clock(starts),
            "end": _clock(ends),
            "length": duration_words(minutes),
        }
    return _("%(start)s to %(end)s") % {
        "start": date_format(starts, "l j F Y, H:i"),
        "end": date_format(ends, "l j F Y, H:i"),
    }


@register.filter
def short_when(event: Any) -> str:
    """ "Tue 12 May, 10:00", the start in London."""
    return date_format(timezone.localtime(event.starts_at), "D j M Y, H:i")


@register.filter
def minutes_as_hours(minutes: Any) -> str:
    """Minutes as hours with one decimal place: 90 -> "1.5"."""
    return f"{int(minutes or 0) / 60:.1f}"
