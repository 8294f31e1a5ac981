"""Learning's part of "My data" (``partnerships.personal_data``): the events the person registered for (with a
place, waiting or cancelled), what she said would help her come, and the sessions she was marked at. One query
a table, each narrowed to the person and the partnership."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.learning.models import Attendance, Registration, RegistrationNeeds
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "registrations": _("Events you registered for"),
    "needs": _("What you said would help you come"),
    "attendance": _("Events you were marked at"),
}


def learning_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    registrations = Registration.objects.filter(user_id=user_id, event__partnership_id=partnership_id).select_related(
        "event"
    )
    needs = RegistrationNeeds.objects.filter(
        registration__user_id=user_id, registration__event__partnership_id=partnership_id
    ).select_related("registration__event")
    attendance = Attendance.objects.filter(user_id=user_id, event__partnership_id=partnership_id).select_related(
        "event"
    )
    return {
        "registrations": [
            {
                "event": r.event.title,
                "starts": iso_or_none(r.event.starts_at),
                "status": str(r.get_status_display()),
                "registered": iso_or_none(r.registered_at),
                "given_a_place_from_the_waiting_list": iso_or_none(r.promoted_at),
                "cancelled": iso_or_none(r.cancelled_at),
            }
            for r in registrations.order_by("registered_at", "pk")
        ],
        "needs": [
            {
                "event": n.registration.event.title,
                "children_needing_childcare": n.childcare_children,
                "their_ages": list(n.childcare_ages or []),
                "help_with_travel_costs": n.travel_costs,
                "access_needs": n.access_needs,
                "interpreter_language": n.interpreter_language,
                "food_needs": n.food_needs,
                "changed": iso_or_none(n.updated_at),
            }
            for n in needs.order_by("registration__registered_at", "pk")
        ],
        "attendance": [
            {
                "event": a.event.title,
                "starts": iso_or_none(a.event.starts_at),
                "present": a.present,
                "minutes": a.minutes,
                "marked": iso_or_none(a.marked_at),
            }
            for a in attendance.order_by("event__starts_at", "pk")
        ],
    }


EXPORT = PersonalDataExport(
    key="learning", title=_("Learning together"), export=learning_export, order=45, tables=TABLES
)
