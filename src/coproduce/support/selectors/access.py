"""Who may see which part of a plan.

``plan_access`` (and its short form ``plan_parts_visible_to``) is the one place that decides who sees which
part of a plan; ``plans_visible_to`` and ``referrals_visible_to`` (directory.py) are the same decision written
as queries. ``require_access`` refuses with the 404-shaped ``NotPermitted``, and ``plan_for``, ``goal_for``,
``action_for`` and ``checkin_for`` find a row and apply it.
The rule, in short (see docs/decisions/0005-support-plan-access.md):

* the member sees all of their plan, its referrals and who has read it;
* a keyworker in the member's team (agreed by the member) sees and edits all parts and the referrals;
  a worker who proposed a plan sees it while it waits for the member to accept;
* staff of an organisation the member shared parts with see those parts only, while the share is live;
* staff of the organisation a referral was sent to see that referral while the member's agreement stands;
* nobody else sees any of it: not other workers of the keyworker's organisation, not coordinators or
  observers (they see counts, never contents, unless the member shared with their organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Value

from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership
from coproduce.support.models import PART_VALUES, Action, CheckIn, Goal, Rating, Share, SupportPlan, TeamMember

ALL_PARTS = frozenset(PART_VALUES)


NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PlanAccess:
    parts: frozenset[str]
    is_owner: bool = False
    is_keyworker: bool = False

    @property
    def may_edit(self) -> bool:
        return self.is_owner or self.is_keyworker

    @property
    def sees_referrals(self) -> bool:
        return self.is_owner or self.is_keyworker

    @property
    def sees_log(self) -> bool:
        return self.is_owner


NO_ACCESS = PlanAccess(NONE)


def require_access(access: PlanAccess, *, part: str | None = None, editing: bool = False) -> PlanAccess:
    """Return ``access`` if it reaches the plan at all, ``part`` of it (when named) and, with ``editing``, lets
    the person change it; raise the 404-shaped ``NotPermitted`` otherwise."""
    if not access.parts or (part is not None and part not in access.parts) or (editing and not access.may_edit):
        raise NotPermitted()
    return access


def live_shares(plan: SupportPlan) -> QuerySet[Share]:
    return Share.objects.filter(plan=plan, withdrawn_at__isnull=True)


def keyworker_q(membership: Membership) -> Q:
    """Plans on which this person is an agreed keyworker, or which they proposed and wait for acceptance."""
    agreed = Exists(
        TeamMember.objects.filter(
            plan_id=OuterRef("pk"),
            membership_id=membership.pk,
            role=TeamMember.Role.KEYWORKER,
            agreed_at__isnull=False,
            ended_at__isnull=True,
        )
    )
    proposed = Q(status=SupportPlan.Status.PROPOSED, created_by_id=membership.user_id)
    return Q(agreed) | proposed


def is_keyworker(membership: Membership, plan: SupportPlan) -> bool:
    if not membership.is_staff_role:
        return False
    if plan.status == SupportPlan.Status.PROPOSED and plan.created_by_id == membership.user_id:
        return True
    return TeamMember.objects.filter(
        plan=plan,
        membership_id=membership.pk,
        role=TeamMember.Role.KEYWORKER,
        agreed_at__isnull=False,
        ended_at__isnull=True,
    ).exists()


def plan_access(membership: Membership | None, plan: SupportPlan | None) -> PlanAccess:
    """What this person may see of this plan. The one decision; everything else asks it."""
    if membership is None or plan is None or plan.partnership_id != membership.partnership_id:
        return NO_ACCESS
    if plan.erased_at is not None or plan.left_at is not None:
        return NO_ACCESS  # erased, or closed when the member left (ADR 24): no one sees it
    if plan.member_id == membership.pk:
        return PlanAccess(ALL_PARTS, is_owner=True)
    if not membership.is_staff_role:
        return NO_ACCESS  # members, and observers, never see another person's plan
    known = getattr(plan, "keyworker_here", None)  # annotated by plan_for: saves a query
    if (plan.status == SupportPlan.Status.ACTIVE or plan.created_by_id == membership.user_id) and (
        known if known is not None else is_keyworker(membership, plan)
    ):
        return PlanAccess(ALL_PARTS, is_keyworker=True)
    if plan.status != SupportPlan.Status.ACTIVE or membership.organisation_id is None:
        return NO_ACCESS
    parts = frozenset(
        live_shares(plan).filter(organisation_id=membership.organisation_id).values_list("part", flat=True)
    )
    return PlanAccess(parts)


def plan_parts_visible_to(membership: Membership | None, plan: SupportPlan | None) -> frozenset[str]:
    return plan_access(membership, plan).parts


def plans_visible_to(membership: Membership | None) -> QuerySet[SupportPlan]:
    """Plans of which this person may see at least one part (the same rule as ``plan_access``)."""
    if membership is None:
        return SupportPlan.objects.none()
    base = SupportPlan.objects.filter(
        partnership_id=membership.partnership_id, erased_at__isnull=True, left_at__isnull=True
    )
    mine = Q(member_id=membership.pk)
    if not membership.is_staff_role:
        return base.filter(mine)
    shared = Q(
        status=SupportPlan.Status.ACTIVE,
        pk__in=Share.objects.filter(organisation_id=membership.organisation_id or 0, withdrawn_at__isnull=True).values(
            "plan_id"
        ),
    )
    return base.filter(mine | keyworker_q(membership) | shared)


def plan_for(
    membership: Membership, plan_id: int, *, part: str | None = None, editing: bool = False
) -> tuple[SupportPlan, PlanAccess]:
    """The plan and what this person may do with it; ``NotPermitted`` (a 404) if it is missing or out of their
    reach, or (see ``require_access``) ``part`` is not theirs to see, or they may not edit it."""
    plan = (
        SupportPlan.objects.filter(pk=plan_id, partnership_id=membership.partnership_id)
        .select_related("member__user")
        .annotate(
            keyworker_here=ExpressionWrapper(keyworker_q(membership), output_field=BooleanField())
            if membership.is_staff_role
            else Value(False)
        )
        .first()
    )
    if plan is None:
        raise NotPermitted()
    return plan, require_access(plan_access(membership, plan), part=part, editing=editing)


def item_for(
    membership: Membership, queryset: QuerySet[Any], item_id: int, part: str, editing: bool
) -> tuple[Any, PlanAccess]:
    item = queryset.filter(pk=item_id, plan__partnership_id=membership.partnership_id).select_related("plan").first()
    if item is None:
        raise NotPermitted()
    return item, require_access(plan_access(membership, item.plan), part=part, editing=editing)


def goal_for(membership: Membership, goal_id: int, *, editing: bool = False) -> tuple[Goal, PlanAccess]:
    """A goal of a plan whose goals this person sees (and, with ``editing``, may change); else ``NotPermitted``."""
    return item_for(membership, Goal.objects.all(), goal_id, "goals", editing)


def action_for(membership: Membership, action_id: int, *, editing: bool = False) -> tuple[Action, PlanAccess]:
    """An action of a plan whose actions this person sees (and, with ``editing``, may change); else ``NotPermitted``."""
    return item_for(membership, Action.objects.all(), action_id, "actions", editing)


def checkin_for(membership: Membership, checkin_id: int) -> tuple[CheckIn, PlanAccess]:
    """A check-in, with its ratings, of a plan whose check-ins this person sees; else ``NotPermitted``."""
    checkins = CheckIn.objects.select_related("recorded_by").prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("area"))
    )
    return item_for(membership, checkins, checkin_id, "checkins", False)
