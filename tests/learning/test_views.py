"""The learning pages: the events list (a year's list in a fixed number of queries), an event's page, the forms
to set up and change events and series, registration with what would help people come, cancelling in one step,
the organisers' totals (no names), the attendance register (without JavaScript, and its JSON answer for the
script: a tick sent twice changes nothing), learning hours with the CSV download; every POST as every role that
can reach it, and 404 for another partnership's event."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.learning import services
from coproduce.learning.models import Attendance, Event, EventSeries, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership
from tests.conftest import present, signed_in
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs={"slug": partnership.slug, **kwargs})


def make_event(host: Membership, *, days: float = 3, hours: float = 2, **overrides: Any) -> Event:
    starts = overrides.pop("starts_at", None) or timezone.now() + timedelta(days=days)
    values: dict[str, Any] = {
        "kind": "learning",
        "title": "Learning together",
        "purpose": "What helps parents into work.",
        "place": "Riverside Family Centre, Room 2",
        "access_info": "Step-free entrance from the car park.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=hours),
        "capacity": 10,
        "host": host.organisation,
    }
    values.update(overrides)
    return services.event_create(actor=host, fields=services.EventFields(**values))


def moved_to_today(event: Event) -> Event:
    """The event, moved to have started an hour ago (the register opens on the day; registering closes)."""
    starts = timezone.now() - timedelta(hours=1)
    length = event.ends_at - event.starts_at
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + length)
    event.refresh_from_db()
    return event


def page(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def event_form(**overrides: Any) -> dict[str, Any]:
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "title": "Co-design: the job club",
        "kind": "codesign",
        "purpose": "Redesign the job club with parents.",
        "audience": "everyone",
        "day": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:30",
        "place": "The hub",
        "access_info": "",
        "online_url": "",
        "capacity": "15",
        "host": "",
    }
    data.update(overrides)
    return data


# --- The events list ----------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_with_places_and_a_year_in_a_fixed_number_of_queries(
    partnership: Any, worker: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    full = make_event(worker, title="Full session", capacity=1)
    services.registration_make(actor=worker, event=full)
    make_event(worker, title="Paid workshop", paid_time=True, days=5)
    client = signed_in(member.user)
    events_url = url("events", partnership)
    client.get(events_url)  # warm the session
    with django_assert_max_num_queries(12) as few:
        text = page(client.get(events_url))
    queries = len(few.captured_queries)  # read now: the next request empties the log it reads from
    assert "Full session" in text and "Full: waiting list open" in text
    assert "Paid workshop" in text and "10 places left" in text and "Paid time" in text
    assert "You have a place" not in text
    assert "You have a place" in page(signed_in(worker.user).get(events_url))
    Event.objects.bulk_create(
        [
            Event(
                partnership=partnership,
                kind="peer",
                title=f"Peer group {i}",
                place="Hub",
                starts_at=timezone.now() + timedelta(days=1 + i % 360, hours=1),
                ends_at=timezone.now() + timedelta(days=1 + i % 360, hours=2),
                capacity=5,
            )
            for i in range(500)
        ]
    )
    with django_assert_max_num_queries(queries):
        response = client.get(events_url)
    assert page(response).count('class="ds_search-result"') == 502


def test_past_events_are_listed_newest_first_and_not_among_the_upcoming(
    partnership: Any, worker: Any, member: Any
) -> None:
    older = make_event(worker, title="Older session")
    newer = make_event(worker, title="Newer session")
    Event.objects.filter(pk=older.pk).update(
        starts_at=timezone.now() - timedelta(days=20), ends_at=timezone.now() - timedelta(days=20, hours=-2)
    )
    Event.objects.filter(pk=newer.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2)
    )
    client = signed_in(member.user)
    upcoming = page(client.get(url("events", partnership)))
    past = page(client.get(url("events", partnership), {"when": "past"}))
    assert "Older session" not in upcoming and "No events are planned yet." in upcoming
    assert past.index("Newer session") < past.index("Older session")


def test_events_for_staff_are_not_listed_for_members(partnership: Any, worker: Any, member: Any) -> None:
    make_event(worker, title="Staff briefing", audience="staff")
    make_event(worker, title="Open session")
    text = page(signed_in(member.user).get(url("events", partnership)))
    assert "Open session" in text and "Staff briefing" not in text


# --- An event's page ----------------------------------------------------------------------------------------


def test_the_event_page_says_when_in_words_where_how_to_get_in_and_the_places(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    # 10:00 London time on 6 July (summer time: 09:00 UTC), two hours.
    day = timezone.localdate() + timedelta(days=400)
    starts = datetime(day.year, 7, 6, 10, 0, tzinfo=LONDON)
    event = make_event(worker, starts_at=starts, hours=2, capacity=2, paid_time=True)
    services.registration_make(actor=coordinator, event=event)
    services.registration_make(actor=worker, event=event)
    services.registration_make(actor=member, event=event)
    text = page(signed_in(member.user).get(url("event", partnership, event_id=event.pk)))
    weekday = starts.strftime("%A")
    assert f"{weekday} 6 July {starts.year}, 10:00 to 12:00 (2 hours)" in text
    assert "Riverside Family Centre, Room 2" in text and "Step-free entrance from the car park." in text
    assert "Full" in text and "1 person on the waiting list" in text
    assert "You are number 1 on the waiting list." in text
    assert "Paid time: parents are paid for their time" in text
    # Names of who registered are for the organisers only.
    assert str(coordinator.user) not in text and "Who has a place" not in text


def test_organisers_see_who_registered_and_the_waiting_list_in_order(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    event = make_event(worker, capacity=1)
    services.registration_make(actor=coordinator, event=event)
    services.registration_make(actor=member, event=event)
    response = signed_in(worker.user).get(url("event", partnership, event_id=event.pk))
    text = page(response)
    assert "Who has a place" in text and str(coordinator.user) in text
    assert "Waiting list, in the order people came" in text and str(member.user) in text
    assert "no-store" in response["Cache-Control"]


def test_another_partnerships_event_is_not_found_on_any_of_its_pages(
    partnership: Any, member: Any, coordinator: Any
) -> None:
    elsewhere = PartnershipFactory(slug="hillside")
    their_worker = staff_membership(elsewhere, role="worker")
    theirs = make_event(their_worker)
    for client in (signed_in(member.user), signed_in(coordinator.user)):
        for name in ("event", "event-edit", "event-cancel", "register", "registration-cancel", "needs", "attendance"):
            assert client.get(url(name, partnership, event_id=theirs.pk)).status_code == 404, name
            assert client.post(url(name, partnership, event_id=theirs.pk), {}).status_code == 404, name
    assert Registration.objects.filter(event=theirs).count() == 0


# --- Setting up events and series ---------------------------------------------------------------------------


def test_staff_set_up_an_event_hosted_by_their_organisation(partnership: Any, worker: Any) -> None:
    client = signed_in(worker.user)
    form = client.get(url("event-new", partnership))
    assert f'value="{worker.organisation_id}" selected' in form.content.decode()
    response = client.post(url("event-new", partnership), event_form(host=worker.organisation_id))
    event = present(Event.objects.filter(title="Co-design: the job club").first())
    assert response.status_code == 302 and response["Location"] == url("event", partnership, event_id=event.pk)
    assert event.host_id == worker.organisation_id and event.capacity == 15
    starts = timezone.localtime(event.starts_at, LONDON)
    assert (starts.hour, starts.minute) == (10, 0) and event.duration_minutes == 150


def test_a_partner_lead_cannot_host_an_event_for_another_organisation(
    partnership: Any, worker: Any, partner_lead: Any
) -> None:
    response = signed_in(partner_lead.user).post(url("event-new", partnership), event_form(host=worker.organisation_id))
    assert response.status_code == 200
    assert "Choose an organisation from the list." in page(response)
    assert not Event.objects.exists()


def test_a_coordinator_sets_up_an_event_for_the_whole_partnership(partnership: Any, coordinator: Any) -> None:
    response = signed_in(coordinator.user).post(url("event-new", partnership), event_form())
    assert response.status_code == 302
    assert present(Event.objects.first()).host_id is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "09:00"}, "The end time must be after the start time."),
        ({"place": "", "online_url": ""}, "Enter a place, or a link to join online."),
        ({"online_url": "javascript:alert(1)"}, "Enter a web address starting https://"),
        ({"capacity": "0"}, "Enter at least 1 place, or leave it empty for no limit."),
        ({"day": "31/02/2027"}, "Enter a real date, like 31/12/2026."),
        ({"title": ""}, "Give the event a name."),
    ],
)
def test_bad_event_input_is_explained_next_to_the_field_and_nothing_is_saved(
    partnership: Any, coordinator: Any, changes: dict[str, str], message: str
) -> None:
    response = signed_in(coordinator.user).post(url("event-new", partnership), event_form(**changes))
    assert response.status_code == 200
    text = page(response)
    assert message in text and "There is a problem" in text
    assert not Event.objects.exists()


def test_members_and_observers_cannot_set_up_events(partnership: Any, member: Any, observer: Any) -> None:
    for person in (member, observer):
        client = signed_in(person.user)
        assert client.post(url("event-new", partnership), event_form()).status_code == 404
        assert client.post(url("series-new", partnership), event_form(rule="weekly", count="3")).status_code == 404
    assert not Event.objects.exists()


def test_an_organiser_changes_an_event_but_not_below_the_places_taken(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    event = make_event(worker, capacity=5)
    services.registration_make(actor=member, event=event)
    services.registration_make(actor=coordinator, event=event)
    client = signed_in(worker.user)
    form = page(client.get(url("event-edit", partnership, event_id=event.pk)))
    assert 'value="Learning together"' in form
    changed = event_form(host=worker.organisation_id, title="Learning together (moved)", capacity="1")
    response = client.post(url("event-edit", partnership, event_id=event.pk), changed)
    assert response.status_code == 200 and "There is a problem" in page(response)
    event.refresh_from_db()
    assert event.title == "Learning together" and event.capacity == 5
    changed["capacity"] = "3"
    response = client.post(url("event-edit", partnership, event_id=event.pk), changed)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Learning together (moved)" and event.capacity == 3


def test_only_organisers_change_or_cancel_an_event(
    partnership: Any, worker: Any, partner_lead: Any, member: Any
) -> None:
    event = make_event(worker)
    for person in (partner_lead, member):
        client = signed_in(person.user)
        assert client.post(url("event-edit", partnership, event_id=event.pk), event_form()).status_code == 404
        assert client.post(url("event-cancel", partnership, event_id=event.pk), {}).status_code == 404
    event.refresh_from_db()
    assert event.title == "Learning together" and event.cancelled_at is None


def test_cancelling_an_event_asks_first_then_marks_it_cancelled(partnership: Any, worker: Any, member: Any) -> None:
    event = make_event(worker)
    services.registration_make(actor=member, event=event)
    client = signed_in(worker.user)
    confirm = page(client.get(url("event-cancel", partnership, event_id=event.pk)))
    assert "Cancel the event?" in confirm and "1 person has a place." in confirm
    response = client.post(url("event-cancel", partnership, event_id=event.pk), {"reason": "The room flooded."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None and event.cancel_reason == "The room flooded."
    text = page(signed_in(member.user).get(url("event", partnership, event_id=event.pk)))
    assert "This event is cancelled." in text and "The room flooded." in text


def test_a_series_lists_every_event_without_copying_by_hand(partnership: Any, coordinator: Any) -> None:
    # Weekly from the middle of March: the clocks go forward in between.
    first = date(timezone.localdate().year + 1, 3, 16)
    data = event_form(rule="fortnightly", count="4", title="Peer group", day=first.isoformat())
    response = signed_in(coordinator.user).post(url("series-new", partnership), data)
    assert response.status_code == 302
    events = list(Event.objects.order_by("starts_at"))
    assert [e.title for e in events] == ["Peer group"] * 4
    days = [timezone.localtime(e.starts_at, LONDON).date() for e in events]
    assert [(b - a).days for a, b in itertools.pairwise(days)] == [14, 14, 14]
    # Ten o'clock stays ten o'clock in London, whatever the clocks did in between (GMT, then BST).
    assert {timezone.localtime(e.starts_at, LONDON).hour for e in events} == {10}
    assert {e.starts_at.astimezone(ZoneInfo("UTC")).hour for e in events} == {9, 10}
    assert EventSeries.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": "", "until": ""}, "Say how many times it happens, or the last day it can happen."),
        ({"count": "3", "until": "2099-01-01"}, "Fill in how many times, or the last day, not both."),
        ({"count": "500"}, "A series has at most 52 events"),
        ({"rule": ""}, "Choose how often it happens."),
    ],
)
def test_bad_series_input_is_explained_and_nothing_is_saved(
    partnership: Any, coordinator: Any, changes: dict[str, str], message: str
) -> None:
    data = {**event_form(rule="weekly", count="3"), **changes}
    response = signed_in(coordinator.user).post(url("series-new", partnership), data)
    assert response.status_code == 200 and message in page(response)
    assert not Event.objects.exists() and not EventSeries.objects.exists()


# --- Registering, with what would help people come ------------------------------------------------------------


def test_a_member_registers_with_childcare_needs_in_one_form(partnership: Any, worker: Any, member: Any) -> None:
    event = make_event(worker)
    client = signed_in(member.user)
    form = page(client.get(url("register", partnership, event_id=event.pk)))
    assert "What would help you come?" in form and "How many children need childcare" in form
    response = client.post(
        url("register", partnership, event_id=event.pk),
        {"childcare_children": "2", "childcare_ages": "2 and 6", "travel_costs": "on", "interpreter_language": "Urdu"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("event", partnership, event_id=event.pk) + "#your-place"
    registration = Registration.objects.get(event=event, user=member.user)
    assert registration.status == "registered"
    needs = RegistrationNeeds.objects.get(registration=registration)
    assert (needs.childcare_children, needs.childcare_ages, needs.travel_costs) == (2, [2, 6], True)
    assert needs.interpreter_language == "Urdu"
    followed = page(client.get(response["Location"]))
    assert "You have a place." in followed and "I can no longer come: cancel my place" in followed


def test_registering_with_nothing_ticked_takes_one_press(partnership: Any, worker: Any, member: Any) -> None:
    event = make_event(worker)
    response = signed_in(member.user).post(url("register", partnership, event_id=event.pk), {})
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=member.user)
    assert registration.status == "registered"
    assert not RegistrationNeeds.objects.filter(registration=registration).exists()


def test_a_full_event_puts_people_on_the_waiting_list_and_says_their_number(
    partnership: Any, worker: Any, member: Any, coordinator: Any, partner_lead: Any
) -> None:
    event = make_event(worker, capacity=1)
    services.registration_make(actor=coordinator, event=event)
    services.registration_make(actor=partner_lead, event=event)
    client = signed_in(member.user)
    assert "Join the waiting list" in page(client.get(url("event", partnership, event_id=event.pk)))
    response = client.post(url("register", partnership, event_id=event.pk), {}, follow=True)
    assert "You are number 2 on the waiting list" in page(response)
    assert Registration.objects.get(event=event, user=member.user).status == "waiting"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"childcare_children": "2", "childcare_ages": "3"}, "Give one age for each child (you said 2 children)."),
        ({"childcare_ages": "two"}, "Enter the ages as numbers, for example: 2 and 6."),
        ({"childcare_ages": "4 and 19"}, "Enter ages under 18, in years."),
        ({"childcare_children": "-1"}, "Enter a number of children, like 2."),
        ({"childcare_children": "40"}, "Enter 12 children or fewer"),
    ],
)
def test_bad_needs_are_explained_and_nothing_is_saved(
    partnership: Any, worker: Any, member: Any, data: dict[str, str], message: str
) -> None:
    event = make_event(worker)
    response = signed_in(member.user).post(url("register", partnership, event_id=event.pk), data)
    assert response.status_code == 200 and message in page(response)
    assert not Registration.objects.exists()


def test_ages_alone_count_the_children(partnership: Any, worker: Any, member: Any) -> None:
    event = make_event(worker)
    signed_in(member.user).post(url("register", partnership, event_id=event.pk), {"childcare_ages": "1, 4"})
    needs = RegistrationNeeds.objects.get(registration__user=member.user)
    assert (needs.childcare_children, needs.childcare_ages) == (2, [1, 4])


def test_a_registered_person_changes_what_would_help_on_the_same_form(
    partnership: Any, worker: Any, member: Any
) -> None:
    event = make_event(worker)
    services.registration_make(
        actor=member, event=event, needs=services.NeedsData(childcare_children=1, childcare_ages=[2])
    )
    client = signed_in(member.user)
    form = page(client.get(url("register", partnership, event_id=event.pk)))
    field = present(re.search(r'<input[^>]*name="childcare_children"[^>]*>', form)).group(0)
    assert 'value="1"' in field
    response = client.post(url("register", partnership, event_id=event.pk), {"food_needs": "Halal"})
    assert response.status_code == 302
    needs = RegistrationNeeds.objects.get(registration__user=member.user)
    assert (needs.childcare_children, needs.food_needs) == (0, "Halal")
    assert Registration.objects.filter(event=event).count() == 1


def test_observers_and_people_the_event_is_not_for_cannot_register(
    partnership: Any, worker: Any, observer: Any, member: Any
) -> None:
    everyone = make_event(worker)
    staff_only = make_event(worker, audience="staff", title="Staff briefing")
    assert signed_in(observer.user).post(url("register", partnership, event_id=everyone.pk), {}).status_code == 404
    assert signed_in(member.user).post(url("register", partnership, event_id=staff_only.pk), {}).status_code == 404
    assert not Registration.objects.exists()


def test_registration_is_refused_once_the_event_has_started(partnership: Any, worker: Any, member: Any) -> None:
    event = moved_to_today(make_event(worker))
    client = signed_in(member.user)
    assert "Registration has closed: the event has started." in page(
        client.get(url("event", partnership, event_id=event.pk))
    )
    response = client.post(url("register", partnership, event_id=event.pk), {})
    assert response.status_code == 200 and "registration is closed" in page(response)
    assert not Registration.objects.exists()


def test_cancelling_a_place_is_one_button_and_the_first_waiting_gets_it(
    partnership: Any, worker: Any, member: Any, coordinator: Any, partner_lead: Any
) -> None:
    event = make_event(worker, capacity=1)
    services.registration_make(actor=member, event=event, needs=services.NeedsData(travel_costs=True))
    services.registration_make(actor=coordinator, event=event)
    services.registration_make(actor=partner_lead, event=event)
    client = signed_in(member.user)
    confirm = page(client.get(url("registration-cancel", partnership, event_id=event.pk)))
    assert "Cancel your place?" in confirm and "Yes, cancel my place" in confirm
    assert "<script" not in confirm.split("<main", 1)[1]
    response = client.post(url("registration-cancel", partnership, event_id=event.pk), follow=True)
    assert "You have cancelled your place." in page(response)
    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {member.user_id: "cancelled", coordinator.user_id: "registered", partner_lead.user_id: "waiting"}
    assert not RegistrationNeeds.objects.exists()
    # Sending the button again changes nothing more.
    again = client.post(url("registration-cancel", partnership, event_id=event.pk), follow=True)
    assert "You are not registered for this event." in page(again)
    assert Registration.objects.filter(event=event, status="registered").count() == 1


def test_leaving_the_waiting_list(partnership: Any, worker: Any, member: Any, coordinator: Any) -> None:
    event = make_event(worker, capacity=1)
    services.registration_make(actor=coordinator, event=event)
    services.registration_make(actor=member, event=event)
    client = signed_in(member.user)
    assert "Leave the waiting list?" in page(client.get(url("registration-cancel", partnership, event_id=event.pk)))
    response = client.post(url("registration-cancel", partnership, event_id=event.pk), follow=True)
    assert "You have left the waiting list." in page(response)
    assert Registration.objects.get(user=member.user).status == "cancelled"


# --- The organisers' totals ---------------------------------------------------------------------------------


def test_organisers_see_totals_to_arrange_without_names(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    event = make_event(worker)
    services.registration_make(
        actor=member,
        event=event,
        needs=services.NeedsData(
            childcare_children=2, childcare_ages=[2, 6], travel_costs=True, food_needs="Halal, please"
        ),
    )
    other = MembershipFactory(partnership=partnership, is_member=True)
    services.registration_make(
        actor=other,
        event=event,
        needs=services.NeedsData(childcare_children=1, childcare_ages=[1], interpreter_language="Polish"),
    )
    response = signed_in(coordinator.user).get(url("needs", partnership, event_id=event.pk))
    text = page(response)
    assert "Crèche:</strong> 3 children, 2 under 3; from 2 families" in text
    assert "Travel costs:</strong> 1 person" in text
    assert "Polish (1)" in text and "Halal, please" in text
    assert str(member.user) not in text and str(other.user) not in text
    assert "no-store" in response["Cache-Control"]


def test_totals_are_for_organisers_only(
    partnership: Any, worker: Any, member: Any, partner_lead: Any, observer: Any
) -> None:
    event = make_event(worker)
    for person in (member, partner_lead, observer):
        assert signed_in(person.user).get(url("needs", partnership, event_id=event.pk)).status_code == 404


# --- The attendance register --------------------------------------------------------------------------------


def _register(partnership: Any, worker: Any, member: Any) -> tuple[Event, Any]:
    event = make_event(worker)
    services.registration_make(actor=member, event=event)
    return moved_to_today(event), signed_in(worker.user)


def test_the_register_lists_registered_people_each_with_present_and_not_here(
    partnership: Any, worker: Any, member: Any
) -> None:
    event, client = _register(partnership, worker, member)
    response = client.get(url("attendance", partnership, event_id=event.pk))
    text = page(response)
    assert str(member.user) in text and "Not marked yet" in text
    assert f'id="person-{member.user_id}"' in text
    assert 'name="present" value="yes"' in text and 'name="present" value="no"' in text
    assert 'name="client_token" value="' in text and 'aria-live="polite"' in text
    assert "no-store" in response["Cache-Control"]


def test_a_tick_without_javascript_saves_and_comes_back_to_the_persons_row(
    partnership: Any, worker: Any, member: Any
) -> None:
    event, client = _register(partnership, worker, member)
    tick = {"person": member.user_id, "present": "yes", "client_token": "tick-0001-abcdef"}
    response = client.post(url("attendance", partnership, event_id=event.pk), tick)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#person-{member.user_id}")
    attendance = Attendance.objects.get(event=event, user=member.user)
    assert attendance.present and attendance.minutes == 120
    followed = page(client.get(response["Location"]))
    assert "Saved." in followed
    assert re.search(rf'id="state-{member.user_id}"[^>]*>Present<', followed)


def test_a_tick_sent_twice_changes_nothing_and_a_new_tick_is_a_value_not_a_toggle(
    partnership: Any, worker: Any, member: Any
) -> None:
    event, client = _register(partnership, worker, member)
    address = url("attendance", partnership, event_id=event.pk)
    tick = {"person": member.user_id, "present": "no", "client_token": "first-tick-123"}
    client.post(address, tick)
    first = Attendance.objects.get(event=event, user=member.user)
    assert client.post(address, tick).status_code == 302  # the same tick again (a retry)
    again = Attendance.objects.get(event=event, user=member.user)
    assert (again.pk, again.present, again.marked_at) == (first.pk, False, first.marked_at)
    # "Present" sent twice with new tokens stays "present" (a value, not a toggle).
    for token in ("second-tick-456", "third-tick-789"):
        client.post(address, {"person": member.user_id, "present": "yes", "client_token": token})
        assert Attendance.objects.get(event=event, user=member.user).present is True
    assert Attendance.objects.filter(event=event).count() == 1


def test_an_older_tick_arriving_late_does_not_undo_a_newer_one(partnership: Any, worker: Any, member: Any) -> None:
    event, client = _register(partnership, worker, member)
    address = url("attendance", partnership, event_id=event.pk)
    client.post(address, {"person": member.user_id, "present": "no", "client_token": "first-tick-123"})
    client.post(address, {"person": member.user_id, "present": "yes", "client_token": "second-tick-456"})
    client.post(address, {"person": member.user_id, "present": "no", "client_token": "first-tick-123"})
    assert Attendance.objects.get(event=event, user=member.user).present is True


def test_the_script_gets_a_json_answer(partnership: Any, worker: Any, member: Any) -> None:
    event, client = _register(partnership, worker, member)
    address = url("attendance", partnership, event_id=event.pk)
    tick = {"person": member.user_id, "present": "yes", "client_token": "a1b2c3d4e5f6"}
    response = client.post(address, tick, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {"saved": True, "person": member.user_id, "present": True}
    bad = client.post(address, {**tick, "client_token": "x"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["saved"] is False


def test_the_register_opens_on_the_day(partnership: Any, worker: Any, member: Any) -> None:
    event = make_event(worker, days=5)
    services.registration_make(actor=member, event=event)
    client = signed_in(worker.user)
    address = url("attendance", partnership, event_id=event.pk)
    assert "The register opens on the day of the event" in page(client.get(address))
    response = client.post(
        address, {"person": member.user_id, "present": "yes", "client_token": "early-tick-1"}, follow=True
    )
    assert "The register opens on the day of the event." in page(response)
    assert not Attendance.objects.exists()
    json_answer = client.post(
        address,
        {"person": member.user_id, "present": "yes", "client_token": "early-tick-2"},
        HTTP_ACCEPT="application/json",
    )
    assert json_answer.status_code == 400 and "opens on the day" in json_answer.json()["error"]


def test_only_organisers_tick_the_register(
    partnership: Any, worker: Any, member: Any, partner_lead: Any, observer: Any
) -> None:
    event, _client = _register(partnership, worker, member)
    tick = {"person": member.user_id, "present": "yes", "client_token": "sneaky-tick-1"}
    for person in (member, partner_lead, observer):
        client = signed_in(person.user)
        assert client.get(url("attendance", partnership, event_id=event.pk)).status_code == 404
        assert client.post(url("attendance", partnership, event_id=event.pk), tick).status_code == 404
    assert not Attendance.objects.exists()


def test_a_coordinator_ticks_the_register_too(partnership: Any, worker: Any, member: Any, coordinator: Any) -> None:
    event, _client = _register(partnership, worker, member)
    tick = {"person": member.user_id, "present": "yes", "client_token": "coordinator-1"}
    assert signed_in(coordinator.user).post(url("attendance", partnership, event_id=event.pk), tick).status_code == 302
    assert Attendance.objects.get(event=event).marked_by_id == coordinator.user_id


def test_a_person_outside_the_partnership_cannot_be_ticked(
    partnership: Any, worker: Any, member: Any, outsider: Any
) -> None:
    event, client = _register(partnership, worker, member)
    tick = {"person": outsider.user_id, "present": "yes", "client_token": "outsider-tick-1"}
    assert client.post(url("attendance", partnership, event_id=event.pk), tick).status_code == 404
    assert not Attendance.objects.exists()


# --- Learning hours -----------------------------------------------------------------------------------------


def _attended(partnership: Any, worker: Any, member: Any, coordinator: Any) -> Event:
    event = make_event(worker, hours=1.5)
    services.registration_make(actor=member, event=event)
    services.registration_make(actor=coordinator, event=event)
    event = moved_to_today(event)
    services.attendance_mark(actor=worker, event=event, user_id=member.user_id, present=True, client_token="h-1")
    services.attendance_mark(actor=worker, event=event, user_id=coordinator.user_id, present=True, client_token="h-2")
    return event


def test_hours_per_organisation_for_staff_with_a_csv_download(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    _attended(partnership, worker, member, coordinator)
    client = signed_in(worker.user)
    text = page(client.get(url("hours", partnership)))
    assert "Parents" in text and coordinator.organisation.name in text and "1.5" in text
    assert str(member.user) not in text
    assert 'name="by"' not in text  # per person is for coordinators
    today = timezone.localdate()
    query = {"since": (today - timedelta(days=7)).isoformat(), "until": today.isoformat(), "download": "csv"}
    download = client.get(url("hours", partnership), query)
    assert download["Content-Type"].startswith("text/csv") and "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Organisation", "Hours", "People", "Events"]
    assert sorted(row[0] for row in rows[1:]) == sorted(["Parents", coordinator.organisation.name])
    assert {row[1] for row in rows[1:]} == {"1.50"}


def test_hours_per_member_for_coordinators_over_a_period(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    _attended(partnership, worker, member, coordinator)
    client = signed_in(coordinator.user)
    today = timezone.localdate()
    query = {"since": today.isoformat(), "until": today.isoformat(), "by": "member"}
    text = page(client.get(url("hours", partnership), query))
    assert str(member.user) in text and "1.5" in text
    last_year = {"since": date(today.year - 1, 1, 1).isoformat(), "until": date(today.year - 1, 12, 31).isoformat()}
    assert "No attendance was recorded in this period." in page(client.get(url("hours", partnership), last_year))


def test_a_period_that_ends_before_it_starts_is_explained(partnership: Any, coordinator: Any) -> None:
    today = timezone.localdate()
    query = {"since": today.isoformat(), "until": (today - timedelta(days=3)).isoformat()}
    response = signed_in(coordinator.user).get(url("hours", partnership), query)
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in page(response)


def test_hours_are_for_staff(partnership: Any, member: Any, observer: Any) -> None:
    for person in (member, observer):
        assert signed_in(person.user).get(url("hours", partnership)).status_code == 404


def test_csv_cells_that_look_like_formulas_are_neutralised(partnership: Any, member: Any, coordinator: Any) -> None:
    host = staff_membership(partnership, role="worker")
    organisation = present(host.organisation)
    organisation.name = "=HYPERLINK(1)"
    organisation.save()
    event = make_event(host)
    services.registration_make(actor=coordinator, event=event)
    event = moved_to_today(event)
    services.attendance_mark(actor=host, event=event, user_id=host.user_id, present=True, client_token="f-1")
    today = timezone.localdate()
    download = signed_in(coordinator.user).get(
        url("hours", partnership), {"since": today.isoformat(), "until": today.isoformat(), "download": "csv"}
    )
    names = [row[0] for row in csv.reader(io.StringIO(download.content.decode()))][1:]
    assert names and all(not name.startswith("=") for name in names)


# --- The home page and the navigation -----------------------------------------------------------------------


def test_home_shows_your_next_event_and_the_nav_has_events(partnership: Any, worker: Any, member: Any) -> None:
    later = make_event(worker, title="Later session", days=9)
    make_event(worker, title="Sooner session", days=2)
    services.registration_make(actor=member, event=later)
    text = page(signed_in(member.user).get(reverse("partnerships:home", kwargs={"slug": partnership.slug})))
    assert re.search(r"Your next event: <a href=\"[^\"]+\">Later session</a>", text)
    assert "Sooner session" in text
    assert f'href="{url("events", partnership)}"' in text and ">Events<" in text


# --- Every POST, as every role ------------------------------------------------------------------------------

ROLES = ["member", "observer", "worker", "partner_lead", "coordinator", "outsider"]
# What each role gets when it posts a valid form to each address (the world: the worker's organisation hosts
# the event, which is for everyone; nobody is registered but the poster, where the POST needs it).
POSTS: dict[str, dict[str, int]] = {
    "event-new": {"member": 404, "observer": 404, "worker": 302, "partner_lead": 302, "coordinator": 302},
    "series-new": {"member": 404, "observer": 404, "worker": 302, "partner_lead": 302, "coordinator": 302},
    "event-edit": {"member": 404, "observer": 404, "worker": 302, "partner_lead": 404, "coordinator": 302},
    "event-cancel": {"member": 404, "observer": 404, "worker": 302, "partner_lead": 404, "coordinator": 302},
    "register": {"member": 302, "observer": 404, "worker": 302, "partner_lead": 302, "coordinator": 302},
    "registration-cancel": {"member": 302, "observer": 302, "worker": 302, "partner_lead": 302, "coordinator": 302},
    "attendance": {"member": 404, "observer": 404, "worker": 302, "partner_lead": 404, "coordinator": 302},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_every_post_as_every_role(partnership: Any, request: pytest.FixtureRequest, name: str, role: str) -> None:
    worker = request.getfixturevalue("worker")
    person = worker if role == "worker" else request.getfixturevalue(role)
    member = request.getfixturevalue("member") if role != "member" else person
    event = make_event(worker)
    if name == "attendance":
        services.registration_make(actor=member, event=event)
        event = moved_to_today(event)
    if name == "registration-cancel" and role in ("member", "worker", "partner_lead", "coordinator"):
        services.registration_make(actor=person, event=event)
    host = {"host": person.organisation_id or ""}
    data: dict[str, Any] = {
        "event-new": event_form(**host),
        "series-new": event_form(rule="weekly", count="2", **host),
        "event-edit": event_form(host=worker.organisation_id),
        "event-cancel": {"reason": ""},
        "register": {"travel_costs": "on"},
        "registration-cancel": {},
        "attendance": {"person": member.user_id, "present": "yes", "client_token": "every-role-1"},
    }[name]
    before = (Event.objects.count(), Registration.objects.count(), Attendance.objects.count())
    address = url(name, partnership) if name.endswith("-new") else url(name, partnership, event_id=event.pk)
    response = signed_in(person.user).post(address, data)
    expected = POSTS[name].get(role, 404)
    assert response.status_code == expected, f"{name} as {role}"
    if expected == 404:
        assert (Event.objects.count(), Registration.objects.count(), Attendance.objects.count()) == before
