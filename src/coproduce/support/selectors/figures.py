"""The partnership's figures: counts and averages, never contents."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from coproduce.partnerships.models import Membership
from coproduce.support.models import OutcomeArea, Rating, Referral, SupportPlan

MIN_GROUP = 5  # no aggregate for fewer people than this is shown


def aggregates(membership: Membership) -> dict[str, Any]:
    """Counts and averages, never contents; any group of fewer than MIN_GROUP plans is not shown."""
    partnership_id = membership.partnership_id
    plans = SupportPlan.objects.filter(partnership_id=partnership_id)
    plan_count = plans.count()
    by_status: dict[tuple[str, str], int] = {}
    for row in (
        Referral.objects.filter(partnership_id=partnership_id)
        .values("organisation__name", "status")
        .annotate(n=Count("plan", distinct=True), total=Count("id"))
    ):
        if row["n"] >= MIN_GROUP:
            by_status[(row["organisation__name"], row["status"])] = row["total"]
    organisations = sorted({org for org, _status in by_status})
    referral_rows = [
        {"organisation": org, "counts": [by_status.get((org, status)) for status in Referral.Status.values]}
        for org in organisations
    ]
    distances = []
    first_last: dict[tuple[int, int], list[int]] = {}
    for area_id, plan_id, agreed in (
        Rating.objects.filter(checkin__plan__partnership_id=partnership_id, checkin__agreed_at__isnull=False)
        .order_by("area_id", "checkin__plan_id", "checkin__date", "checkin_id")
        .values_list("area_id", "checkin__plan_id", "agreed")
    ):
        entry = first_last.setdefault((area_id, plan_id), [agreed, agreed, 0])
        entry[1] = agreed
        entry[2] += 1
    areas = {area.pk: area for area in OutcomeArea.objects.filter(partnership_id=partnership_id)}
    per_area: dict[int, list[int]] = {}
    for (area_id, _plan_id), (first, last, count) in first_last.items():
        if count >= 2:
            per_area.setdefault(area_id, []).append(last - first)
    for area_id, area in areas.items():
        changes = per_area.get(area_id, [])
        distances.append(
            {
                "area": area,
                "plans": len(changes) if len(changes) >= MIN_GROUP else None,
                "average": round(sum(changes) / len(changes), 1) if len(changes) >= MIN_GROUP else None,
            }
        )
    return {
        "plan_count": plan_count if plan_count >= MIN_GROUP else None,
        "active_count": (lambda n: n if n >= MIN_GROUP else None)(
            plans.filter(status="active", erased_at__isnull=True, left_at__isnull=True).count()
        ),
        "statuses": Referral.Status.choices,
        "referral_rows": referral_rows,
        "distances": distances,
        "min_group": MIN_GROUP,
    }
