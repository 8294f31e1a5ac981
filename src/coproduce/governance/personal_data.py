"""What the partnership agreement holds about a person, and what leaving and erasure do to it (registered
with ``partnerships.personal_data`` in ``GovernanceConfig.ready``).

- Declared interests are the person's own: they are in "My data" and are deleted when the person leaves or
  asks for erasure (the register is about people in the partnership now).
- Seats held: the current ones become vacant on the day the person leaves; past holdings stay in the seat's
  history with no one named (the membership goes), so the board's record still shows the seat was held.
- On erasure, the audit events about their interests and seats, and their own ``governance.*`` events, keep
  what happened and when but no longer say about what or whom (``core.audit.audit_forget``, ADR 18).
- Terms of reference they published stay: the partnership's agreement; the publisher's name goes with
  their account on erasure.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coproduce.core.audit import audit_forget
from coproduce.core.personal_data import iso_or_none
from coproduce.governance.models import Interest, SeatHolding
from coproduce.governance.services import holdings_end_for_departure
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import (
    Departure,
    Disposal,
    Fate,
    PersonalDataExport,
    register_departure,
    register_personal_data,
)


def export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    interests = Interest.objects.filter(membership=membership).select_related("organisation").order_by("starts_on")
    holdings = (
        SeatHolding.objects.filter(membership=membership).select_related("seat__group").order_by("term_starts_on")
    )
    return {
        "declared_interests": [
            {
                "what": i.what,
                "with_whom": i.with_whom,
                "organisation": i.organisation.name if i.organisation else "",
                "since": iso_or_none(i.starts_on),
                "ended": iso_or_none(i.ends_on),
                "recorded_at": i.created_at.isoformat(),
            }
            for i in interests
        ],
        "seats_held": [
            {
                "group": h.seat.group.name,
                "seat": h.seat.title,
                "term_starts": iso_or_none(h.term_starts_on),
                "term_ends": iso_or_none(h.term_ends_on),
                "ended": iso_or_none(h.ended_on),
            }
            for h in holdings
        ],
    }


def _lines(membership: Membership) -> list[Disposal]:
    interests = Interest.objects.filter(membership=membership).count()
    seats = SeatHolding.objects.filter(membership=membership).count()
    return [
        Disposal(
            what=_("Interests you declared in the register of interests"),
            fate=Fate.DELETE,
            why=_("The register lists the interests of people in the partnership now."),
            count=interests,
        ),
        Disposal(
            what=_("Seats you held on the partnership's groups"),
            fate=Fate.ANONYMISE,
            why=_(
                "A seat you hold becomes vacant today. The seat's history still shows it was held for those "
                "dates, without your name."
            ),
            count=seats,
        ),
    ]


def depart(membership: Membership) -> None:
    """Leaving: end current seats, delete interests. The membership's deletion afterwards clears the name
    from past holdings (``SET_NULL``)."""
    holdings_end_for_departure(membership)
    Interest.objects.filter(membership=membership).delete()


def erase(membership: Membership) -> None:
    """Erasure: as leaving, and the audit events about the person's interests and seat holdings, and their
    own ``governance.*`` events, no longer say what or whom they were about (ADR 18)."""
    about = [
        *Interest.objects.filter(membership=membership),
        *SeatHolding.objects.filter(membership=membership),
    ]
    audit_forget(
        partnership_id=membership.partnership_id, objects=about, person=membership.user, action_prefix="governance."
    )
    depart(membership)


def register() -> None:
    register_personal_data(
        PersonalDataExport(
            key="governance",
            title=_lazy("Partnership agreement"),  # type: ignore[arg-type]
            export=export,
            order=90,
        )
    )
    register_departure(Departure(key="governance", erasure=_lines, erase=erase, leaving=_lines, leave=depart))
