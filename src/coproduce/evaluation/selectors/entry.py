"""Reads for entering answers given on paper or read out: the parents a keyworker may enter answers for."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Lower

from coproduce.partnerships.models import Membership


def members_to_choose(actor: Membership) -> QuerySet[Membership]:
    """The partnership's members, by name, for a keyworker entering answers a parent read out with her: those
    who let keyworkers record with them (``Membership.assistance_allowed``), not the keyworker herself. Only
    their names are read (no email addresses: the list is shown to workers as well as coordinators)."""
    return _members(actor).filter(assistance_allowed=True).exclude(pk=actor.pk)


def _members(actor: Membership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership_id=actor.partnership_id, is_member=True)
        .select_related("user")
        .only("partnership_id", "is_member", "assistance_allowed", "user__id", "user__display_name", "user__email")
        .order_by(Lower("user__display_name"), "user__email")
    )


def member_to_choose(actor: Membership, membership_id: int | None) -> Membership | None:
    """One member of the partnership, or None; whether she may be chosen the service asks
    ``partnerships.assisted.assistance_check``, which says why not in words."""
    if membership_id is None:
        return None
    return _members(actor).filter(pk=membership_id).first()
