"""What leaving and erasure do to learning together (registered in ``apps.py``; see
``partnerships.personal_data`` and ADR 24).

Places at events still to come are given up (the first on each waiting list gets the place and is told), and
what she said would help her come is deleted. Past registrations and attendance still count (how many came, the
hours of learning time of her organisation or of "Parents"), no longer linked to her."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.learning.models import Attendance, Event, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate


def _registrations(m: Membership) -> QuerySet[Registration]:
    return Registration.objects.filter(user_id=m.user_id, event__partnership_id=m.partnership_id)


def _upcoming(m: Membership) -> QuerySet[Registration]:
    return _registrations(m).filter(event__starts_at__gt=timezone.now()).exclude(status=Registration.Status.CANCELLED)


def _needs(m: Membership) -> QuerySet[RegistrationNeeds]:
    return RegistrationNeeds.objects.filter(
        registration__user_id=m.user_id, registration__event__partnership_id=m.partnership_id
    )


def _attendance(m: Membership) -> QuerySet[Attendance]:
    return Attendance.objects.filter(user_id=m.user_id, event__partnership_id=m.partnership_id)


def _lines(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your places at events still to come, and on waiting lists"),
            Fate.DELETE,
            _("They are given up, so the next person on the waiting list gets the place."),
            _upcoming(m).count(),
        ),
        Disposal(
            _("What you said would help you come (childcare, travel, access, interpreter, food)"),
            Fate.DELETE,
            _("It is deleted."),
            _needs(m).count(),
        ),
        Disposal(
            _("Your past registrations and the sessions you were marked at"),
            Fate.ANONYMISE,
            _(
                "They still count in how many people came and in the hours of learning time, but no longer say they "
                "were yours."
            ),
            _registrations(m).count() - _upcoming(m).count() + _attendance(m).count(),
        ),
    ]


def _go(m: Membership) -> None:
    from coproduce.learning.services import places_fill

    now = timezone.now()
    _needs(m).delete()
    upcoming = list(_upcoming(m).values_list("pk", "event_id", "status"))
    for event in Event.objects.select_for_update().filter(pk__in={event_id for _pk, event_id, _s in upcoming}):
        Registration.objects.filter(pk__in=[pk for pk, event_id, _s in upcoming if event_id == event.pk]).update(
            status=Registration.Status.CANCELLED, cancelled_at=now
        )
        if not event.is_cancelled:
            places_fill(event, now=now)
    _registrations(m).update(user=None)
    _attendance(m).update(user=None)


DEPARTURE = Departure(key="learning", erasure=_lines, erase=_go, leaving=_lines, leave=_go, order=45)
