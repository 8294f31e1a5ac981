"""Series: events that repeat (every week, every second week, or one weekday of each month), made in one go
and changed in one go."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.learning.models import LONGEST_EVENT_MINUTES, Event, EventSeries, Registration
from coproduce.learning.services._common import audit
from coproduce.learning.services.events import DETAIL_NAMES, EventDetails, clean_details, places_fill
from coproduce.partnerships.models import Membership

# A series makes at most this many events (two years of weekly sessions).
MOST_IN_SERIES = 104


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` (1–4, or -1 for the last) ``weekday`` of the month."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    if nth == -1:
        return days[-1]
    return days[nth - 1] if nth <= len(days) else None


def series_dates(
    *, rule: str, starts_on: date, until: date | None = None, count: int | None = None, week_of_month: int | None = None
) -> list[date]:
    """The dates of a series, from ``starts_on`` (on its weekday) to ``until`` or ``count`` times, at most
    ``MOST_IN_SERIES``. Plain data in and out."""
    limit = min(count or MOST_IN_SERIES, MOST_IN_SERIES)
    dates: list[date] = []
    if rule in (EventSeries.Rule.WEEKLY, EventSeries.Rule.FORTNIGHTLY):
        step = timedelta(weeks=1 if rule == EventSeries.Rule.WEEKLY else 2)
        day = starts_on
        while len(dates) < limit and (until is None or day <= until):
            dates.append(day)
            day += step
        return dates
    if rule != EventSeries.Rule.MONTHLY or week_of_month is None:
        raise ValueError(f"unknown rule {rule!r}")
    year, month = starts_on.year, starts_on.month
    while len(dates) < limit:
        day_or_none = _nth_weekday(year, month, starts_on.weekday(), week_of_month)
        if day_or_none is not None and day_or_none >= starts_on:
            if until is not None and day_or_none > until:
                break
            dates.append(day_or_none)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if until is not None and date(year, month, 1) > until:
            break
    return dates


def week_of_month_of(day: date) -> int:
    """Which such weekday of its month ``day`` is: 1–4, or -1 when it is the fifth (so: the last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def local_at(day: date, at: time) -> datetime:
    """``at`` on ``day`` in the deployment's time zone (Europe/London): ten o'clock stays ten o'clock across
    the change of the clocks."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


@dataclass
class SeriesTiming:
    rule: str
    starts_on: date
    start_time: time
    duration_minutes: int
    until: date | None = None
    count: int | None = None
    week_of_month: int | None = None


def _clean_timing(timing: SeriesTiming) -> SeriesTiming:
    if timing.rule not in EventSeries.Rule.values:
        raise ServiceError(_("Choose how often the event repeats."), field="rule")
    if (timing.until is None) == (timing.count is None):
        raise ServiceError(_("Give either the last date or how many times, not both."), field="until")
    if timing.count is not None and not 1 <= timing.count <= MOST_IN_SERIES:
        raise ServiceError(_("A series has from 1 to %(most)d events.") % {"most": MOST_IN_SERIES}, field="count")
    if timing.until is not None and timing.until < timing.starts_on:
        raise ServiceError(_("The last date must be on or after the first date."), field="until")
    if not 1 <= timing.duration_minutes <= LONGEST_EVENT_MINUTES:
        raise ServiceError(_("An event can last at most a day."), field="duration_minutes")
    if timing.rule == EventSeries.Rule.MONTHLY:
        timing.week_of_month = timing.week_of_month or week_of_month_of(timing.starts_on)
        if timing.week_of_month not in (-1, 1, 2, 3, 4):
            raise ServiceError(_("Choose which week of the month."), field="week_of_month")
    else:
        timing.week_of_month = None
    return timing


def series_create(*, actor: Membership, timing: SeriesTiming, details: EventDetails) -> list[Event]:
    """Set up a series and all its events (no copying by hand). The first event is on ``starts_on``; a monthly
    series repeats on the same weekday of the same week of each month (the 2nd Tuesday; a 5th one: the last)."""
    require_rule("learning.create_event", actor)
    clean_details(actor, details)
    timing = _clean_timing(timing)
    dates = series_dates(
        rule=timing.rule,
        starts_on=timing.starts_on,
        until=timing.until,
        count=timing.count,
        week_of_month=timing.week_of_month,
    )
    if not dates:
        raise ServiceError(_("No dates fall between the first and the last date."), field="until")
    with transaction.atomic(durable=True):
        series = EventSeries.objects.create(
            partnership_id=actor.partnership_id,
            title=details.title,
            rule=timing.rule,
            weekday=timing.starts_on.weekday(),
            week_of_month=timing.week_of_month,
            starts_on=timing.starts_on,
            until=timing.until,
            count=timing.count,
            start_time=timing.start_time,
            duration_minutes=timing.duration_minutes,
            created_by=actor.user,
        )
        length = timedelta(minutes=timing.duration_minutes)
        events = Event.objects.bulk_create(
            [
                Event(
                    partnership_id=actor.partnership_id,
                    series=series,
                    created_by=actor.user,
                    starts_at=local_at(day, timing.start_time),
                    ends_at=local_at(day, timing.start_time) + length,
                    **{name: getattr(details, name) for name in DETAIL_NAMES},
                )
                for day in dates
            ]
        )
        audit(actor, "series_created", series, events=len(events))
    return events


def series_update(
    *, actor: Membership, series: EventSeries, details: EventDetails, start_time: time, duration_minutes: int
) -> list[Event]:
    """Change every event of the series still to come (not cancelled): what it is, where, places, and the time of
    day and length. Events already started stay as they were. Refused as a whole if any event would have fewer
    places than people already registered."""
    same_partnership(actor, series)
    require_rule("learning.create_event", actor)
    clean_details(actor, details)
    if not 1 <= duration_minutes <= LONGEST_EVENT_MINUTES:
        raise ServiceError(_("An event can last at most a day."), field="duration_minutes")
    now = timezone.now()
    with transaction.atomic(durable=True):
        locked_series = EventSeries.objects.select_for_update().get(pk=series.pk)
        events = list(
            Event.objects.select_for_update()
            .filter(series=locked_series, starts_at__gt=now, cancelled_at__isnull=True)
            .order_by("starts_at")
        )
        if not events:
            raise ServiceError(_("This series has no events still to come."), code="past")
        for event in events:
            require_rule("learning.organise", actor, event)
            taken = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()
            if details.capacity is not None and details.capacity < taken:
                local = timezone.localtime(event.starts_at)
                raise ServiceError(
                    ngettext(
                        "%(taken)d person already has a place on %(day)s. Enter at least %(taken)d place.",
                        "%(taken)d people already have a place on %(day)s. Enter at least %(taken)d places.",
                        taken,
                    )
                    % {"taken": taken, "day": f"{local:%d/%m/%Y}"},
                    field="capacity",
                )
        length = timedelta(minutes=duration_minutes)
        for event in events:
            day = timezone.localtime(event.starts_at).date()
            old_capacity = event.capacity
            for name in DETAIL_NAMES:
                setattr(event, name, getattr(details, name))
            event.starts_at = local_at(day, start_time)
            event.ends_at = event.starts_at + length
            event.updated_at = now
            event.save()
            if event.capacity != old_capacity:
                places_fill(event, now=now)
        locked_series.title = details.title
        locked_series.start_time = start_time
        locked_series.duration_minutes = duration_minutes
        locked_series.updated_at = now
        locked_series.save()
        audit(actor, "series_changed", locked_series, events=len(events))
    return events
