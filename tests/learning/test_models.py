"""The database's own rules, below the services: what no code path may store."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.learning.models import Attendance, Event, EventSeries, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership
from tests.learning.conftest import make_event

pytestmark = pytest.mark.django_db


def refused(make: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_places_are_at_least_one(worker: Membership) -> None:
    event = make_event(worker)
    Event.objects.filter(pk=event.pk).update(capacity=None)  # no limit is allowed
    refused(lambda: Event.objects.filter(pk=event.pk).update(capacity=0))


def test_a_kind_and_an_audience_from_the_lists(worker: Membership) -> None:
    event = make_event(worker)
    refused(lambda: Event.objects.filter(pk=event.pk).update(kind="party"))
    refused(lambda: Event.objects.filter(pk=event.pk).update(audience="children"))


def test_a_cancelled_registration_has_its_time_and_only_it(worker: Membership, member: Membership) -> None:
    event = make_event(worker)
    refused(lambda: Registration.objects.create(event=event, user=member.user, status="cancelled", position=1))
    refused(
        lambda: Registration.objects.create(
            event=event, user=member.user, status="registered", position=1, cancelled_at=timezone.now()
        )
    )
    refused(lambda: Registration.objects.create(event=event, user=member.user, status="maybe", position=1))
    refused(lambda: Registration.objects.create(event=event, user=member.user, status="registered", position=0))


def test_several_cancelled_registrations_and_erased_people_are_allowed(worker: Membership, member: Membership) -> None:
    event = make_event(worker)
    now = timezone.now()
    Registration.objects.create(event=event, user=member.user, status="cancelled", position=1, cancelled_at=now)
    Registration.objects.create(event=event, user=member.user, status="cancelled", position=2, cancelled_at=now)
    Registration.objects.create(event=event, user=None, status="registered", position=3)
    Registration.objects.create(event=event, user=None, status="registered", position=4)
    assert Registration.objects.filter(event=event).count() == 4


def test_needs_for_at_most_twelve_children(worker: Membership, member: Membership) -> None:
    registration = Registration.objects.create(
        event=make_event(worker), user=member.user, status="registered", position=1
    )
    refused(lambda: RegistrationNeeds.objects.create(registration=registration, childcare_children=13))


def test_an_absent_person_counts_no_minutes_and_a_key_is_used_once(worker: Membership, partnership: Any) -> None:
    event = make_event(worker)
    first, second = (Membership.objects.create(partnership=partnership, user=u, is_member=True) for u in _users(2))
    refused(lambda: Attendance.objects.create(event=event, user=first.user, present=False, minutes=60))
    refused(lambda: Attendance.objects.create(event=event, user=first.user, present=True, minutes=24 * 60 + 1))
    Attendance.objects.create(event=event, user=first.user, present=True, minutes=60, client_token="k")
    refused(
        lambda: Attendance.objects.create(event=event, user=second.user, present=True, minutes=60, client_token="k")
    )
    refused(lambda: Attendance.objects.create(event=event, user=first.user, present=True, minutes=60))


def test_a_series_has_one_end_and_a_sensible_rule(partnership: Any) -> None:
    values: dict[str, Any] = {
        "partnership": partnership,
        "title": "Peer group",
        "rule": "weekly",
        "weekday": 1,
        "starts_on": date(2027, 1, 5),
        "start_time": time(10),
        "duration_minutes": 60,
    }
    refused(lambda: EventSeries.objects.create(**values))  # no end
    refused(lambda: EventSeries.objects.create(**values, count=3, until=date(2027, 3, 1)))  # two ends
    refused(lambda: EventSeries.objects.create(**{**values, "rule": "monthly"}, count=3))  # which week?
    refused(lambda: EventSeries.objects.create(**{**values, "weekday": 7}, count=3))
    refused(lambda: EventSeries.objects.create(**values, until=date(2026, 12, 1)))  # ends before it starts
    assert EventSeries.objects.create(**values, until=date(2027, 1, 5) + timedelta(weeks=4)).pk


def _users(n: int) -> list[Any]:
    from tests.factories import UserFactory

    return [UserFactory() for _ in range(n)]
