"""Events as iCalendar (RFC 5545), built with the ``icalendar`` library: one event's file, or a person's feed.

Times are written in Europe/London with its VTIMEZONE (so a phone shows 10:00 on both sides of the clock
change); a cancelled event says STATUS:CANCELLED so calendars that have it cross it out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.utils import timezone

from coproduce.learning.models import Event

PRODID = "-//Coproduce//Learning together//EN"


def _vevent(event: Event, *, domain: str, url: str, stamp: dt.datetime) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{domain}")
    item.add("dtstamp", stamp)
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("summary", event.title)
    lines = [event.purpose.strip()] if event.purpose.strip() else []
    if event.access_info.strip():
        lines.append(event.access_info.strip())
    if event.online_url:
        lines.append(event.online_url)
    if url:
        lines.append(url)
    if lines:
        item.add("description", "\n\n".join(lines))
    location = event.place or event.online_url
    if location:
        item.add("location", location)
    if url:
        item.add("url", url)
    if event.host is not None:
        item.add("organizer", f"mailto:noreply@{domain}", parameters={"CN": event.host.name})
    item.add("status", "CANCELLED" if event.cancelled_at is not None else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    # SEQUENCE grows with each change, so a calendar replaces its copy (seconds since the event was created).
    item.add("sequence", max(0, int((event.updated_at - event.created_at).total_seconds())) % 2_000_000_000)
    return item


def calendar_of(events: Iterable[Event], *, name: str, domain: str, urls: dict[int, str]) -> bytes:
    """The events as one calendar (``urls``: each event's page, by id)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(timezone.get_current_timezone()))
    stamp = timezone.now()
    listed = list(events)
    for event in listed:
        cal.add_component(_vevent(event, domain=domain, url=urls.get(event.pk, ""), stamp=stamp))
    if listed:
        first = timezone.localdate(min(e.starts_at for e in listed)) - dt.timedelta(days=366)
        last = timezone.localdate(max(e.ends_at for e in listed)) + dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return bytes(cal.to_ical())
