"""Learning's service-use source for evaluation: the events each organisation hosts (and those the partnership
runs itself) can be evaluated, and an attendance where she came is a use of them at the event's end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.learning import service_use as source
from coproduce.learning.models import Attendance, Event
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.service_use import service_use_sources
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.learning.conftest import members

pytestmark = pytest.mark.django_db


def _event(partnership: Partnership, *, host: Any = None, ended: timedelta, cancelled: bool = False) -> Event:
    ends = timezone.now() - ended
    return Event.objects.create(
        partnership=partnership,
        kind="learning",
        title="Talking with teenagers",
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
        host=host,
        cancelled_at=timezone.now() if cancelled else None,
    )


def _came(event: Event, person: Membership, *, present: bool = True) -> Attendance:
    return Attendance.objects.create(
        event=event, user=person.user, present=present, minutes=120 if present else 0, is_member=True
    )


def test_learning_registers_its_source() -> None:
    assert source.SOURCE in service_use_sources()


def test_each_host_is_a_thing_and_the_partnership_itself_when_it_runs_events(partnership: Partnership) -> None:
    zebra, aspen = (OrganisationFactory(partnership=partnership, name=n) for n in ("Zebra Trust", "Aspen Hub"))
    OrganisationFactory(partnership=partnership, name="Hosts nothing")
    for host in (zebra, aspen, aspen):
        _event(partnership, host=host, ended=timedelta(days=1))
    _event(PartnershipFactory(), ended=timedelta(days=1))  # another partnership's event without a host
    assert [(t.key, t.kind, t.name, t.organisation_id) for t in source.things(partnership.pk)] == [
        (f"learning.host:{aspen.pk}", "events", "Events hosted by Aspen Hub", aspen.pk),
        (f"learning.host:{zebra.pk}", "events", "Events hosted by Zebra Trust", zebra.pk),
    ]
    _event(partnership, ended=timedelta(days=1))
    assert [t.key for t in source.things(partnership.pk)][-1] == "learning.host:0"
    assert source.things(partnership.pk)[-1].name == "Events run by the partnership"
    assert source.things(partnership.pk)[-1].organisation_id is None


def test_recent_is_who_came_to_events_that_ended_since(partnership: Partnership) -> None:
    host = OrganisationFactory(partnership=partnership)
    came, absent, other = members(partnership, 3)
    ended = _event(partnership, host=host, ended=timedelta(hours=3))
    too_old = _event(partnership, host=host, ended=timedelta(days=10))
    not_over = _event(partnership, host=host, ended=-timedelta(hours=1))
    cancelled = _event(partnership, host=host, ended=timedelta(hours=2), cancelled=True)
    ours = _event(partnership, ended=timedelta(hours=1))
    wanted = [_came(ended, came), _came(ours, other)]
    _came(ended, absent, present=False)
    for event in (too_old, not_over, cancelled):
        _came(event, came)
    Attendance.objects.create(event=ended, user=None, present=True, minutes=120)  # someone not signed in
    uses = source.recent(partnership.pk, timezone.now() - timedelta(days=1))
    assert [(u.key, u.user_id, u.thing_key, u.moment, u.happened_at) for u in uses] == [
        (f"learning.attendance:{wanted[0].pk}", came.user_id, f"learning.host:{host.pk}", "attended", ended.ends_at),
        (f"learning.attendance:{wanted[1].pk}", other.user_id, "learning.host:0", "attended", ours.ends_at),
    ]
    assert source.recent(partnership.pk, ended.ends_at + timedelta(seconds=1))[0].user_id == other.user_id
    assert source.recent(PartnershipFactory().pk, datetime(2000, 1, 1, tzinfo=UTC)) == []


def test_for_person_is_every_event_she_came_to_newest_first(partnership: Partnership) -> None:
    host = OrganisationFactory(partnership=partnership)
    her, someone = members(partnership, 2)
    old = _came(_event(partnership, host=host, ended=timedelta(days=300)), her)
    new = _came(_event(partnership, ended=timedelta(days=2)), her)
    _came(_event(partnership, host=host, ended=timedelta(days=1)), her, present=False)
    _came(_event(partnership, host=host, ended=timedelta(days=1)), someone)
    assert [u.key for u in source.for_person(partnership.pk, her.user_id)] == [
        f"learning.attendance:{new.pk}",
        f"learning.attendance:{old.pk}",
    ]


def test_each_call_is_a_query_or_two_however_many_events(partnership: Partnership) -> None:
    people = members(partnership, 3)
    for n in range(4):
        host = OrganisationFactory(partnership=partnership)
        event = _event(partnership, host=host if n else None, ended=timedelta(hours=n + 1))
        for person in people:
            _came(event, person)
    since = timezone.now() - timedelta(days=1)
    for call, expected, most in (
        (lambda: source.things(partnership.pk), 4, 2),
        (lambda: source.recent(partnership.pk, since), 12, 1),
        (lambda: source.for_person(partnership.pk, people[0].user_id), 4, 1),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert len(call()) == expected
        assert len(queries) <= most
