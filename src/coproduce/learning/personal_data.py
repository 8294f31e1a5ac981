"""Learning together's part of "My data" (``partnerships.personal_data``), in three exports whose keys stay as
they were so that nothing a person downloads changes: ``learning`` (the events the person registered for, with a
place, waiting or cancelled, what she said would help her come, and the sessions she was marked at),
``learning_pay`` (her claims for paid time and expenses, and that she has a private calendar link) and
``learning_log`` (the entries she wrote or co-wrote, and the entries naming her with her answer). One query a
table, each narrowed to the person and the partnership. ``EXPORTS`` lists them for ``apps.py``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.learning.models import (
    Attendance,
    CalendarFeed,
    Claim,
    LogConsent,
    LogEntry,
    Registration,
    RegistrationNeeds,
)
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

# --- Events ----------------------------------------------------------------------------------------------

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


# --- Calendars and paid time -----------------------------------------------------------------------------

PAY_TABLES = {
    "claims": gettext_lazy("Your claims for paid time and expenses"),
    "calendar_link": gettext_lazy("Your private calendar link"),
}


def _claims(m: Membership) -> QuerySet[Claim]:
    return Claim.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def _feeds(m: Membership) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(partnership_id=m.partnership_id, user_id=m.user_id)


def pay_export(m: Membership) -> dict[str, list[dict[str, Any]]]:
    return {
        "claims": [
            {
                "event": c.event.title,
                "event_starts": iso_or_none(c.event.starts_at),
                "for_your_time": c.time_choice,
                "minutes": c.time_minutes,
                "time_pence": c.time_pence,
                "travel_pence": c.travel_pence,
                "childcare_pence": c.childcare_pence,
                "receipt_reference": c.receipt_reference,
                "status": c.status,
                "reason_refused": c.refusal_reason,
                "claimed": iso_or_none(c.created_at),
                "decided": iso_or_none(c.decided_at),
            }
            for c in _claims(m).select_related("event").order_by("created_at", "id")
        ],
        # That a link exists and when it was made; its secret is not kept, so it cannot be given.
        "calendar_link": [{"made": iso_or_none(f.created_at), "renewed": iso_or_none(f.renewed_at)} for f in _feeds(m)],
    }


PAY_EXPORT = PersonalDataExport(
    key="learning_pay",
    title=gettext_lazy("Paid time, expenses and your calendar link"),
    export=pay_export,
    order=71,
    tables=PAY_TABLES,
)


# --- The learning log ------------------------------------------------------------------------------------

LOG_TABLES = {
    "log_entries": _("Learning log entries you wrote or co-wrote"),
    "log_named": _("Learning log entries naming you, and your answer"),
}


def log_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    written = (
        LogEntry.objects.filter(Q(author_id=user_id) | Q(co_authors=user_id), partnership_id=partnership_id)
        .distinct()
        .order_by("created_at", "pk")
    )
    named = (
        LogConsent.objects.filter(user_id=user_id, entry__partnership_id=partnership_id)
        .select_related("entry")
        .order_by("entry__created_at", "pk")
    )
    return {
        "log_entries": [
            {
                "title": e.title,
                "your_part": "author" if e.author_id == user_id else "co-author",
                "what_we_tried": e.what_we_tried,
                "what_we_learned": e.what_we_learned,
                "what_next": e.what_next,
                "status": str(e.get_status_display()),
                "created": iso_or_none(e.created_at),
                "published": iso_or_none(e.published_at),
            }
            for e in written
        ],
        "log_named": [
            {
                "entry": c.entry.title,
                "asked": iso_or_none(c.asked_at),
                "agreed": iso_or_none(c.agreed_at),
                "said_no": iso_or_none(c.declined_at),
                "your_name_on_the_case_study": c.named_outside,
            }
            for c in named
        ],
    }


LOG_EXPORT = PersonalDataExport(
    key="learning_log", title=_("Learning log"), export=log_export, order=75, tables=LOG_TABLES
)


EXPORTS = (EXPORT, PAY_EXPORT, LOG_EXPORT)
