"""Learning together in the browser. Aisha registers for a session on her phone with what would help her come
(two children for the crèche, bus fare), with JavaScript off and on, and cancels in one step. An organiser sees
the totals to arrange, and ticks the attendance register while the connection drops: the ticks wait in the
browser, are sent when it comes back, and none is lost. Every page state is checked with axe-core (WCAG 2.2 AA)
at the phone and desktop sizes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from coproduce.learning import services
from coproduce.learning.models import Attendance, Event, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership
from tests.browser.conftest import PageFactory
from tests.browser.support import assert_accessible, sign_in_session, watched
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser


def learning_url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"learning:{name}", kwargs={"slug": partnership.slug, **kwargs})


def named(membership: Membership, name: str) -> Membership:
    membership.user.display_name = name
    membership.user.save()
    return membership


def an_event(host: Membership, *, days: float = 4, **overrides: Any) -> Event:
    starts = timezone.now() + timedelta(days=days)
    values: dict[str, Any] = {
        "kind": "codesign",
        "title": "Co-design: the job club",
        "purpose": "Redesign the job club with the parents who use it.",
        "place": "Riverside Family Centre, Room 2",
        "access_info": "Step-free entrance. Bus 12 stops outside.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": 8,
        "host": host.organisation,
        "paid_time": True,
    }
    values.update(overrides)
    return services.event_create(actor=host, fields=services.EventFields(**values))


def forget_expected_send_failures(page: Page, attendance_url: str, *, required: bool = True) -> None:
    """Chromium logs each tick the script could not send (offline, or the request cut off): expected here, and
    what the test is about. Those are forgotten, now and for the rest of the test (a tick retried while offline
    may log its failure at any moment later); any other error still fails the test."""
    page_watch = watched(page)

    def is_a_send_failure(problem: str) -> bool:
        return attendance_url in problem and (
            "net::ERR_INTERNET_DISCONNECTED" in problem or "net::ERR_FAILED" in problem
        )

    page_watch.expected_seen.extend(p for p in page_watch.problems if is_a_send_failure(p))
    page_watch.problems[:] = [p for p in page_watch.problems if not is_a_send_failure(p)]
    page_watch.expected.append(is_a_send_failure)
    assert page_watch.expected_seen or not required, "the ticks were expected to fail to send"


def tick(page: Page, label: str) -> None:
    """Tick a checkbox as a person does: click its label (the design system draws over the input)."""
    box = page.get_by_role("checkbox", name=label)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_aisha_registers_with_childcare_needs_on_her_phone_and_cancels(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any, javascript: bool
) -> None:
    aisha = named(member, "Aisha")
    event = an_event(worker)
    page = new_page("phone", javascript=javascript)
    sign_in_session(page, aisha.user)

    page.goto(reverse("partnerships:home", kwargs={"slug": partnership.slug}))
    page.get_by_role("link", name="Co-design: the job club").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-design: the job club")
    expect(page.get_by_text("8 places left")).to_be_visible()
    expect(page.get_by_text("Paid time: parents are paid for their time")).to_be_visible()
    assert_accessible(page, "the event page, before registering")

    page.get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register")
    register_button = page.get_by_role("button", name="Register")
    expect(register_button).to_be_visible()
    page.get_by_label("Their ages").fill("2 and seven")
    register_button.click()
    expect(page.locator(".ds_error-summary")).to_contain_text("Enter the ages as numbers, for example: 2 and 6.")
    assert_accessible(page, "the registration form, with a mistake")
    page.get_by_label("How many children need childcare").fill("2")
    page.get_by_label("Their ages").fill("2 and 6")
    tick(page, "I need my travel costs paid (bus fare, petrol)")
    assert_accessible(page, "the registration form, filled in")
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text("You have a place.").first).to_be_visible()
    assert_accessible(page, "the event page, with a place")
    registration = Registration.objects.get(event=event, user=aisha.user)
    needs = RegistrationNeeds.objects.get(registration=registration)
    assert (registration.status, needs.childcare_children, needs.childcare_ages, needs.travel_costs) == (
        "registered",
        2,
        [2, 6],
        True,
    )

    page.get_by_role("link", name="I can no longer come: cancel my place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place?")
    assert_accessible(page, "cancelling a place")
    page.get_by_role("button", name="Yes, cancel my place").click()
    expect(page.get_by_text("You have cancelled your place.")).to_be_visible()
    expect(page.get_by_role("link", name="Register")).to_be_visible()
    assert_accessible(page, "the event page, after cancelling")
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert not RegistrationNeeds.objects.filter(registration=registration).exists()


def test_a_full_event_offers_the_waiting_list_and_says_her_number(
    new_page: PageFactory, partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    event = an_event(worker, capacity=1)
    services.registration_make(actor=coordinator, event=event)
    page = new_page("phone")
    sign_in_session(page, named(member, "Aisha").user)
    page.goto(learning_url("event", partnership, event_id=event.pk))
    page.get_by_role("link", name="Join the waiting list").click()
    expect(page.get_by_text("The event is full.")).to_be_visible()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are number 1 on the waiting list").first).to_be_visible()
    assert_accessible(page, "the event page, on the waiting list")


def _registered_people(partnership: Any, event: Event, names: list[str]) -> list[Membership]:
    people = []
    for i, name in enumerate(names):
        person = named(MembershipFactory(partnership=partnership, is_member=True), name)
        needs = services.NeedsData(childcare_children=1, childcare_ages=[i + 1]) if i < 2 else None
        services.registration_make(actor=person, event=event, needs=needs)
        people.append(person)
    return people


def _today(event: Event) -> Event:
    starts = timezone.now() - timedelta(minutes=30)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=2))
    event.refresh_from_db()
    return event


def test_an_organiser_sees_the_totals_and_ticks_the_register_while_the_connection_drops(
    new_page: PageFactory, partnership: Any, worker: Any
) -> None:
    event = an_event(named(worker, "Jamie"))
    aisha, bea, cal = _registered_people(partnership, event, ["Aisha", "Bea", "Cal"])
    page = new_page("phone")
    sign_in_session(page, worker.user)

    page.goto(learning_url("event", partnership, event_id=event.pk))
    expect(page.get_by_role("heading", name="Who has a place")).to_be_visible()
    assert_accessible(page, "the event page, for its organiser")
    page.get_by_role("link", name="What people need to come").click()
    expect(page.get_by_text("Crèche: 2 children, 2 under 3")).to_be_visible()
    expect(page.get_by_text("Aisha")).to_have_count(0)
    assert_accessible(page, "the totals to arrange")

    _today(event)
    page.goto(learning_url("attendance", partnership, event_id=event.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance register")
    assert_accessible(page, "the register, nobody ticked")

    def row(person: Membership) -> Any:
        return page.locator(f"#person-{person.user_id}")

    # A slow connection: each tick takes a second and a half to reach the server.
    def slow(route: Route) -> None:
        page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/attendance/", slow)
    row(aisha).get_by_role("button", name="Present").click()
    expect(row(aisha).locator("[data-state]")).to_have_text("Present: Waiting to save")
    expect(row(aisha).locator("[data-state]")).to_have_text("Present: Saved", timeout=10_000)
    page.unroute("**/attendance/")

    # Offline: the ticks wait in the browser.
    page.context.set_offline(True)
    row(bea).get_by_role("button", name="Present").click()
    row(cal).get_by_role("button", name="Not here").click()
    expect(row(bea).locator("[data-state]")).to_have_text("Present: Waiting to save")
    expect(row(cal).locator("[data-state]")).to_have_text("Not here: Waiting to save")
    expect(page.get_by_text("2 ticks waiting to save")).to_be_visible()
    forget_expected_send_failures(page, learning_url("attendance", partnership, event_id=event.pk))
    page.wait_for_timeout(500)  # the pressed button's colours change with a transition: let it finish
    assert_accessible(page, "the register, offline with two ticks waiting", both_sizes=False)
    assert set(Attendance.objects.values_list("user_id", "present")) == {(aisha.user_id, True)}

    # Back online: they are sent, and none is lost.
    page.context.set_offline(False)
    expect(row(bea).locator("[data-state]")).to_have_text("Present: Saved", timeout=15_000)
    expect(row(cal).locator("[data-state]")).to_have_text("Not here: Saved", timeout=15_000)
    expect(page.locator("[data-cp-register-summary]")).to_be_hidden()
    assert set(Attendance.objects.values_list("user_id", "present")) == {
        (aisha.user_id, True),
        (bea.user_id, True),
        (cal.user_id, False),
    }
    assert page.evaluate("() => Object.keys(window.localStorage).length") == 0
    page.wait_for_timeout(500)
    # A tick retried while still offline may log its failure after the first were forgotten: forget those too.
    forget_expected_send_failures(page, learning_url("attendance", partnership, event_id=event.pk), required=False)
    assert_accessible(page, "the register, all saved")


def test_a_tick_kept_in_the_browser_is_sent_when_the_register_is_opened_again(
    new_page: PageFactory, partnership: Any, worker: Any
) -> None:
    event = an_event(worker)
    (aisha,) = _registered_people(partnership, event, ["Aisha"])
    event = _today(event)
    page = new_page("phone")
    sign_in_session(page, worker.user)
    page.goto(learning_url("attendance", partnership, event_id=event.pk))
    # The server cannot be reached for ticks (the connection drops as the page is closed).
    page.route("**/attendance/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.locator(f"#person-{aisha.user_id}").get_by_role("button", name="Present").click()
    expect(page.locator(f"#state-{aisha.user_id}")).to_have_text("Present: Waiting to save")
    assert not Attendance.objects.exists()

    forget_expected_send_failures(page, learning_url("attendance", partnership, event_id=event.pk))
    again = page.context.new_page()
    page.close()
    again.goto(learning_url("attendance", partnership, event_id=event.pk))
    expect(again.locator(f"#state-{aisha.user_id}")).to_have_text("Present: Saved", timeout=15_000)
    assert list(Attendance.objects.values_list("user_id", "present")) == [(aisha.user_id, True)]


def test_an_organiser_ticks_the_register_without_javascript(
    new_page: PageFactory, partnership: Any, worker: Any
) -> None:
    event = an_event(worker)
    aisha, bea = _registered_people(partnership, event, ["Aisha", "Bea"])
    event = _today(event)
    page = new_page("phone", javascript=False)
    sign_in_session(page, worker.user)
    page.goto(learning_url("attendance", partnership, event_id=event.pk))
    page.locator(f"#person-{aisha.user_id}").get_by_role("button", name="Present").click()
    expect(page.get_by_text("Saved. Present.")).to_be_visible()
    expect(page.locator(f"#state-{aisha.user_id}")).to_have_text("Present")
    page.locator(f"#person-{bea.user_id}").get_by_role("button", name="Not here").click()
    expect(page.locator(f"#state-{bea.user_id}")).to_have_text("Not here")
    assert_accessible(page, "the register without JavaScript, two ticked")
    assert set(Attendance.objects.values_list("user_id", "present")) == {(aisha.user_id, True), (bea.user_id, False)}


def test_the_organisers_pages_pass_axe(new_page: PageFactory, partnership: Any, worker: Any, coordinator: Any) -> None:
    event = an_event(named(worker, "Jamie"))
    (aisha,) = _registered_people(partnership, event, ["Aisha"])
    past = an_event(worker, title="Today's learning session")
    services.registration_make(actor=aisha, event=past)
    past = _today(past)
    services.registration_make(actor=coordinator, event=an_event(worker, title="Spare"))
    services.attendance_mark(actor=worker, event=past, user_id=aisha.user_id, present=True, client_token="axe-1")
    page = new_page("desktop")
    sign_in_session(page, coordinator.user)

    page.goto(learning_url("events", partnership))
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    assert_accessible(page, "the events list")
    page.goto(learning_url("events", partnership) + "?when=past")
    assert_accessible(page, "past events")

    page.goto(learning_url("events", partnership))
    page.get_by_role("link", name="Set up an event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an event")
    assert_accessible(page, "setting up an event")
    page.get_by_role("button", name="List the event").click()
    expect(page.locator(".ds_error-summary")).to_be_visible()
    assert_accessible(page, "setting up an event, with mistakes")

    page.goto(learning_url("series-new", partnership))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up events that repeat")
    assert_accessible(page, "setting up a series")

    page.goto(learning_url("event-edit", partnership, event_id=event.pk))
    assert_accessible(page, "changing an event")
    page.goto(learning_url("event-cancel", partnership, event_id=event.pk))
    assert_accessible(page, "cancelling an event")

    page.goto(learning_url("hours", partnership))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hours of learning time")
    expect(page.get_by_role("cell", name="Parents")).to_be_visible()
    assert_accessible(page, "learning hours by organisation")
    page.goto(learning_url("hours", partnership) + "?since=2020-01-01&until=2020-12-31&by=member")
    expect(page.get_by_text("No attendance was recorded in this period.")).to_be_visible()
    assert_accessible(page, "learning hours, an empty period")
