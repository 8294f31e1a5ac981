"""Calendars' and paid time's part of "My data", leaving and erasure (registered in ``apps.py``; see
``partnerships.personal_data``).

A person's claims are money records — public money paid to her — so leaving keeps them as they are (a claim
still waiting can still be paid) and erasure keeps the amounts without her (the fund's ledger never named her).
Her private calendar link is deleted either way."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.core.audit import audit_forget
from coproduce.core.personal_data import iso_or_none
from coproduce.learning.models import CalendarFeed, Claim
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Departure, Disposal, Fate, PersonalDataExport

TABLES = {
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


EXPORT = PersonalDataExport(
    key="learning_pay",
    title=gettext_lazy("Paid time, expenses and your calendar link"),
    export=pay_export,
    order=71,
    tables=TABLES,
)


def _feed_line(m: Membership) -> Disposal:
    return Disposal(_("Your private calendar link"), Fate.DELETE, _("It stops working at once."), _feeds(m).count())


def leaving(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your claims for paid time and expenses"),
            Fate.KEEP,
            _("Money records: the partnership must account for public money. A claim still waiting can still be paid."),
            _claims(m).count(),
        ),
        _feed_line(m),
    ]


def leave(m: Membership) -> None:
    _feeds(m).delete()


def erasure(m: Membership) -> list[Disposal]:
    return [
        Disposal(
            _("Your claims for paid time and expenses"),
            Fate.ANONYMISE,
            _("The amounts stay in the fund's accounts, which never named you; nothing links them to you any more."),
            _claims(m).count(),
        ),
        _feed_line(m),
    ]


def erase(m: Membership) -> None:
    claims = list(_claims(m).select_for_update())
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(user=None, receipt_reference="")
    _feeds(m).delete()
    audit_forget(partnership_id=m.partnership_id, objects=claims, person=m.user, action_prefix="learning.claim")


DEPARTURE = Departure(key="learning_pay", erasure=erasure, erase=erase, leaving=leaving, leave=leave, order=71)
