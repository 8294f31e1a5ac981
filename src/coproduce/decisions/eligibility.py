"""Who takes part in a decision, and in which group they are counted. Used by the rules, the services and
the selectors alike.

Members are the people holding the member role; staff are workers, coordinators and partner leads. Someone
who holds both is counted once, as a member, except in a decision for staff only, where they take part as
staff. Observers never take part. When a governance group decides, only the people holding a current seat on
it take part (``governance.api.group_member_ids``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from coproduce.decisions.models import Decision
from coproduce.governance.api import group_member_ids
from coproduce.partnerships.models import Membership
from coproduce.partnerships.roles import staff_q


def group_of(membership: Membership | None, decision: Decision, *, seated: set[int] | None = None) -> str | None:
    """ "member" or "staff" when ``membership`` takes part in ``decision``, else None. ``seated`` is the
    group's membership ids when a group decides (looked up when not given)."""
    if membership is None or membership.partnership_id != decision.partnership_id:
        return None
    participants = decision.participants
    if participants == Decision.Participants.STAFF:
        return "staff" if membership.is_staff_role else None
    if participants == Decision.Participants.MEMBERS:
        return "member" if membership.is_member else None
    if participants == Decision.Participants.GROUP:
        if seated is None:
            seated = seated_in(membership, decision)
        if membership.pk not in seated:
            return None
    if membership.is_member:
        return "member"
    return "staff" if membership.is_staff_role else None


def seated_in(actor: Membership, decision: Decision) -> set[int]:
    if decision.governance_group_id is None:
        return set()
    return group_member_ids(actor=actor, group_id=decision.governance_group_id)


def eligible_memberships(decision: Decision, *, actor: Membership | None = None) -> QuerySet[Membership]:
    """Everyone who may answer ``decision``."""
    people = Membership.objects.filter(partnership_id=decision.partnership_id)
    participants = decision.participants
    if participants == Decision.Participants.STAFF:
        return people.filter(staff_q())
    if participants == Decision.Participants.MEMBERS:
        return people.filter(is_member=True)
    people = people.filter(Q(is_member=True) | staff_q())
    if participants == Decision.Participants.GROUP:
        anyone = actor or Membership(partnership_id=decision.partnership_id)
        people = people.filter(pk__in=sorted(seated_in(anyone, decision)))
    return people


def eligible_counts(decision: Decision) -> tuple[int, int]:
    """How many members and how many staff may answer (for the quorum)."""
    people = eligible_memberships(decision)
    if decision.participants == Decision.Participants.STAFF:
        return 0, people.count()
    if decision.participants == Decision.Participants.MEMBERS:
        return people.count(), 0
    members = people.filter(is_member=True).count()
    return members, people.count() - members
