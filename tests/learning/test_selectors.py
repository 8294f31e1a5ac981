"""What each person sees of events: the list with its counts (in constant queries), one event, the needs totals
(organisers only, without names), the register and the hours of learning time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.learning import selectors, services
from coproduce.learning.models import Event
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, staff_membership
from tests.learning.conftest import at, make_event, members

pytestmark = pytest.mark.django_db


def test_the_list_counts_places_waiting_and_my_status(worker: Membership, partnership: Any) -> None:
    full = make_event(worker, capacity=2, title="Full")
    open_event = make_event(worker, capacity=None, title="Open")
    people = members(partnership, 3)
    for p in people:
        services.registration_make(actor=p, event=full)
    services.registration_make(actor=people[0], event=open_event)
    listed: dict[str, Any] = {e.title: e for e in selectors.events_visible_to(people[2])}
    assert (listed["Full"].registered_count, listed["Full"].waiting_count, listed["Full"].places_left) == (2, 1, 0)
    assert listed["Full"].my_status == "waiting"
    assert (listed["Open"].registered_count, listed["Open"].waiting_count) == (1, 0)
    assert listed["Open"].places_left is None
    assert listed["Open"].my_status is None


def test_the_list_takes_one_query_however_many_events(
    worker: Membership, partnership: Any, django_assert_num_queries: Any
) -> None:
    people = members(partnership, 3)
    for n in range(12):
        event = make_event(worker, capacity=2, title=f"Session {n}")
        for p in people[: n % 4]:
            services.registration_make(actor=p, event=event)
    with django_assert_num_queries(1):
        events: list[Any] = list(selectors.events_visible_to(people[0]))
    assert len(events) == 12
    assert sum(e.registered_count for e in events) == sum(min(n % 4, 2) for n in range(12))


def test_the_list_is_narrowed_to_the_audience_and_the_dates(
    worker: Membership, member: Membership, observer: Membership, coordinator: Membership, partnership: Any
) -> None:
    now = timezone.now()
    make_event(worker, audience="everyone", title="Everyone")
    make_event(worker, audience="members", title="Members")
    make_event(worker, audience="staff", title="Staff")
    other_org_worker = staff_membership(partnership, role="worker")
    make_event(coordinator, host=OrganisationFactory(partnership=partnership), audience="members", title="Elsewhere")
    make_event(worker, audience="everyone", title="Next year", starts_at=now + timedelta(days=400))

    def titles(actor: Membership) -> set[str]:
        return {e.title for e in selectors.events_visible_to(actor, since=now, until=now + timedelta(days=365))}

    assert titles(member) == {"Everyone", "Members", "Elsewhere"}
    assert titles(observer) == {"Everyone"}
    # Staff see staff events, and every event their own organisation hosts.
    assert titles(worker) == {"Everyone", "Members", "Staff"}
    assert titles(other_org_worker) == {"Everyone", "Staff"}
    assert titles(coordinator) == {"Everyone", "Members", "Staff", "Elsewhere"}
    parent_worker = staff_membership(partnership, role="worker", is_member=True)
    assert titles(parent_worker) == {"Everyone", "Members", "Staff", "Elsewhere"}


def test_one_event_out_of_reach_is_not_found(worker: Membership, member: Membership, outsider: Membership) -> None:
    staff_only = make_event(worker, audience="staff")
    assert selectors.event_for(worker, staff_only.pk) == staff_only
    for actor, event_id in ((member, staff_only.pk), (outsider, staff_only.pk), (worker, 999_999)):
        with pytest.raises(NotPermitted):
            selectors.event_for(actor, event_id)
    with pytest.raises(NotPermitted):
        selectors.event_to_organise(member, make_event(worker).pk)


def test_needs_totals_add_up_without_names(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=4)
    answers = [
        services.NeedsData(
            childcare_children=3, childcare_ages=[1, 2, 6], travel_costs=True, interpreter_language="Polish"
        ),
        services.NeedsData(childcare_children=2, childcare_ages=[4, 7], interpreter_language=" polish "),
        services.NeedsData(travel_costs=True, food_needs="Vegetarian", interpreter_language="Arabic"),
        services.NeedsData(childcare_children=2, childcare_ages=[0, 5], access_needs="Wheelchair user"),
        services.NeedsData(childcare_children=1, childcare_ages=[2]),  # waiting: not in the crèche count
    ]
    people = members(partnership, 5)
    for person, needs in zip(people, answers, strict=True):
        services.registration_make(actor=person, event=event, needs=needs)
    totals = selectors.needs_totals(worker, event)
    assert totals.people == 4
    assert totals.childcare_children == 7
    assert totals.childcare_under_3 == 3  # ages 1, 2 and 0
    assert totals.childcare_families == 3
    assert totals.travel_costs == 2
    assert totals.interpreters == [("Polish", 2), ("Arabic", 1)]
    assert totals.food_needs == ["Vegetarian"]
    assert totals.access_needs == ["Wheelchair user"]
    assert totals.waiting_with_childcare == 1
    text = repr(totals)
    assert all(p.user.display_name not in text for p in people)


def test_needs_totals_take_two_queries(worker: Membership, partnership: Any, django_assert_num_queries: Any) -> None:
    event = make_event(worker, capacity=None)
    for person in members(partnership, 8):
        services.registration_make(actor=person, event=event, needs=services.NeedsData(childcare_children=1))
    with django_assert_num_queries(2):
        assert selectors.needs_totals(worker, event).childcare_children == 8


@pytest.mark.parametrize("who", ["member", "observer", "partner_lead"])
def test_needs_totals_are_for_organisers_only(who: str, request: pytest.FixtureRequest, worker: Membership) -> None:
    event = make_event(worker)
    with pytest.raises(NotPermitted):
        selectors.needs_totals(request.getfixturevalue(who), event)


def test_one_persons_needs_are_hers_and_the_organisers(worker: Membership, partnership: Any) -> None:
    event = make_event(worker)
    owner, other = members(partnership, 2)
    registration = services.registration_make(actor=owner, event=event, needs=services.NeedsData(food_needs="Halal"))
    assert selectors.needs_of(owner, registration).food_needs == "Halal"  # type: ignore[union-attr]
    assert selectors.needs_of(worker, registration).food_needs == "Halal"  # type: ignore[union-attr]
    for actor in (other, staff_membership(partnership, role="worker")):
        with pytest.raises(NotPermitted):
            selectors.needs_of(actor, registration)


def test_registration_of_and_the_waiting_place(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=1)
    first, second, third = members(partnership, 3)
    for p in (first, second, third):
        services.registration_make(actor=p, event=event)
    mine = selectors.registration_of(third, event)
    assert mine is not None
    assert mine.status == "waiting"
    assert selectors.waiting_place(mine) == 2
    services.registration_cancel(actor=first, registration=selectors.registration_of(first, event))  # type: ignore[arg-type]
    assert selectors.waiting_place(selectors.registration_of(third, event)) == 1  # type: ignore[arg-type]
    assert selectors.registration_of(first, event) is None
    assert [r.user_id for r in selectors.waiting_list(worker, event)] == [third.user_id]


def test_the_register_lists_people_with_a_place_and_walk_ins(worker: Membership, partnership: Any) -> None:
    event = make_event(worker, capacity=2, starts_at=timezone.now() + timedelta(hours=1))
    first, second, waiting, walk_in = members(partnership, 4)
    for p in (first, second, waiting):
        services.registration_make(actor=p, event=event)
    with at(event.starts_at):
        services.attendance_mark(actor=worker, event=event, user_id=first.user_id, present=True)
        services.attendance_mark(actor=worker, event=event, user_id=walk_in.user_id, present=True)
    rows = selectors.register_for(worker, event)
    assert [(r.user_id, r.status, r.present) for r in rows] == [
        (first.user_id, "registered", True),
        (second.user_id, "registered", None),
        (walk_in.user_id, "", True),
    ]
    with pytest.raises(NotPermitted):
        selectors.register_for(first, event)


def test_learning_hours_by_organisation_and_by_member(coordinator: Membership, partnership: Any) -> None:
    start = timezone.now() + timedelta(hours=1)
    two_hours = make_event(coordinator, starts_at=start, ends_at=start + timedelta(hours=2), capacity=None)
    ninety = make_event(
        coordinator, starts_at=start + timedelta(hours=3), ends_at=start + timedelta(hours=4, minutes=30)
    )
    parent_a, parent_b = members(partnership, 2)
    staff = staff_membership(partnership, role="worker")
    with at(start + timedelta(hours=5)):
        for event in (two_hours, ninety):
            for person in (parent_a, staff):
                services.attendance_mark(actor=coordinator, event=event, user_id=person.user_id, present=True)
        services.attendance_mark(actor=coordinator, event=two_hours, user_id=parent_b.user_id, present=True)
        services.attendance_mark(actor=coordinator, event=ninety, user_id=parent_b.user_id, present=False)
    since, until = start - timedelta(days=1), start + timedelta(days=1)
    by_org = {
        r.label: (r.minutes, r.people, r.sessions)
        for r in selectors.learning_hours(coordinator, since=since, until=until)
    }
    assert by_org == {"Parents": (120 + 90 + 120, 2, 2), staff.organisation.name: (210, 1, 2)}  # type: ignore[union-attr]
    by_member = {
        r.label: r.minutes for r in selectors.learning_hours(coordinator, since=since, until=until, by="member")
    }
    assert by_member == {parent_a.user.display_name: 210, parent_b.user.display_name: 120}
    # Outside the period: nothing.
    assert selectors.learning_hours(coordinator, since=until, until=until + timedelta(days=30)) == []
    with pytest.raises(NotPermitted):
        selectors.learning_hours(staff, since=since, until=until, by="member")
    with pytest.raises(NotPermitted):
        selectors.learning_hours(parent_a, since=since, until=until)
    assert selectors.learning_hours(staff, since=since, until=until)


def test_an_erased_persons_hours_still_count(coordinator: Membership, partnership: Any) -> None:
    start = timezone.now() + timedelta(hours=1)
    event = make_event(coordinator, starts_at=start)
    parent = MembershipFactory(partnership=partnership, is_member=True)
    with at(start):
        services.attendance_mark(actor=coordinator, event=event, user_id=parent.user_id, present=True)
    from coproduce.learning.departure import DEPARTURE

    DEPARTURE.erase(parent)
    rows = selectors.learning_hours(coordinator, since=start - timedelta(days=1), until=start + timedelta(days=1))
    assert [(r.label, r.minutes) for r in rows] == [("Parents", 120)]
    assert Event.objects.get(pk=event.pk).attendances.get().user_id is None
