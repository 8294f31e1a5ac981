"""Events, series, registration with needs, the waiting list, attendance: what each write does and refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.learning import services
from coproduce.learning.models import Attendance, AttendanceTick, Event, EventSeries, Registration, RegistrationNeeds
from coproduce.notifications.models import Notice
from coproduce.partnerships.models import Membership
from tests.factories import OrganisationFactory, staff_membership
from tests.learning.conftest import at, event_fields, make_event, members

pytestmark = pytest.mark.django_db


# -- events -------------------------------------------------------------------------------------------


def test_a_worker_sets_up_an_event_hosted_by_her_organisation(worker: Membership) -> None:
    event = make_event(worker)
    assert event.partnership_id == worker.partnership_id
    assert event.host_id == worker.organisation_id
    assert event.created_by_id == worker.user_id
    assert AuditEvent.objects.filter(action="learning.event_created", target_id=str(event.pk)).count() == 1


def test_a_worker_cannot_set_up_an_event_for_another_organisation(worker: Membership) -> None:
    other = OrganisationFactory(partnership=worker.partnership)
    with pytest.raises(ServiceError) as error:
        make_event(worker, host=other)
    assert error.value.field == "host"
    assert not Event.objects.exists()


def test_a_coordinator_sets_up_an_event_for_any_organisation_or_none(coordinator: Membership) -> None:
    other = OrganisationFactory(partnership=coordinator.partnership)
    assert make_event(coordinator, host=other).host_id == other.pk
    assert make_event(coordinator, host=None).host_id is None


def test_an_organisation_of_another_partnership_is_not_found(coordinator: Membership, outsider: Membership) -> None:
    with pytest.raises(NotPermitted):
        make_event(coordinator, host=OrganisationFactory(partnership=outsider.partnership))


@pytest.mark.parametrize("who", ["member", "observer"])
def test_members_and_observers_do_not_set_up_events(who: str, request: pytest.FixtureRequest) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        services.event_create(actor=actor, fields=event_fields())
    assert not Event.objects.exists()


def test_an_event_that_ends_before_it_starts_is_refused(worker: Membership) -> None:
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(ServiceError) as error:
        make_event(worker, starts_at=starts, ends_at=starts - timedelta(minutes=30))
    assert error.value.field == "ends_at"
    assert "end after it starts" in error.value.message
    with pytest.raises(ServiceError):
        make_event(worker, starts_at=starts, ends_at=starts)
    assert not Event.objects.exists()


def test_the_database_refuses_an_event_that_ends_before_it_starts(worker: Membership) -> None:
    event = make_event(worker)
    event.ends_at = event.starts_at - timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"audience": "children"}, "audience"),
        ({"place": "", "online_url": ""}, "place"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
    ],
)
def test_bad_event_details_are_refused_naming_the_field(
    worker: Membership, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ServiceError) as error:
        make_event(worker, **overrides)
    assert error.value.field == field
    assert not Event.objects.exists()


def test_an_online_event_needs_no_place(worker: Membership) -> None:
    event = make_event(worker, place="", online_url="https://meet.example.org/riverside")
    assert event.online_url == "https://meet.example.org/riverside"


def test_capacity_below_the_people_already_registered_is_refused(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=5)
    for person in members(partnership, 3):
        services.registration_make(actor=person, event=event)
    with pytest.raises(ServiceError) as error:
        services.event_update(actor=worker, event=event, fields=event_fields(host=worker.organisation, capacity=2))
    assert error.value.field == "capacity"
    assert "3 people already have a place" in error.value.message
    event.refresh_from_db()
    assert event.capacity == 5


def test_more_places_go_to_the_waiting_list_in_order(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=1)
    people = members(partnership, 4)
    made = [services.registration_make(actor=p, event=event) for p in people]
    fields = event_fields(host=worker.organisation, capacity=3, starts_at=event.starts_at)
    services.event_update(actor=worker, event=event, fields=fields)
    statuses = [Registration.objects.get(pk=r.pk).status for r in made]
    assert statuses == ["registered", "registered", "registered", "waiting"]
    told = set(Notice.objects.filter(kind="learning.place_offered").values_list("user_id", flat=True))
    assert told == {people[1].user_id, people[2].user_id}


def test_only_organisers_change_an_event(worker: Membership, partnership: Any, member: Membership) -> None:
    event = make_event(worker)
    other_worker = staff_membership(partnership, role="worker")
    for actor in (member, other_worker):
        with pytest.raises(NotPermitted):
            services.event_update(actor=actor, event=event, fields=event_fields(host=worker.organisation))
    coordinator = staff_membership(partnership, role="coordinator")
    changed = services.event_update(
        actor=coordinator, event=event, fields=event_fields(host=worker.organisation, title="Talking with teens")
    )
    assert changed.title == "Talking with teens"
    entry = AuditEvent.objects.get(action="learning.event_changed")
    assert "title" in entry.detail["changed"]


def test_cancelling_an_event_tells_everyone_registered_or_waiting(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=1)
    people = members(partnership, 3)
    for p in people:
        services.registration_make(actor=p, event=event)
    services.registration_cancel(actor=people[2], registration=Registration.objects.get(user_id=people[2].user_id))
    services.event_cancel(actor=worker, event=event, reason="The hall flooded.")
    event.refresh_from_db()
    assert event.is_cancelled
    told = set(Notice.objects.filter(kind="learning.event_cancelled").values_list("user_id", flat=True))
    assert told == {people[0].user_id, people[1].user_id}
    assert "The hall flooded." in Notice.objects.filter(kind="learning.event_cancelled").first().text  # type: ignore[union-attr]
    with pytest.raises(ServiceError):
        services.registration_make(actor=members(partnership, 1)[0], event=event)


# -- series -------------------------------------------------------------------------------------------


def test_series_dates_every_second_week_and_monthly() -> None:
    tuesday = date(2027, 1, 12)  # the second Tuesday of January 2027
    assert services.series_dates(rule="fortnightly", starts_on=tuesday, count=3) == [
        date(2027, 1, 12),
        date(2027, 1, 26),
        date(2027, 2, 9),
    ]
    assert services.series_dates(rule="monthly", starts_on=tuesday, count=3, week_of_month=2) == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
    ]
    assert services.series_dates(
        rule="monthly", starts_on=date(2027, 1, 26), until=date(2027, 4, 30), week_of_month=-1
    ) == [
        date(2027, 1, 26),
        date(2027, 2, 23),
        date(2027, 3, 30),
        date(2027, 4, 27),
    ]
    assert services.series_dates(rule="weekly", starts_on=tuesday, until=date(2027, 1, 26)) == [
        date(2027, 1, 12),
        date(2027, 1, 19),
        date(2027, 1, 26),
    ]


def test_a_weekly_series_keeps_its_london_time_across_the_clock_change(worker: Membership) -> None:
    # The clocks go forward on Sunday 28 March 2027: 10:00 London is 10:00 GMT before and 09:00 UTC after.
    timing = services.SeriesTiming(
        rule="weekly", starts_on=date(2027, 3, 23), start_time=time(10, 0), duration_minutes=90, count=3
    )
    events = services.series_create(
        actor=worker,
        timing=timing,
        details=services.EventDetails(kind="peer", title="Dads' group", place="Hub", host=worker.organisation),
    )
    assert [timezone.localtime(e.starts_at).strftime("%Y-%m-%d %H:%M") for e in events] == [
        "2027-03-23 10:00",
        "2027-03-30 10:00",
        "2027-04-06 10:00",
    ]
    assert [e.starts_at.astimezone(UTC).hour for e in events] == [10, 9, 9]
    assert all(e.duration_minutes == 90 for e in events)
    assert Event.objects.filter(series__title="Dads' group").count() == 3


def test_a_series_needs_one_end(worker: Membership) -> None:
    timing = services.SeriesTiming(
        rule="weekly",
        starts_on=timezone.localdate() + timedelta(days=1),
        start_time=time(10),
        duration_minutes=60,
        count=3,
        until=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(ServiceError):
        services.series_create(
            actor=worker,
            timing=timing,
            details=services.EventDetails(kind="peer", title="X", place="Hub", host=worker.organisation),
        )
    assert not EventSeries.objects.exists()


def test_changing_a_series_changes_only_the_events_still_to_come(worker: Membership) -> None:
    timing = services.SeriesTiming(
        rule="weekly", starts_on=date(2027, 1, 6), start_time=time(10), duration_minutes=60, count=5
    )
    details = services.EventDetails(kind="peer", title="Mums' group", place="Hub", host=worker.organisation)
    with at(datetime(2027, 1, 1, tzinfo=UTC)):
        events = services.series_create(actor=worker, timing=timing, details=details)
    series = events[0].series
    assert series is not None
    details.place = "Library"
    with at(datetime(2027, 1, 20, 12, 0, tzinfo=UTC)):  # the third session (10:00 that day) has started
        changed = services.series_update(
            actor=worker, series=series, details=details, start_time=time(11), duration_minutes=45
        )
    assert [timezone.localtime(e.starts_at).date() for e in changed] == [date(2027, 1, 27), date(2027, 2, 3)]
    rows = list(Event.objects.order_by("starts_at"))
    assert [e.place for e in rows] == ["Hub", "Hub", "Hub", "Library", "Library"]
    assert [timezone.localtime(e.starts_at).time() for e in rows] == [time(10)] * 3 + [time(11)] * 2
    assert [e.duration_minutes for e in rows] == [60, 60, 60, 45, 45]


# -- registration ---------------------------------------------------------------------------------------


def test_registering_with_needs_saves_them_with_the_place(event: Event, member: Membership) -> None:
    needs = services.NeedsData(
        childcare_children=2, childcare_ages=[4, 1], travel_costs=True, interpreter_language="Arabic"
    )
    registration = services.registration_make(actor=member, event=event, needs=needs)
    assert registration.status == "registered"
    assert registration.position == 1
    assert registration.is_member
    saved = RegistrationNeeds.objects.get(registration=registration)
    assert saved.childcare_children == 2
    assert saved.childcare_ages == [1, 4]
    assert saved.travel_costs
    assert AuditEvent.objects.filter(action="learning.registered").count() == 1


def test_nothing_ticked_saves_no_needs(event: Event, member: Membership) -> None:
    services.registration_make(actor=member, event=event, needs=services.NeedsData())
    assert not RegistrationNeeds.objects.exists()


@pytest.mark.parametrize(
    ("needs", "field"),
    [
        (services.NeedsData(childcare_children=-1), "childcare_children"),
        (services.NeedsData(childcare_children=40), "childcare_children"),
        (services.NeedsData(childcare_children=1, childcare_ages=[25]), "childcare_ages"),
        (services.NeedsData(childcare_children=1, childcare_ages=[2, 3]), "childcare_ages"),
        (services.NeedsData(food_needs="x" * 500), "food_needs"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_saved(
    event: Event, member: Membership, needs: services.NeedsData, field: str
) -> None:
    with pytest.raises(ServiceError) as error:
        services.registration_make(actor=member, event=event, needs=needs)
    assert error.value.field == field
    assert not Registration.objects.exists()


def test_a_full_event_puts_people_on_the_waiting_list_in_the_order_they_came(
    worker: Membership, partnership: Any
) -> None:
    event = make_event(worker, capacity=2)
    made = [services.registration_make(actor=p, event=event) for p in members(partnership, 5)]
    assert [r.status for r in made] == ["registered", "registered", "waiting", "waiting", "waiting"]
    assert [r.position for r in made] == [1, 2, 3, 4, 5]
    assert AuditEvent.objects.filter(action="learning.waiting_list_joined").count() == 3


def test_registering_twice_is_refused(event: Event, member: Membership) -> None:
    services.registration_make(actor=member, event=event)
    with pytest.raises(ServiceError) as error:
        services.registration_make(actor=member, event=event)
    assert error.value.code == "already"
    assert Registration.objects.count() == 1


def test_registration_after_the_event_started_is_refused(worker: Membership, member: Membership) -> None:
    event = make_event(worker, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ServiceError) as error:
        services.registration_make(actor=member, event=event, needs=services.NeedsData(travel_costs=True))
    assert error.value.code == "started"
    assert not Registration.objects.exists()
    assert not RegistrationNeeds.objects.exists()


def test_an_observer_sees_but_does_not_register(event: Event, observer: Membership) -> None:
    with pytest.raises(ServiceError) as error:
        services.registration_make(actor=observer, event=event)
    assert error.value.code == "observer"
    assert not Registration.objects.exists()


def test_a_member_cannot_register_for_a_staff_event_nor_another_partnerships(
    worker: Membership, member: Membership, outsider: Membership
) -> None:
    staff_only = make_event(worker, audience="staff")
    with pytest.raises(NotPermitted):
        services.registration_make(actor=member, event=staff_only)
    with pytest.raises(NotPermitted):
        services.registration_make(actor=outsider, event=make_event(worker))
    assert not Registration.objects.exists()


def test_cancelling_gives_the_place_to_the_first_waiting_who_is_told(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=2)
    people = members(partnership, 5)
    made = [
        services.registration_make(actor=p, event=event, needs=services.NeedsData(travel_costs=True)) for p in people
    ]
    services.registration_cancel(actor=people[0], registration=made[0])
    statuses = dict(Registration.objects.values_list("position", "status"))
    assert statuses == {1: "cancelled", 2: "registered", 3: "registered", 4: "waiting", 5: "waiting"}
    assert list(Notice.objects.filter(kind="learning.place_offered").values_list("user_id", flat=True)) == [
        people[2].user_id
    ]
    assert not RegistrationNeeds.objects.filter(registration=made[0]).exists()  # her answers go with her place
    # A waiting person cancelling promotes nobody.
    services.registration_cancel(actor=people[4], registration=made[4])
    assert Registration.objects.filter(status="registered").count() == 2
    assert Notice.objects.filter(kind="learning.place_offered").count() == 1


def test_cancelling_twice_does_nothing_more(event: Event, member: Membership) -> None:
    registration = services.registration_make(actor=member, event=event)
    services.registration_cancel(actor=member, registration=registration)
    again = services.registration_cancel(actor=member, registration=registration)
    assert again.status == "cancelled"
    assert AuditEvent.objects.filter(action="learning.registration_cancelled").count() == 1


def test_cancelling_someone_elses_registration_is_not_found(event: Event, partnership: Any, worker: Membership) -> None:
    first, second = members(partnership, 2)
    registration = services.registration_make(actor=first, event=event)
    for actor in (second, worker):
        with pytest.raises(NotPermitted):
            services.registration_cancel(actor=actor, registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == "registered"


def test_one_may_register_again_after_cancelling(event: Event, member: Membership) -> None:
    first = services.registration_make(actor=member, event=event)
    services.registration_cancel(actor=member, registration=first)
    again = services.registration_make(actor=member, event=event)
    assert again.position == 2
    assert again.status == "registered"


def test_the_database_allows_one_live_registration_per_person(event: Event, member: Membership) -> None:
    services.registration_make(actor=member, event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user_id=member.user_id, status="waiting", position=2)


def test_the_database_refuses_two_registrations_in_one_position(event: Event, partnership: Any) -> None:
    first, second = members(partnership, 2)
    services.registration_make(actor=first, event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user_id=second.user_id, status="waiting", position=1)


def test_needs_are_changed_or_removed_by_their_owner_only(event: Event, partnership: Any) -> None:
    owner, other = members(partnership, 2)
    registration = services.registration_make(actor=owner, event=event)
    services.needs_update(actor=owner, registration=registration, needs=services.NeedsData(food_needs="Halal"))
    assert RegistrationNeeds.objects.get(registration=registration).food_needs == "Halal"
    with pytest.raises(NotPermitted):
        services.needs_update(actor=other, registration=registration, needs=services.NeedsData(food_needs="None"))
    services.needs_update(actor=owner, registration=registration, needs=None)
    assert not RegistrationNeeds.objects.exists()


# -- attendance ------------------------------------------------------------------------------------------


def test_an_organiser_marks_attendance_on_the_day_and_a_retried_tick_counts_once(
    worker: Membership, member: Membership
) -> None:
    event = make_event(worker, starts_at=timezone.now() + timedelta(days=1))
    registration = services.registration_make(actor=member, event=event)
    with at(event.starts_at + timedelta(minutes=10)):
        first = services.attendance_mark(
            actor=worker, event=event, user_id=member.user_id, present=True, client_token="t1"
        )
        again = services.attendance_mark(
            actor=worker, event=event, user_id=member.user_id, present=True, client_token="t1"
        )
    assert first.pk == again.pk
    assert Attendance.objects.count() == 1
    assert first.minutes == 120
    assert first.registration_id == registration.pk
    assert first.is_member
    assert AuditEvent.objects.filter(action="learning.attendance_marked").count() == 1
    with at(event.starts_at + timedelta(hours=3)):
        unticked = services.attendance_mark(
            actor=worker, event=event, user_id=member.user_id, present=False, client_token="t2"
        )
    assert not unticked.present
    assert unticked.minutes == 0
    assert Attendance.objects.count() == 1


def test_every_tick_counts_once_even_an_older_one_arriving_after_a_newer_one(
    worker: Membership, member: Membership
) -> None:
    event = make_event(worker, starts_at=timezone.now() + timedelta(days=1))
    services.registration_make(actor=member, event=event)
    with at(event.starts_at + timedelta(minutes=10)):
        services.attendance_mark(actor=worker, event=event, user_id=member.user_id, present=False, client_token="old")
        services.attendance_mark(actor=worker, event=event, user_id=member.user_id, present=True, client_token="new")
        late = services.attendance_mark(
            actor=worker, event=event, user_id=member.user_id, present=False, client_token="old"
        )
        assert late.present and late.minutes == 120  # the current state is answered, nothing changes
        assert Attendance.objects.get(event=event, user_id=member.user_id).present
        assert AuditEvent.objects.filter(action="learning.attendance_marked").count() == 2
        assert sorted(AttendanceTick.objects.filter(event=event).values_list("client_token", flat=True)) == [
            "new",
            "old",
        ]
        with pytest.raises(IntegrityError), transaction.atomic():
            AttendanceTick.objects.create(event=event, client_token="new")
        # A refused tick leaves no key behind: sent again once it can be applied, it is applied.
        other = make_event(worker, starts_at=timezone.now() + timedelta(days=5))
        with pytest.raises(ServiceError):
            services.attendance_mark(actor=worker, event=other, user_id=member.user_id, present=True, client_token="k")
        assert not AttendanceTick.objects.filter(event=other).exists()


def test_the_register_opens_on_the_day(worker: Membership, member: Membership) -> None:
    event = make_event(worker, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ServiceError) as error:
        services.attendance_mark(actor=worker, event=event, user_id=member.user_id, present=True)
    assert error.value.code == "early"
    assert not Attendance.objects.exists()


def test_only_organisers_mark_attendance_and_only_people_of_the_partnership(
    worker: Membership, member: Membership, outsider: Membership, partnership: Any
) -> None:
    event = make_event(worker, starts_at=timezone.now() + timedelta(days=1))
    with at(event.starts_at):
        with pytest.raises(NotPermitted):
            services.attendance_mark(actor=member, event=event, user_id=member.user_id, present=True)
        with pytest.raises(NotPermitted):
            services.attendance_mark(
                actor=staff_membership(partnership, role="worker"), event=event, user_id=member.user_id, present=True
            )
        with pytest.raises(NotPermitted):
            services.attendance_mark(actor=worker, event=event, user_id=outsider.user_id, present=True)
    assert not Attendance.objects.exists()
