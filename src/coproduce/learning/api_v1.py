"""Events in the public API: upcoming and past events, one event with your place, registering (with what would
help you come) and cancelling.

The same selectors and services as the events' pages: a person sees the events meant for her (organisers see
every event they organise; anything else is a 404); members and staff register for the events meant for them,
a place while there are places, else the waiting list (the service locks the event, so its places are never
exceeded). What would help her come is checked by the registration page's own form, and is seen only by her
and the organisers. The link to join online is given to people with a place, as on the page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field, StrictBool, StrictInt, StrictStr

from coproduce.api.framework import Input, PageQuery, ProblemError, actor, may, page_of, paginate, router, writer
from coproduce.core.exceptions import NotPermitted
from coproduce.learning import selectors, services
from coproduce.learning.forms import RegistrationForm
from coproduce.learning.models import MOST_CHILDREN, Event, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership

r = router("learning")

EVENTS = "/partnerships/{slug}/events"
EVENT = EVENTS + "/{event_id}"
WINDOW = timedelta(days=366)  # the events page lists a year ahead, or a year back


class EventOut(Schema):
    """An event as the events page lists it."""

    id: int
    title: str
    kind: str  # learning, codesign, peer, board or dropin
    audience: str  # everyone, members or staff
    starts_at: datetime
    ends_at: datetime
    place: str
    online: bool  # it can be joined online (the link is given to people with a place)
    host: str | None  # the organisation's name
    paid_time: bool  # parents are paid for their time
    capacity: int | None  # None: no limit
    registered_count: int
    waiting_count: int
    places_left: int | None
    cancelled: bool
    your_status: str | None  # registered, waiting, or None


class NeedsOut(Schema):
    childcare_children: int
    childcare_ages: list[int]
    travel_costs: bool
    access_needs: str
    interpreter_language: str
    food_needs: str


class RegistrationOut(Schema):
    status: str  # registered or waiting
    waiting_place: int | None  # 1 for the next to get a place; None with a place
    needs: NeedsOut | None


class EventDetailOut(EventOut):
    purpose: str
    access_info: str
    online_url: str | None  # for people with a place
    cancel_reason: str
    started: bool
    you_may_register: bool
    your_registration: RegistrationOut | None


class RegistrationIn(Input):
    """What would help you come: everything is optional (send ``{}`` to ask for nothing). Ages in whole years,
    one a child (0 for under one)."""

    childcare_children: StrictInt | None = Field(None, ge=0, le=MOST_CHILDREN)
    childcare_ages: list[StrictInt] = Field(default_factory=list, max_length=MOST_CHILDREN)
    travel_costs: StrictBool = False
    access_needs: StrictStr = ""
    interpreter_language: StrictStr = ""
    food_needs: StrictStr = ""


def _event(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "audience": event.audience,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "online": bool(event.online_url),
        "host": event.host.name if event.host is not None else None,
        "paid_time": event.paid_time,
        "capacity": event.capacity,
        "registered_count": getattr(event, "registered_count", 0) or 0,
        "waiting_count": getattr(event, "waiting_count", 0) or 0,
        "places_left": getattr(event, "places_left", None),
        "cancelled": event.is_cancelled,
        "your_status": getattr(event, "my_status", None),
    }


def _needs(needs: RegistrationNeeds | None) -> dict[str, Any] | None:
    if needs is None:
        return None
    return {
        "childcare_children": needs.childcare_children,
        "childcare_ages": list(needs.childcare_ages or []),
        "travel_costs": needs.travel_costs,
        "access_needs": needs.access_needs,
        "interpreter_language": needs.interpreter_language,
        "food_needs": needs.food_needs,
    }


def _registration(person: Membership, registration: Registration | None) -> dict[str, Any] | None:
    if registration is None:
        return None
    waiting = registration.status == Registration.Status.WAITING
    return {
        "status": registration.status,
        "waiting_place": selectors.waiting_place(registration) if waiting else None,
        "needs": _needs(selectors.needs_of(person, registration)),
    }


@r.get(EVENTS, response=page_of(EventOut))
def list_events(
    request: HttpRequest, slug: str, page: Query[PageQuery], when: Literal["upcoming", "past"] = "upcoming"
) -> Any:
    """The events meant for you: the coming year's, soonest first, or with ``when=past`` the past year's, the
    latest first (as the events page lists them)."""
    person = actor(request, slug)
    now = timezone.now()
    if when == "past":
        return paginate(
            request,
            selectors.events_visible_to(person, since=now - WINDOW, until=now),
            schema_fn=_event,
            order="-starts_at",
        )
    return paginate(
        request, selectors.events_visible_to(person, since=now, until=now + WINDOW), schema_fn=_event, order="starts_at"
    )


def _detail(person: Membership, event: Event) -> dict[str, Any]:
    registration = selectors.registration_of(person, event)
    has_place = registration is not None and registration.status == Registration.Status.REGISTERED
    return {
        **_event(event),
        "purpose": event.purpose,
        "access_info": event.access_info,
        "online_url": event.online_url if has_place and event.online_url else None,
        "cancel_reason": event.cancel_reason,
        "started": event.starts_at <= timezone.now(),
        "you_may_register": may("learning.register", person, event),
        "your_registration": _registration(person, registration),
    }


@r.get(EVENT, response=EventDetailOut)
def get_event(request: HttpRequest, slug: str, event_id: int) -> Any:
    """One event: when and where, its places and waiting list, and your place with what you said would help
    you come."""
    person = actor(request, slug)
    return _detail(person, selectors.event_for(person, event_id))


def _checked_needs(payload: RegistrationIn) -> services.NeedsData | None:
    """What would help her come, as the registration page's form cleans it; 400 naming each field it rejects."""
    ages = payload.childcare_ages
    form = RegistrationForm(
        {
            "childcare_children": "" if payload.childcare_children is None else str(payload.childcare_children),
            "childcare_ages": ", ".join(str(age) for age in ages),
            "travel_costs": "on" if payload.travel_costs else "",
            "access_needs": payload.access_needs,
            "interpreter_language": payload.interpreter_language,
            "food_needs": payload.food_needs,
        }
    )
    if not form.is_valid():
        errors = [(name, str(message)) for name, messages in form.errors.items() for message in messages]
        raise ProblemError(400, _("What would help you come is not valid."), errors=errors)
    answers = form.needs()
    return None if answers is None else services.NeedsData(**answers)


@r.post(EVENT + "/registration", response={200: RegistrationOut, 201: RegistrationOut})
def register(request: HttpRequest, slug: str, event_id: int, payload: RegistrationIn) -> Any:
    """Register for an event meant for you: a place while there are places, else the waiting list (201). When
    you are already registered, this changes what would help you come (200)."""
    person = writer(request, slug)
    event = selectors.event_for(person, event_id)
    if not may("learning.register", person, event):
        raise NotPermitted()
    needs = _checked_needs(payload)
    registration = selectors.registration_of(person, event)
    if registration is None:
        registration = services.registration_make(actor=person, event=event, needs=needs)
        return Status(201, _registration(person, registration))
    services.needs_update(actor=person, registration=registration, needs=needs)
    return Status(200, _registration(person, selectors.registration_of(person, event)))


@r.delete(EVENT + "/registration", response={204: None})
def cancel_registration(request: HttpRequest, slug: str, event_id: int) -> Any:
    """Cancel your place, or leave the waiting list (the place goes to the first person waiting, who is told).
    404 when you are not registered."""
    person = writer(request, slug)
    event = selectors.event_for(person, event_id)
    registration = selectors.registration_of(person, event)
    if registration is None:
        raise NotPermitted()
    services.registration_cancel(actor=person, registration=registration)
    return Status(204, None)
