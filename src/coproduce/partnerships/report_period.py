"""The moments a report's period covers, for capabilities that count rows by a date and time.

A ``ReportQuery`` gives whole days, the last one included. A row stamped with a moment counts when the moment
is at or after the start of the first day and before the start of the day after the last one, both in the
partnership's time zone (the site's)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from coproduce.partnerships.reporting import ReportQuery


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day``, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def period_moments(query: ReportQuery) -> tuple[datetime, datetime]:
    """``(since, until)``: a moment is in the period when ``since <= moment < until``."""
    return day_start(query.start), day_start(query.end + timedelta(days=1))


def scope_id(value: int | None) -> int:
    """The organisation's or the service's id of a narrowed query (a narrowed query always names it)."""
    if value is None:
        raise ValueError("a report narrowed to an organisation or a service names it")
    return value
