"""Events: setting one up, changing it, cancelling it."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.links import link_target
from coproduce.core.permissions import require_rule
from coproduce.learning.models import (
    LONGEST_EVENT_MINUTES,
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Audience,
    Event,
    EventKind,
    Registration,
)
from coproduce.learning.services._common import audit, event_url, organised_for_update
from coproduce.partnerships.models import Membership, Organisation

MOST_PLACES = 10_000


@dataclass
class EventDetails:
    """What an event is, apart from when: shared by one event and by the events of a series."""

    kind: str
    title: str
    purpose: str = ""
    audience: str = Audience.EVERYONE
    place: str = ""
    access_info: str = ""
    online_url: str = ""
    capacity: int | None = None
    host: Organisation | None = None
    paid_time: bool = False


@dataclass
class EventFields(EventDetails):
    starts_at: datetime | None = None
    ends_at: datetime | None = None


DETAIL_NAMES = [f.name for f in dataclass_fields(EventDetails)]
EVENT_NAMES = [f.name for f in dataclass_fields(EventFields)]


def clean_details(actor: Membership, details: EventDetails) -> EventDetails:
    """``details`` checked and tidied; ``ServiceError`` naming the field otherwise."""
    if details.kind not in EventKind.values:
        raise ServiceError(_("Choose what kind of event it is."), field="kind")
    details.title = text_checked(
        details.title, field="title", max_length=TITLE_MAX, required=_("Give the event a name.")
    )
    details.purpose = text_checked(details.purpose, field="purpose", max_length=TEXT_MAX)
    if details.audience not in Audience.values:
        raise ServiceError(_("Choose who the event is for."), field="audience")
    details.place = text_checked(details.place, field="place", max_length=SHORT_MAX)
    details.access_info = text_checked(details.access_info, field="access_info", max_length=TEXT_MAX)
    details.online_url = (details.online_url or "").strip()
    if details.online_url and not link_target(details.online_url, same_site=False):
        raise ServiceError(_("Enter the link to join as a web address starting https://"), field="online_url")
    if not details.place and not details.online_url:
        raise ServiceError(_("Say where the event is, or give the link to join online."), field="place")
    if details.capacity is not None and not 1 <= details.capacity <= MOST_PLACES:
        raise ServiceError(
            _("Enter a number of places from 1 to %(most)d, or leave it empty for no limit.") % {"most": MOST_PLACES},
            field="capacity",
        )
    host = details.host
    if host is not None:
        if host.partnership_id != actor.partnership_id:
            raise NotPermitted()
        if host.is_retired:
            raise ServiceError(_("This organisation has retired; choose another."), field="host")
    if not actor.is_coordinator and (host is None or host.pk != actor.organisation_id):
        # Staff set up events for their own organisation; coordinators for any (or for the partnership).
        raise ServiceError(_("You can set up events hosted by your own organisation."), field="host")
    return details


def clean_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None:
        raise ServiceError(_("Enter when the event starts."), field="starts_at")
    if ends_at is None:
        raise ServiceError(_("Enter when the event ends."), field="ends_at")
    if ends_at <= starts_at:
        raise ServiceError(_("The event must end after it starts."), field="ends_at")
    if (ends_at - starts_at).total_seconds() > LONGEST_EVENT_MINUTES * 60:
        raise ServiceError(
            _("An event can last at most a day. Make a series for events on several days."), field="ends_at"
        )


def event_create(*, actor: Membership, fields: EventFields) -> Event:
    """Set up an event. Staff set up events their own organisation hosts; coordinators any."""
    require_rule("learning.create_event", actor)
    clean_details(actor, fields)
    clean_times(fields.starts_at, fields.ends_at)
    with transaction.atomic(durable=True):
        event = Event.objects.create(
            partnership_id=actor.partnership_id,
            created_by=actor.user,
            **{name: getattr(fields, name) for name in EVENT_NAMES},
        )
        audit(actor, "event_created", event)
    return event


def registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()


def places_fill(event: Event, *, now: datetime | None = None) -> list[Registration]:
    """Give free places to the people first on the waiting list, in the order they came (the event locked by the
    caller); each is told. Returns those given a place."""
    now = now or timezone.now()
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - registered_count(event)
        if free <= 0:
            return []
    waiting = Registration.objects.select_for_update().filter(event=event, status=Registration.Status.WAITING)
    chosen = list(waiting.order_by("position") if free is None else waiting.order_by("position")[:free])
    if not chosen:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in chosen]).update(
        status=Registration.Status.REGISTERED, promoted_at=now
    )
    from coproduce.notifications.api import notify

    local = timezone.localtime(event.starts_at)
    notify(
        partnership_id=event.partnership_id,
        user_ids=[r.user_id for r in chosen if r.user_id is not None],
        kind="learning.place_offered",
        text=_("A place came free: you now have a place at “%(title)s” on %(day)s at %(time)s.")
        % {"title": event.title, "day": f"{local:%A} {local.day} {local:%B}", "time": f"{local:%H:%M}"},
        url=event_url(event),
        subject_key=f"learning.event:{event.pk}",
        now=now,
    )
    for registration in chosen:
        registration.status = Registration.Status.REGISTERED
        registration.promoted_at = now
    return chosen


def event_update(*, actor: Membership, event: Event, fields: EventFields) -> Event:
    """Change an event (its organisers). Places cannot go below the people already registered; more places go
    to the waiting list in order. The audit event names the fields that changed."""
    same_partnership(actor, event)
    require_rule("learning.organise", actor, event)
    clean_details(actor, fields)
    clean_times(fields.starts_at, fields.ends_at)
    with transaction.atomic(durable=True):
        locked = organised_for_update(actor, event)
        if locked.is_cancelled:
            raise ServiceError(_("This event is cancelled; it can no longer be changed."), code="cancelled")
        taken = registered_count(locked)
        if fields.capacity is not None and fields.capacity < taken:
            raise ServiceError(
                ngettext(
                    "%(taken)d person already has a place. Enter at least %(taken)d place.",
                    "%(taken)d people already have a place. Enter at least %(taken)d places.",
                    taken,
                )
                % {"taken": taken},
                field="capacity",
            )
        changed = [name for name in EVENT_NAMES if getattr(locked, name) != getattr(fields, name)]
        for name in EVENT_NAMES:
            setattr(locked, name, getattr(fields, name))
        locked.updated_at = timezone.now()
        locked.save()
        if "capacity" in changed:
            places_fill(locked)
        audit(actor, "event_changed", locked, changed=", ".join(changed))
    return locked


def event_cancel(*, actor: Membership, event: Event, reason: str = "") -> Event:
    """Cancel an event (its organisers); everyone registered or waiting is told."""
    reason = text_checked(reason, field="reason", max_length=SHORT_MAX)
    with transaction.atomic(durable=True):
        locked = organised_for_update(actor, event)
        if locked.is_cancelled:
            return locked
        if locked.ends_at <= timezone.now():
            raise ServiceError(_("This event has already happened."), code="past")
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked.save(update_fields=["cancelled_at", "cancel_reason"])
        told = list(
            Registration.objects.filter(event=locked, user__isnull=False)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("user_id", flat=True)
        )
        from coproduce.notifications.api import notify

        text = _("“%(title)s” is cancelled.") % {"title": locked.title}
        if reason:
            text = f"{text} {reason}"
        notify(
            partnership_id=locked.partnership_id,
            user_ids=told,
            kind="learning.event_cancelled",
            text=text,
            url=event_url(locked),
            subject_key=f"learning.event:{locked.pk}",
        )
        audit(actor, "event_cancelled", locked)
    return locked
