"""Learning's report figures (``learning.reporting``): events held in the period, places taken, attendances,
the people who came and the hours of learning time; inside the period only, for the partnership asked about
only, narrowed to an organisation's events, in a fixed number of queries, never with an event's words."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from coproduce.accounts.models import User
from coproduce.learning.models import Attendance, Event, Registration
from coproduce.partnerships.models import Organisation, Partnership
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory
from tests.reports.figures_support import (
    AFTER,
    BEFORE,
    FIRST_MOMENT,
    INSIDE,
    LAST_MOMENT,
    bases,
    queries_for,
    query,
    section,
    values,
    words,
)

pytestmark = pytest.mark.django_db

KEY = "learning.participation"
HOURS = f"{KEY}.hours/hours"
_positions = itertools.count(1)


def _event(
    partnership: Partnership,
    starts_at: dt.datetime,
    minutes: int = 120,
    host: Organisation | None = None,
    title: str = "Money matters",
    cancelled: bool = False,
) -> Event:
    return Event.objects.create(
        partnership=partnership,
        kind="learning",
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        host=host,
        cancelled_at=starts_at - dt.timedelta(days=1) if cancelled else None,
    )


def _register(event: Event, user: User, status: str = "registered") -> Registration:
    return Registration.objects.create(
        event=event,
        user=user,
        status=status,
        position=next(_positions),
        cancelled_at=INSIDE if status == "cancelled" else None,
    )


def _came(event: Event, user: User | None, present: bool = True) -> Attendance:
    return Attendance.objects.create(
        event=event, user=user, present=present, minutes=event.duration_minutes if present else 0, is_member=True
    )


@pytest.fixture
def host(partnership: Partnership) -> Organisation:
    return OrganisationFactory(partnership=partnership)


@pytest.fixture
def events(partnership: Partnership, host: Organisation) -> dict[str, Event]:
    amina, bea, cat, dee, eve = (UserFactory() for _ in range(5))
    hosted = _event(partnership, FIRST_MOMENT, minutes=120, host=host)
    late = _event(partnership, LAST_MOMENT, minutes=60)  # starts in the period's last minute, ends after it
    early = _event(partnership, BEFORE - dt.timedelta(hours=2), host=host)
    after = _event(partnership, AFTER, host=host)
    cancelled = _event(partnership, INSIDE, host=host, cancelled=True)
    for user in (amina, bea):
        _register(hosted, user)
    _register(hosted, dee, "waiting")
    _register(hosted, eve, "cancelled")
    _register(late, amina)
    _came(hosted, amina)
    _came(hosted, bea)
    _came(hosted, cat, present=False)
    _came(late, amina)
    for outside in (early, after, cancelled):
        _register(outside, cat)
        _came(outside, cat)
    # Another partnership's event in the period never counts.
    other = _event(PartnershipFactory(), INSIDE)
    _register(other, eve)
    _came(other, eve)
    return {"hosted": hosted, "late": late}


def test_counts_events_held_in_the_period_and_those_who_came(partnership: Partnership, events: object) -> None:
    tables = section(KEY).tables(query(partnership.pk))
    found = values(tables)

    assert found[f"{KEY}/events"] == 2
    assert found[f"{KEY}/registrations"] == 3
    assert found[f"{KEY}/attendances"] == 3
    assert found[f"{KEY}/attended"] == 2
    # Amina: 2 hours and 1 hour; Bea: 2 hours. The absent person adds nothing.
    assert found[HOURS] == 5.0
    assert bases(tables)[HOURS] == 2


def test_narrowed_to_the_events_an_organisation_hosted(
    partnership: Partnership, host: Organisation, events: object
) -> None:
    found = values(section(KEY).tables(query(partnership.pk, scope="organisation", organisation_id=host.pk)))

    assert (found[f"{KEY}/events"], found[f"{KEY}/registrations"], found[f"{KEY}/attendances"]) == (1, 2, 2)
    assert found[HOURS] == 4.0
    assert "organisation" in section(KEY).scopes
    assert "service" not in section(KEY).scopes


def test_no_event_words_in_the_tables(partnership: Partnership) -> None:
    event = _event(partnership, INSIDE, title="Zzyzx workshop")
    _came(event, UserFactory(display_name="Quixote Parentname"))

    seen = words(section(KEY).tables(query(partnership.pk)))

    assert "Zzyzx" not in seen
    assert "Quixote" not in seen


def _activity(partnership: Partnership, n: int) -> None:
    for _ in range(n):
        event = _event(partnership, INSIDE)
        person = UserFactory()
        _register(event, person)
        _came(event, person)


def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership) -> None:
    bigger = PartnershipFactory()
    _activity(partnership, 1)
    _activity(bigger, 50)

    one = queries_for(lambda: section(KEY).tables(query(partnership.pk)))
    fifty = queries_for(lambda: section(KEY).tables(query(bigger.pk)))

    assert one == fifty <= 3
    assert values(section(KEY).tables(query(bigger.pk)))[HOURS] == 100.0
