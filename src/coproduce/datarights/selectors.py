"""Reads for the data-rights pages: what leaving or erasure will do, and the erasure requests."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.datarights.models import ErasureRequest
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import Disposal, Fate, LeavingPrompt, departures


@dataclass(frozen=True)
class Outcome:
    """Every line of what will happen, by fate, in the departures' order."""

    delete: list[Disposal]
    anonymise: list[Disposal]
    keep: list[Disposal]

    @property
    def lines(self) -> list[Disposal]:
        return [*self.delete, *self.anonymise, *self.keep]


def _outcome(lines: list[Disposal]) -> Outcome:
    shown = [line for line in lines if line.count]  # a kind of data the person has none of is left out
    return Outcome(
        delete=[line for line in shown if line.fate == Fate.DELETE],
        anonymise=[line for line in shown if line.fate == Fate.ANONYMISE],
        keep=[line for line in shown if line.fate == Fate.KEEP],
    )


def leaving_outcome(membership: Membership) -> Outcome:
    """What leaving (or being removed) does to this person's data, across every capability."""
    return _outcome([line for d in departures() for line in d.leaving(membership)])


def erasure_outcome(membership: Membership) -> Outcome:
    """What erasure does to this person's data, across every capability."""
    return _outcome([line for d in departures() for line in d.erasure(membership)])


def leaving_prompts(membership: Membership) -> list[LeavingPrompt]:
    """What the capabilities ask this person to do before she leaves (tell us about the services she used...),
    in the departures' order; a capability with nothing to ask gives none."""
    found = []
    for departure in departures():
        if departure.before_leaving is not None and (prompt := departure.before_leaving(membership)) is not None:
            found.append(prompt)
    return found


def open_erasure_of(membership: Membership) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(membership_id=membership.pk, confirmed_at__isnull=True).first()


def erasure_requests_visible_to(membership: Membership) -> QuerySet[ErasureRequest]:
    """Every erasure request in the coordinator's partnership: the open ones first (soonest deadline first),
    then the confirmed ones, newest first."""
    if not membership.is_coordinator:
        return ErasureRequest.objects.none()
    return (
        ErasureRequest.objects.filter(partnership_id=membership.partnership_id)
        .select_related("membership__user", "confirmed_by")
        .order_by(F("confirmed_at").desc(nulls_first=True), "due_on", "id")
    )


def open_erasure_for(membership: Membership, erasure_id: int) -> ErasureRequest:
    """One open request in the coordinator's partnership; else ``NotPermitted`` (a 404)."""
    found = (
        erasure_requests_visible_to(membership).filter(pk=erasure_id, confirmed_at__isnull=True).first()
        if membership.is_coordinator
        else None
    )
    if found is None or found.membership is None:
        raise NotPermitted()
    return found


def person_in_partnership(membership: Membership, membership_id: int) -> Membership:
    """Someone in the coordinator's partnership (for removing them); else ``NotPermitted``."""
    found = (
        Membership.objects.filter(pk=membership_id, partnership_id=membership.partnership_id)
        .select_related("user", "partnership", "organisation")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found
