"""The waiting list under real concurrency on PostgreSQL: many people registering at once, and cancellations at
once. Each thread has its own connection. 200 people register through 40 connections (the server allows 100,
shared by everything else on the machine), all starting together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection, connections

from coproduce.learning import services
from coproduce.learning.models import Event, Registration
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from tests.factories import PartnershipFactory, staff_membership
from tests.learning.conftest import make_event, members

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) are tested on PostgreSQL; SQLite runs one writer at a time",
    ),
]

CONNECTIONS = 40


def run_together(jobs: Sequence[Callable[[], Any]], *, threads: int = CONNECTIONS) -> list[Any]:
    """Run every job, ``threads`` at a time on their own connections, all threads starting together; each
    job's result or the exception it raised, in the jobs' order."""
    threads = min(threads, len(jobs))
    barrier = threading.Barrier(threads)
    results: list[Any] = [None] * len(jobs)

    def runner(first: int) -> None:
        try:
            barrier.wait()
            for index in range(first, len(jobs), threads):
                try:
                    results[index] = jobs[index]()
                except Exception as error:
                    results[index] = error
        finally:
            connections.close_all()

    workers = [threading.Thread(target=runner, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results


def fresh(membership: Membership) -> Membership:
    return Membership.objects.select_related("partnership", "user").get(pk=membership.pk)


def register(person: Membership, event_id: int) -> Callable[[], Any]:
    return lambda: services.registration_make(actor=fresh(person), event=Event.objects.get(pk=event_id))


def cancel(person: Membership, event_id: int) -> Callable[[], Any]:
    def job() -> Any:
        registration = Registration.objects.select_related("event").get(
            event_id=event_id, user_id=person.user_id, status__in=["registered", "waiting"]
        )
        return services.registration_cancel(actor=fresh(person), registration=registration)

    return job


def test_200_people_registering_at_once_for_20_places() -> None:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    event = make_event(worker, capacity=20)
    people = members(partnership, 200)
    results = run_together([register(p, event.pk) for p in people])
    assert all(isinstance(r, Registration) for r in results), [r for r in results if not isinstance(r, Registration)]
    rows = list(Registration.objects.filter(event=event).order_by("position"))
    assert [r.position for r in rows] == list(range(1, 201))  # no gaps, no duplicates
    assert [r.status for r in rows] == ["registered"] * 20 + ["waiting"] * 180
    # Positions were given in the order the event's lock was granted, which is the order of the commits: each
    # registration's time was read after taking the lock.
    times = [r.registered_at for r in rows]
    assert times == sorted(times)
    assert len({r.user_id for r in rows}) == 200


def _full_event_with_waiting(waiting: int) -> tuple[Event, list[Membership]]:
    partnership = PartnershipFactory()
    worker = staff_membership(partnership, role="worker")
    event = make_event(worker, capacity=20)
    people = members(partnership, 20 + waiting)
    for person in people:
        services.registration_make(actor=person, event=event)
    return event, people


def test_a_cancellation_promotes_exactly_one_while_others_join_the_waiting_list() -> None:
    event, people = _full_event_with_waiting(5)
    late = members(event.partnership, 10)
    results = run_together([cancel(people[0], event.pk)] + [register(p, event.pk) for p in late], threads=11)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Registration.objects.filter(event=event, status="registered").count() == 20
    promoted = Registration.objects.filter(event=event, promoted_at__isnull=False)
    assert [r.position for r in promoted] == [21]
    assert list(Notice.objects.filter(kind="learning.place_offered").values_list("user_id", flat=True)) == [
        people[20].user_id
    ]
    assert Registration.objects.filter(event=event, status="waiting").count() == 4 + 10


def test_two_cancellations_at_once_promote_the_first_two_waiting() -> None:
    event, people = _full_event_with_waiting(5)
    results = run_together([cancel(people[0], event.pk), cancel(people[1], event.pk)])
    assert all(isinstance(r, Registration) and r.status == "cancelled" for r in results), results
    assert Registration.objects.filter(event=event, status="registered").count() == 20
    promoted = sorted(
        Registration.objects.filter(event=event, promoted_at__isnull=False).values_list("position", flat=True)
    )
    assert promoted == [21, 22]
    assert Registration.objects.filter(event=event, status="waiting").count() == 3
    assert Notice.objects.filter(kind="learning.place_offered").count() == 2


def test_the_same_cancellation_sent_twice_at_once_promotes_one() -> None:
    event, people = _full_event_with_waiting(3)
    results = run_together([cancel(people[0], event.pk), cancel(people[0], event.pk)])
    # The second either finds it cancelled (no more to do) or no longer live (not found): never a second promotion.
    assert sum(isinstance(r, Registration) for r in results) >= 1
    assert Registration.objects.filter(event=event, promoted_at__isnull=False).count() == 1
    assert Registration.objects.filter(event=event, status="registered").count() == 20
