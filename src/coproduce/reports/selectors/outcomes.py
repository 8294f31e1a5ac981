"""Reads of employability outcomes, already narrowed: hers to her, hers to her keyworker (support's plan team,
through ``support.api``), nobody else's to anyone. Anything out of reach is ``NotPermitted`` (a 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership
from coproduce.reports.models.outcomes import (
    FOLLOW_UP_WEEKS,
    CorrectionRequest,
    Outcome,
    OutcomeRead,
    PriorityGroups,
)
from coproduce.support import api as support_api

__all__ = [
    "FollowUp",
    "correction_for",
    "follow_ups_due",
    "jobs_of",
    "member_for",
    "open_corrections_for",
    "outcome_for",
    "outcomes_of",
    "people_keyworked",
    "priority_groups_of",
    "reads_of",
]


def outcomes_of(member: Membership) -> QuerySet[Outcome]:
    """Every outcome recorded about ``member``, newest first, each with its correction requests and its job."""
    corrections = CorrectionRequest.objects.order_by("-created_at", "-id")
    return (
        Outcome.objects.filter(member_id=member.pk, partnership_id=member.partnership_id)
        .select_related("job")
        .prefetch_related(Prefetch("corrections", queryset=corrections))
    )


def jobs_of(member: Membership) -> QuerySet[Outcome]:
    """Her jobs started, which a follow-up (still in work at 13, 26 or 52 weeks) names."""
    return Outcome.objects.filter(member_id=member.pk, kind=Outcome.Kind.JOB_STARTED).order_by("-on", "-id")


def member_for(actor: Membership, membership_id: int) -> Membership:
    """The member whose keyworker ``actor`` is; ``NotPermitted`` for anyone else (herself included: her own
    page is "My outcomes")."""
    member = (
        Membership.objects.filter(pk=membership_id, partnership_id=actor.partnership_id, is_member=True)
        .select_related("user", "partnership")
        .first()
    )
    if member is None or not support_api.keyworker_of(actor=actor, member=member):
        raise NotPermitted()
    return member


def outcome_for(actor: Membership, outcome_id: int, *, own: bool = False) -> Outcome:
    """One outcome: with ``own``, one of ``actor``'s own; otherwise one of a member ``actor`` keyworks."""
    outcome = (
        Outcome.objects.filter(pk=outcome_id, partnership_id=actor.partnership_id)
        .select_related("member__user", "job")
        .first()
    )
    if outcome is None:
        raise NotPermitted()
    if own:
        if outcome.member_id != actor.pk:
            raise NotPermitted()
    elif not support_api.keyworker_of(actor=actor, member=outcome.member):
        raise NotPermitted()
    return outcome


def correction_for(actor: Membership, correction_id: int) -> CorrectionRequest:
    """A correction request about a member ``actor`` keyworks (the one who handles it); else ``NotPermitted``."""
    correction = (
        CorrectionRequest.objects.filter(pk=correction_id, outcome__partnership_id=actor.partnership_id)
        .select_related("outcome__member__user", "outcome__job")
        .first()
    )
    if correction is None or not support_api.keyworker_of(actor=actor, member=correction.outcome.member):
        raise NotPermitted()
    return correction


@dataclass(frozen=True)
class PersonRow:
    membership_id: int
    name: str
    open_corrections: int


def people_keyworked(actor: Membership) -> list[PersonRow]:
    """The members ``actor`` keyworks, each with how many correction requests wait (two queries)."""
    people = support_api.members_keyworked_by(actor=actor)
    waiting: dict[int, int] = {}
    for member_id in CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.OPEN, outcome__member_id__in=[p.membership_id for p in people]
    ).values_list("outcome__member_id", flat=True):
        waiting[member_id] = waiting.get(member_id, 0) + 1
    return [PersonRow(p.membership_id, p.name, waiting.get(p.membership_id, 0)) for p in people]


def open_corrections_for(member: Membership) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(
        outcome__member_id=member.pk, status=CorrectionRequest.Status.OPEN
    ).select_related("outcome")


@dataclass(frozen=True)
class FollowUp:
    job: Outcome
    kind: str
    label: str
    due: dt.date
    is_due: bool  # the date has come: it can be recorded now


def follow_ups_due(member: Membership, *, today: dt.date) -> list[FollowUp]:
    """For each of her jobs started, the follow-ups (13, 26, 52 weeks) not recorded yet, soonest first; those
    whose date has come are due. Two queries."""
    jobs = list(jobs_of(member).prefetch_related("follow_ups"))
    rows = []
    for job in jobs:
        done = {f.kind for f in job.follow_ups.all()}
        for kind, weeks in FOLLOW_UP_WEEKS.items():
            if kind in done:
                continue
            due = job.on + dt.timedelta(weeks=weeks)
            rows.append(FollowUp(job, kind, str(Outcome.Kind(kind).label), due, due <= today))
    return sorted(rows, key=lambda f: (f.due, f.job.pk))


def priority_groups_of(member: Membership) -> PriorityGroups:
    """Her answers (every one "not asked" until she gives them; not saved by reading)."""
    found = PriorityGroups.objects.filter(member_id=member.pk).first()
    return found or PriorityGroups(member=member, partnership_id=member.partnership_id)


def reads_of(member: Membership) -> QuerySet[OutcomeRead]:
    """Who else has read her outcomes, newest first."""
    return OutcomeRead.objects.filter(member_id=member.pk)
