"""Registering for an event with what would help a person come, the waiting list, cancelling."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import same_partnership, text_checked
from coproduce.core.permissions import require_rule
from coproduce.learning.models import MOST_CHILDREN, SHORT_MAX, Event, Registration, RegistrationNeeds
from coproduce.learning.services._common import audit
from coproduce.learning.services.events import places_fill, registered_count
from coproduce.partnerships.models import Membership

OLDEST_CHILD = 17


@dataclass
class NeedsData:
    """What would help a person come. Everything is optional."""

    childcare_children: int = 0
    childcare_ages: list[int] = field(default_factory=list)
    travel_costs: bool = False
    access_needs: str = ""
    interpreter_language: str = ""
    food_needs: str = ""


NEEDS_NAMES = [
    "childcare_children",
    "childcare_ages",
    "travel_costs",
    "access_needs",
    "interpreter_language",
    "food_needs",
]


def clean_needs(needs: NeedsData) -> NeedsData:
    if not 0 <= needs.childcare_children <= MOST_CHILDREN:
        raise ServiceError(
            _("Enter how many children need childcare, from 0 to %(most)d.") % {"most": MOST_CHILDREN},
            field="childcare_children",
        )
    ages = list(needs.childcare_ages or [])
    if any(not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= OLDEST_CHILD for age in ages):
        raise ServiceError(
            _("Enter each child's age in years, from 0 (a baby) to %(oldest)d.") % {"oldest": OLDEST_CHILD},
            field="childcare_ages",
        )
    if len(ages) > needs.childcare_children:
        raise ServiceError(_("You gave more ages than children."), field="childcare_ages")
    needs.childcare_ages = sorted(ages)
    needs.access_needs = text_checked(needs.access_needs, field="access_needs", max_length=1000)
    needs.interpreter_language = text_checked(needs.interpreter_language, field="interpreter_language", max_length=60)
    needs.food_needs = text_checked(needs.food_needs, field="food_needs", max_length=SHORT_MAX)
    needs.travel_costs = bool(needs.travel_costs)
    return needs


def _has_any(needs: NeedsData) -> bool:
    return bool(
        needs.childcare_children
        or needs.travel_costs
        or needs.access_needs
        or needs.interpreter_language
        or needs.food_needs
    )


def registration_make(*, actor: Membership, event: Event, needs: NeedsData | None = None) -> Registration:
    """Register ``actor`` for ``event``: a place while there are places, else the waiting list, in the order people
    came. Refused once the event has started, when it is cancelled, or when she is already registered or waiting.
    The event's row is locked while places are counted, so two people never take the last place."""
    same_partnership(actor, event)
    require_rule("learning.see_event", actor, event)
    if not (actor.is_member or actor.is_staff_role):
        raise ServiceError(_("Observers can see events but not register for them."), code="observer")
    require_rule("learning.register", actor, event)
    cleaned = clean_needs(needs) if needs is not None else None
    with transaction.atomic(durable=True):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        now = timezone.now()
        if locked.is_cancelled:
            raise ServiceError(_("This event is cancelled."), code="cancelled")
        if locked.starts_at <= now:
            raise ServiceError(_("This event has started, so registration is closed."), code="started")
        if (
            Registration.objects.filter(event=locked, user_id=actor.user_id)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise ServiceError(_("You are already registered for this event."), code="already")
        full = locked.capacity is not None and registered_count(locked) >= locked.capacity
        last = Registration.objects.filter(event=locked).aggregate(last=Max("position"))["last"] or 0
        registration = Registration.objects.create(
            event=locked,
            user_id=actor.user_id,
            status=Registration.Status.WAITING if full else Registration.Status.REGISTERED,
            position=last + 1,
            registered_at=now,
            is_member=actor.is_member,
            is_staff=actor.is_staff_role,
        )
        if cleaned is not None and _has_any(cleaned):
            RegistrationNeeds.objects.create(
                registration=registration, updated_at=now, **{n: getattr(cleaned, n) for n in NEEDS_NAMES}
            )
        audit(actor, "waiting_list_joined" if full else "registered", locked)
    return registration


def own_registration(actor: Membership, registration: Registration) -> None:
    """``NotPermitted`` (a 404) unless ``registration`` is the actor's own, in her partnership."""
    if registration is None or registration.user_id != actor.user_id:
        raise NotPermitted()
    same_partnership(actor, registration.event)


def registration_cancel(*, actor: Membership, registration: Registration) -> Registration:
    """Cancel one's own registration (someone else's: 404). The place goes to the first on the waiting list,
    who is told. What she said would help her come is deleted with it. Cancelling twice does nothing more."""
    own_registration(actor, registration)
    with transaction.atomic(durable=True):
        locked_event = Event.objects.select_for_update().get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            return locked
        now = timezone.now()
        if locked_event.starts_at <= now:
            raise ServiceError(_("This event has started; it is too late to cancel."), code="started")
        had_place = locked.status == Registration.Status.REGISTERED
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        RegistrationNeeds.objects.filter(registration=locked).delete()
        if had_place and not locked_event.is_cancelled:
            places_fill(locked_event, now=now)
        audit(actor, "registration_cancelled", locked_event)
    return locked


def needs_update(*, actor: Membership, registration: Registration, needs: NeedsData | None) -> RegistrationNeeds | None:
    """Change what would help her come (her own registration, before the event); ``None`` or nothing ticked
    removes her answers."""
    own_registration(actor, registration)
    cleaned = clean_needs(needs) if needs is not None else None
    with transaction.atomic(durable=True):
        locked = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            raise ServiceError(_("This registration is cancelled."), code="cancelled")
        if locked.event.starts_at <= timezone.now():
            raise ServiceError(_("This event has started."), code="started")
        if cleaned is None or not _has_any(cleaned):
            RegistrationNeeds.objects.filter(registration=locked).delete()
            audit(actor, "needs_changed", locked.event)
            return None
        found, _created = RegistrationNeeds.objects.update_or_create(
            registration=locked,
            defaults={**{n: getattr(cleaned, n) for n in NEEDS_NAMES}, "updated_at": timezone.now()},
        )
        audit(actor, "needs_changed", locked.event)
    return found
