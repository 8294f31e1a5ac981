"""Calendars: each event's .ics file and a person's private feed, parsed as a calendar would parse them."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import AuditEvent
from coproduce.learning.models import CalendarFeed
from coproduce.learning.services import calendars
from coproduce.partnerships.models import Membership
from tests.conftest import signed_in
from tests.learning.pay_support import LONDON, london, make_event, register

pytestmark = pytest.mark.django_db

# The clocks go forward on the last Sunday of March and back on the last Sunday of October.
SPRING = dt.date(2027, 3, 28)
AUTUMN = dt.date(2026, 10, 25)


def _parse(response: object) -> icalendar.Calendar:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("text/calendar")  # type: ignore[index]
    return icalendar.Calendar.from_ical(response.content)  # type: ignore[attr-defined]


def _event_ics(client: Client, membership: Membership, event_id: int) -> icalendar.Calendar:
    url = reverse("learning:event-ics", kwargs={"slug": membership.partnership.slug, "event_id": event_id})
    return _parse(client.get(url))


class TestEventFile:
    @pytest.mark.parametrize("day", [SPRING - dt.timedelta(days=1), SPRING, AUTUMN - dt.timedelta(days=1), AUTUMN])
    def test_ten_oclock_stays_ten_oclock_across_the_clock_change(self, member: Membership, day: dt.date) -> None:
        starts = dt.datetime.combine(day, dt.time(10), tzinfo=LONDON)
        event = make_event(member.partnership, starts=starts, hours=2, place="Riverside Family Centre")
        cal = _event_ics(signed_in(member.user), member, event.pk)
        (served,) = cal.walk("VEVENT")
        start, end = served.decoded("DTSTART"), served.decoded("DTEND")
        assert served["DTSTART"].params["TZID"] == "Europe/London"
        assert (start.hour, end.hour) == (10, 12)
        assert start == event.starts_at and end == event.ends_at
        summer = day == SPRING or day == AUTUMN - dt.timedelta(days=1)
        assert start.utcoffset() == dt.timedelta(hours=1 if summer else 0)
        assert str(served["STATUS"]) == "CONFIRMED"
        assert str(served["LOCATION"]) == "Riverside Family Centre"
        # The VTIMEZONE a calendar needs to place a TZID time is in the file, with both of London's offsets.
        (zone,) = cal.walk("VTIMEZONE")
        assert str(zone["TZID"]) == "Europe/London"
        assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}

    @pytest.mark.parametrize(("day", "real_hours"), [(SPRING, 2), (AUTUMN, 4)])
    def test_a_night_event_over_the_change_lasts_its_real_length(
        self, member: Membership, day: dt.date, real_hours: int
    ) -> None:
        # 00:30 to 03:30 on the clock: two hours in spring (1:00 jumps to 2:00), four in autumn (1:00 twice).
        starts = dt.datetime.combine(day, dt.time(0, 30), tzinfo=LONDON)
        ends = dt.datetime.combine(day, dt.time(3, 30), tzinfo=LONDON)
        event = make_event(member.partnership, starts=starts, hours=1)
        type(event).objects.filter(pk=event.pk).update(ends_at=ends)
        (served,) = _event_ics(signed_in(member.user), member, event.pk).walk("VEVENT")
        start, end = served.decoded("DTSTART"), served.decoded("DTEND")
        assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=real_hours)
        assert (start.hour, start.minute, end.hour, end.minute) == (0, 30, 3, 30)

    def test_a_cancelled_event_is_cancelled_in_the_file(self, member: Membership) -> None:
        event = make_event(member.partnership, cancelled_at=timezone.now())
        (served,) = _event_ics(signed_in(member.user), member, event.pk).walk("VEVENT")
        assert str(served["STATUS"]) == "CANCELLED"

    def test_an_event_for_staff_is_not_found_by_a_member(self, member: Membership) -> None:
        event = make_event(member.partnership, audience="staff")
        url = reverse("learning:event-ics", kwargs={"slug": member.partnership.slug, "event_id": event.pk})
        assert signed_in(member.user).get(url).status_code == 404

    def test_another_partnerships_event_is_not_found(self, member: Membership, outsider: Membership) -> None:
        event = make_event(outsider.partnership)
        url = reverse("learning:event-ics", kwargs={"slug": member.partnership.slug, "event_id": event.pk})
        assert signed_in(member.user).get(url).status_code == 404


def _make_link(client: Client, membership: Membership) -> str:
    response = client.post(
        reverse("learning:calendar", kwargs={"slug": membership.partnership.slug}), {"action": "renew"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    link = response.context["link"]
    assert link and link in response.content.decode()
    return str(link).removeprefix("http://testserver")


class TestFeed:
    def test_the_feed_lists_her_events_and_shows_cancelled_ones(self, member: Membership, worker: Membership) -> None:
        coming = make_event(member.partnership, title="Spring co-design", starts=london(2027, 3, 28, 10))
        cancelled = make_event(member.partnership, title="Cancelled peer group", starts=london(2027, 3, 20, 10))
        waiting = make_event(member.partnership, title="Full workshop", starts=london(2027, 3, 21, 10))
        gave_up = make_event(member.partnership, title="Gave up her place", starts=london(2027, 3, 22, 10))
        not_hers = make_event(member.partnership, title="Someone else's", starts=london(2027, 3, 23, 10))
        register(coming, member)
        register(cancelled, member)
        register(waiting, member, status="waiting")
        register(gave_up, member, status="cancelled")
        register(not_hers, worker)
        type(cancelled).objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
        client = signed_in(member.user)
        link = _make_link(client, member)
        served = {str(e["SUMMARY"]): e for e in _parse(Client().get(link)).walk("VEVENT")}  # no sign-in
        assert set(served) == {"Spring co-design", "Cancelled peer group", "Full workshop"}
        assert str(served["Cancelled peer group"]["STATUS"]) == "CANCELLED"
        assert served["Spring co-design"].decoded("DTSTART") == london(2027, 3, 28, 10)

    def test_only_a_hash_is_kept(self, member: Membership) -> None:
        link = _make_link(signed_in(member.user), member)
        token = link.rsplit("/", 1)[1].removesuffix(".ics")
        feed = CalendarFeed.objects.get(user=member.user)
        assert token not in feed.token_hash and len(feed.token_hash) == 64
        assert AuditEvent.objects.filter(action="learning.calendar_feed_made", actor=member.user).exists()

    def test_a_renewed_link_answers_404(self, member: Membership) -> None:
        client = signed_in(member.user)
        old = _make_link(client, member)
        assert Client().get(old).status_code == 200
        new = _make_link(client, member)
        assert new != old
        assert Client().get(old).status_code == 404
        assert Client().get(new).status_code == 200
        assert CalendarFeed.objects.filter(user=member.user).count() == 1

    def test_a_stopped_link_answers_404(self, member: Membership) -> None:
        client = signed_in(member.user)
        link = _make_link(client, member)
        client.post(reverse("learning:calendar", kwargs={"slug": member.partnership.slug}), {"action": "stop"})
        assert Client().get(link).status_code == 404

    def test_a_wrong_or_other_partnerships_link_answers_404(self, member: Membership, outsider: Membership) -> None:
        token = calendars.calendar_feed_renew(actor=member)
        slug = member.partnership.slug
        assert (
            Client().get(reverse("learning:feed", kwargs={"slug": slug, "token": token[:-1] + "x"})).status_code == 404
        )
        elsewhere = reverse("learning:feed", kwargs={"slug": outsider.partnership.slug, "token": token})
        assert Client().get(elsewhere).status_code == 404
        assert Client().get(reverse("learning:feed", kwargs={"slug": slug, "token": token})).status_code == 200

    def test_after_she_leaves_her_link_answers_404(self, member: Membership) -> None:
        token = calendars.calendar_feed_renew(actor=member)
        url = reverse("learning:feed", kwargs={"slug": member.partnership.slug, "token": token})
        Membership.objects.filter(pk=member.pk).delete()
        assert Client().get(url).status_code == 404

    def test_observers_have_no_link(self, observer: Membership) -> None:
        url = reverse("learning:calendar", kwargs={"slug": observer.partnership.slug})
        assert signed_in(observer.user).get(url).status_code == 404
