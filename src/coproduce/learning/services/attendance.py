"""The attendance register: ticking who came, on the day or after."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.learning.models import Attendance, AttendanceTick, Event, Registration
from coproduce.learning.services._common import audit, organised_for_update
from coproduce.partnerships.models import Membership

TOKEN_MAX = 64


def attendance_mark(
    *, actor: Membership, event: Event, user_id: int, present: bool, client_token: str = ""
) -> Attendance:
    """Tick (or untick) one person on the register (organisers, from the day of the event). ``client_token``
    is the page's key for this tick. Every key counts once (``AttendanceTick``, written in the same
    transaction): a tick sent again with a key already seen changes nothing and the person's current state is
    answered, even when a newer tick came in between (a form re-sent from the browser's history).
    Present counts the event's length in learning minutes; absent counts none."""
    client_token = (client_token or "").strip()
    if len(client_token) > TOKEN_MAX:
        raise ServiceError(_("The register sent a tick it could not read. Reload the page."), code="token")
    with transaction.atomic(durable=True):
        locked = organised_for_update(actor, event)
        if client_token and AttendanceTick.objects.filter(event=locked, client_token=client_token).exists():
            current = Attendance.objects.filter(event=locked, user_id=user_id).first()
            if current is None:  # the key of a tick for someone else: nothing to answer for this person
                raise ServiceError(_("The register sent a tick it could not read. Reload the page."), code="token")
            return current
        if locked.is_cancelled:
            raise ServiceError(_("This event is cancelled."), code="cancelled")
        if timezone.localdate() < timezone.localtime(locked.starts_at).date():
            raise ServiceError(_("The register opens on the day of the event."), code="early")
        person = (
            Membership.objects.filter(partnership_id=locked.partnership_id, user_id=user_id)
            .only("organisation_id", "is_member", "is_worker", "is_coordinator", "is_partner_lead")
            .first()
        )
        if person is None:
            raise NotPermitted()
        registration = (
            Registration.objects.filter(event=locked, user_id=user_id)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        values = {
            "present": bool(present),
            "minutes": locked.duration_minutes if present else 0,
            "registration": registration,
            "organisation_id": person.organisation_id if person.is_staff_role else None,
            "is_member": person.is_member,
            "marked_by": actor.user,
            "marked_at": timezone.now(),
            "client_token": client_token,
        }
        attendance, _created = Attendance.objects.update_or_create(event=locked, user_id=user_id, defaults=values)
        if client_token:
            AttendanceTick.objects.create(event=locked, client_token=client_token)
        audit(actor, "attendance_marked", locked, present=bool(present))
    return attendance
