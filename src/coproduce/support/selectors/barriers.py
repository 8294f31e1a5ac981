"""Reads for money for barriers: a plan's requests (member and keyworker), one request (and who is looking at it),
the coordinators' queue with how long requests wait, and what the payments achieved, in groups of at least
``MIN_GROUP`` payments and never naming anyone."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.fund import api as fund
from coproduce.partnerships.models import Membership
from coproduce.support.models import BarrierRequest, SupportPlan, TeamMember
from coproduce.support.selectors.access import plan_access
from coproduce.support.selectors.figures import MIN_GROUP

Status = BarrierRequest.Status
Level = BarrierRequest.Level
DUPLICATE_DAYS = 30


def category_names(pot: fund.PotView | None) -> dict[str, str]:
    return {c.slug: c.name for c in pot.categories} if pot is not None else {}


@dataclass(frozen=True)
class Seen:
    """How the acting person reaches a request: as its member, her keyworker, or a coordinator deciding on it."""

    is_owner: bool = False
    is_keyworker: bool = False
    is_coordinator: bool = False


def barrier_for(membership: Membership, request_id: int) -> tuple[BarrierRequest, Seen]:
    """A request, for its member, her keyworker (anyone who may edit the plan) or a coordinator of the
    partnership; ``NotPermitted`` (a 404) for anyone else and for other partnerships."""
    request = (
        BarrierRequest.objects.filter(pk=request_id, partnership_id=membership.partnership_id)
        .select_related("partnership", "plan__member__user", "goal", "action", "asked_by")
        .first()
    )
    if request is None:
        raise NotPermitted()
    access = plan_access(membership, request.plan)
    if access.may_edit:
        return request, Seen(is_owner=access.is_owner, is_keyworker=access.is_keyworker)
    if membership.is_coordinator and request.plan.erased_at is None and request.plan.left_at is None:
        return request, Seen(is_coordinator=True)
    raise NotPermitted()


def is_duplicate(request: BarrierRequest) -> bool:
    """Whether the same member asked for the same kind of cost within 30 days of this request."""
    window = datetime.timedelta(days=DUPLICATE_DAYS)
    return (
        BarrierRequest.objects.filter(
            plan_id=request.plan_id,
            category=request.category,
            created_at__gte=request.created_at - window,
            created_at__lte=request.created_at + window,
        )
        .exclude(pk=request.pk)
        .exclude(status__in=[Status.CANCELLED, Status.REFUSED])
        .exists()
    )


def would_duplicate(plan_id: int, category: str) -> bool:
    """Before asking: whether this member already asked for this kind of cost in the last 30 days."""
    since = timezone.now() - datetime.timedelta(days=DUPLICATE_DAYS)
    return (
        BarrierRequest.objects.filter(plan_id=plan_id, category=category, created_at__gte=since)
        .exclude(status__in=[Status.CANCELLED, Status.REFUSED])
        .exists()
    )


def plan_money(plan: SupportPlan, pot: fund.PotView | None) -> dict[str, Any]:
    """A plan's requests (newest first) with the goal beside each, and the yearly limit used and left."""
    requests = list(
        BarrierRequest.objects.filter(plan=plan).select_related("goal", "action").order_by("-created_at", "-id")
    )
    used = 0
    if pot is not None:
        held = (Status.APPROVED, Status.PAID)
        used = sum(r.amount_pence for r in requests if r.pot_id == pot.id and r.status in held)
    names = category_names(pot)
    for r in requests:
        r.category_name = names.get(r.category, r.category)  # type: ignore[attr-defined]
    return {
        "requests": requests,
        "cap_used_pence": used,
        "cap_left_pence": max(pot.yearly_cap_pence - used, 0) if pot is not None else 0,
    }


def _keyworker_names(plan_ids: list[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for plan_id, name in TeamMember.objects.filter(
        plan_id__in=plan_ids, role=TeamMember.Role.KEYWORKER, agreed_at__isnull=False, ended_at__isnull=True
    ).values_list("plan_id", "membership__user__display_name"):
        names.setdefault(plan_id, name)
    return names


def keyworker_name(plan_id: int) -> str:
    return _keyworker_names([plan_id]).get(plan_id, "")


def coordinator_queue(membership: Membership) -> dict[str, Any]:
    """Requests waiting for a coordinator, oldest first, with only what a decision needs, how long each has
    waited, and the median wait of the decisions made this month."""
    now = timezone.now()
    partnership_id = membership.partnership_id
    pot = fund.flexible_pot(partnership_id)
    names = category_names(pot)
    waiting = list(
        BarrierRequest.objects.filter(
            partnership_id=partnership_id,
            status=Status.AGREED,
            level__in=[Level.COORDINATOR, Level.TWO_COORDINATORS],
            plan__erased_at__isnull=True,
            plan__left_at__isnull=True,
        )
        .annotate(approvals_count=Count("approvals"))
        .order_by("agreed_at", "id")
        .only("id", "plan_id", "category", "what_for", "amount_pence", "supplier", "level", "agreed_at", "created_at")
    )
    plan_ids = sorted({r.plan_id for r in waiting})
    keyworkers = _keyworker_names(plan_ids)
    since = now - datetime.timedelta(days=DUPLICATE_DAYS * 2)
    recent: dict[tuple[int, str], list[tuple[int, datetime.datetime]]] = {}
    for pk, plan_id, category, created in (
        BarrierRequest.objects.filter(plan_id__in=plan_ids, created_at__gte=since)
        .exclude(status__in=[Status.CANCELLED, Status.REFUSED])
        .values_list("pk", "plan_id", "category", "created_at")
    ):
        recent.setdefault((plan_id, category), []).append((pk, created))
    window = datetime.timedelta(days=DUPLICATE_DAYS)
    for r in waiting:
        r.category_name = names.get(r.category, r.category)  # type: ignore[attr-defined]
        r.keyworker_name = keyworkers.get(r.plan_id, "")  # type: ignore[attr-defined]
        r.waited = now - (r.agreed_at or r.created_at)  # type: ignore[attr-defined]
        same_kind = recent.get((r.plan_id, r.category), [])
        r.duplicate = any(pk != r.pk and abs(created - r.created_at) <= window for pk, created in same_kind)  # type: ignore[attr-defined]
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    waits = [
        (decided - agreed).total_seconds()
        for agreed, decided in BarrierRequest.objects.filter(
            partnership_id=partnership_id,
            decided_at__gte=month_start,
            agreed_at__isnull=False,
            level__in=[Level.COORDINATOR, Level.TWO_COORDINATORS],
        ).values_list("agreed_at", "decided_at")
        if agreed is not None and decided is not None
    ]
    return {
        "waiting": waiting,
        "median_wait": datetime.timedelta(seconds=statistics.median(waits)) if waits else None,
        "decided_this_month": len(waits),
    }


def outcomes(membership: Membership) -> dict[str, Any]:
    """Paid requests by kind of cost: how many, how much, and the share of linked goals met. A kind with fewer
    than ``MIN_GROUP`` payments is merged into "Other kinds"; if those together are still fewer, they are not
    shown at all, nor counted in the total."""
    partnership_id = membership.partnership_id
    pot = fund.flexible_pot(partnership_id)
    names = category_names(pot)
    rows = list(
        BarrierRequest.objects.filter(partnership_id=partnership_id, status=Status.PAID)
        .values("category")
        .annotate(
            payments=Count("id"),
            total_pence=Sum("amount_pence"),
            linked=Count("id", filter=Q(goal__isnull=False)),
            met=Count("id", filter=Q(goal__achieved_at__isnull=False)),
        )
        .order_by("category")
    )
    shown, small = [], {"payments": 0, "total_pence": 0, "linked": 0, "met": 0}
    for row in rows:
        if row["payments"] >= MIN_GROUP:
            shown.append({**row, "name": names.get(row["category"], row["category"])})
        else:
            for key in small:
                small[key] += row[key]
    other = small if small["payments"] >= MIN_GROUP else None
    # The total counts only what is shown, so that nothing about a merged-away small group can be worked out.
    counted = [*shown, *([other] if other else [])]
    totals = {key: sum(row[key] for row in counted) for key in small}
    for row in [*shown, *([other] if other else []), totals]:
        row["met_share"] = row["met"] / row["linked"] if row["linked"] else None
    return {
        "rows": shown,
        "other": other,
        "totals": totals if totals["payments"] >= MIN_GROUP else None,
        "min_group": MIN_GROUP,
    }
