"""What a plan page shows: its parts, history, reads, team, sharing and progress."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.core.prepared import PreparedQuery
from coproduce.partnerships.models import Membership, Organisation
from coproduce.support.models import (
    Action,
    CheckIn,
    Goal,
    OutcomeArea,
    PlanChange,
    PlanRead,
    Rating,
    Referral,
    Share,
    SupportPlan,
    TeamMember,
)
from coproduce.support.selectors.access import PlanAccess

# On every member's home page and their support pages: compiled once (core/prepared.py, ADR 14).
OWN_PLAN: PreparedQuery[SupportPlan] = PreparedQuery(
    lambda shape, partnership_id, membership_id: SupportPlan.objects.filter(
        partnership_id=partnership_id, member_id=membership_id, erased_at__isnull=True
    ).order_by("pk")[:1]
)


def own_plan(membership: Membership) -> SupportPlan | None:
    if not membership.is_member:
        return None
    found = OWN_PLAN(partnership_id=membership.partnership_id, membership_id=membership.pk)
    return found[0] if found else None


def plan_page(plan: SupportPlan, access: PlanAccess) -> dict[str, Any]:
    """What the plan page shows, part by part, for someone with ``access``. Parts not visible are None.
    A fixed number of queries whatever the size of the plan."""
    parts = access.parts
    today = timezone.localdate()
    page: dict[str, Any] = {"plan": plan, "access": access, "today": today}
    page["goals"] = list(Goal.objects.filter(plan=plan).select_related("recorded_by")) if "goals" in parts else None
    page["actions"] = (
        list(Action.objects.filter(plan=plan).select_related("recorded_by", "owner_organisation", "goal"))
        if "actions" in parts
        else None
    )
    page["team"] = team_of(plan) if "team" in parts else None
    page["checkins"] = (
        list(CheckIn.objects.filter(plan=plan).select_related("recorded_by")[:5]) if "checkins" in parts else None
    )
    page["referrals"] = (
        list(Referral.objects.filter(plan=plan).select_related("service", "organisation")[:20])
        if access.sees_referrals
        else None
    )
    return page


def plan_changes(plan: SupportPlan, access: PlanAccess, limit: int = 100) -> list[PlanChange]:
    return list(PlanChange.objects.filter(plan=plan, part__in=sorted(access.parts))[:limit])


def plan_reads(plan: SupportPlan, limit: int = 200) -> list[PlanRead]:
    return list(PlanRead.objects.filter(plan=plan)[:limit])


def shares_of(plan: SupportPlan) -> list[Share]:
    return list(
        Share.objects.filter(plan=plan).select_related("organisation", "given_by", "recorded_by", "withdrawn_by")
    )


def organisations_of(membership: Membership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership_id=membership.partnership_id).order_by("name")


def outcome_areas(membership: Membership) -> list[OutcomeArea]:
    return list(OutcomeArea.objects.filter(partnership_id=membership.partnership_id, active=True))


Row = TypeVar("Row", SupportPlan, Goal, Action)


def as_saved(item: Row) -> Row:
    """The row as it is saved now: after an edit was refused as stale, the newer version to show."""
    return type(item).objects.get(pk=item.pk)


def goals_of(plan: SupportPlan) -> QuerySet[Goal]:
    return Goal.objects.filter(plan=plan)


def team_of(plan: SupportPlan) -> list[TeamMember]:
    """The plan's current team, with each person's name and organisation."""
    return list(
        TeamMember.objects.filter(plan=plan, ended_at__isnull=True).select_related(
            "membership__user", "membership__organisation"
        )
    )


def team_member_for(plan: SupportPlan, team_member_id: str) -> TeamMember:
    """One person on this plan's team (``team_member_id`` as the form sent it); else ``NotPermitted``."""
    found = (
        TeamMember.objects.filter(plan=plan, pk=int(team_member_id)).select_related("plan").first()
        if team_member_id.isdecimal()
        else None
    )
    if found is None:
        raise NotPermitted()
    return found


def team_candidates(membership: Membership) -> QuerySet[Membership]:
    """Who may be proposed for a plan's team: workers of a partner organisation, and partner leads."""
    workers = (
        Membership.objects.filter(partnership_id=membership.partnership_id, organisation__isnull=False)
        .filter(is_worker=True)
        .select_related("user", "organisation")
        .order_by("user__display_name")
    )
    leads = Membership.objects.filter(partnership_id=membership.partnership_id, is_partner_lead=True).select_related(
        "user", "organisation"
    )
    return workers | leads


def members_without_plan(membership: Membership) -> QuerySet[Membership]:
    """The other members of the partnership who have no plan yet (or only an erased one): whom a worker may
    start a plan with."""
    return (
        Membership.objects.filter(partnership_id=membership.partnership_id, is_member=True)
        .exclude(pk=membership.pk)
        .exclude(support_plans__erased_at__isnull=True, support_plans__isnull=False)
        .select_related("user")
        .order_by("user__display_name")
    )


def distance_travelled(
    plan: SupportPlan, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Per area: the agreed rating at each agreed check-in, oldest first, and the change from first to last."""
    ratings = Rating.objects.filter(checkin__plan=plan, checkin__agreed_at__isnull=False).select_related(
        "area", "checkin"
    )
    if start:
        ratings = ratings.filter(checkin__date__gte=start)
    if end:
        ratings = ratings.filter(checkin__date__lte=end)
    by_area: dict[int, dict[str, Any]] = {}
    for rating in ratings.order_by("area__order", "checkin__date", "checkin_id"):
        entry = by_area.setdefault(rating.area_id, {"area": rating.area, "points": []})
        entry["points"].append((rating.checkin.date, rating.agreed))
    result = []
    for entry in by_area.values():
        points = entry["points"]
        entry["first"] = points[0][1]
        entry["last"] = points[-1][1]
        entry["change"] = points[-1][1] - points[0][1]
        result.append(entry)
    return result
