"""A member's own data."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from coproduce.partnerships.models import Membership
from coproduce.support.models import (
    Action,
    CheckIn,
    Goal,
    PlanChange,
    PlanRead,
    Rating,
    Referral,
    Share,
    TeamMember,
)
from coproduce.support.selectors.plans import own_plan


def my_data(membership: Membership) -> dict[str, Any]:
    """Everything support holds about this member, as plain data (for the download and the readable page)."""

    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    plan = own_plan(membership)
    data: dict[str, Any] = {
        "person": {"name": membership.user.display_name, "email": membership.user.email},
        "partnership": membership.partnership.name,
        "plan": None,
    }
    if plan is None:
        return data
    data["plan"] = {
        "started": when(plan.created_at),
        "status": plan.status,
        "about_me": {
            "what_matters": plan.what_matters,
            "strengths": plan.strengths,
            "wants": plan.wants,
            "barriers": plan.barriers,
        },
        "goals": [
            {"goal": g.text, "why": g.why, "when_by": when(g.target_date), "achieved": when(g.achieved_at)}
            for g in Goal.objects.filter(plan=plan)
        ],
        "actions": [
            {
                "action": a.text,
                "owner": a.get_owner_display(),
                "organisation": a.owner_organisation.name if a.owner_organisation else None,
                "due": when(a.due),
                "done": when(a.done_at),
            }
            for a in Action.objects.filter(plan=plan).select_related("owner_organisation")
        ],
        "team": [
            {
                "name": t.membership.user.display_name,
                "organisation": t.membership.organisation.name if t.membership.organisation else None,
                "role": t.role,
                "agreed": when(t.agreed_at),
                "ended": when(t.ended_at),
            }
            for t in TeamMember.objects.filter(plan=plan).select_related("membership__user", "membership__organisation")
        ],
        "check_ins": [
            {
                "date": when(c.date),
                "notes": c.notes,
                "agreed": when(c.agreed_at),
                "ratings": [
                    {"area": r.area.name, "mine": r.member_rating, "worker": r.worker_rating, "agreed": r.agreed}
                    for r in c.ratings.all()
                ],
            }
            for c in CheckIn.objects.filter(plan=plan).prefetch_related(
                Prefetch("ratings", queryset=Rating.objects.select_related("area"))
            )
        ],
        "sharing": [
            {
                "organisation": s.organisation.name,
                "part": s.part,
                "purpose": s.purpose,
                "lawful_basis": s.lawful_basis,
                "given": when(s.given_at),
                "withdrawn": when(s.withdrawn_at),
            }
            for s in Share.objects.filter(plan=plan).select_related("organisation")
        ],
        "referrals": [
            {
                "service": r.service.name,
                "organisation": r.organisation.name,
                "status": r.status,
                "shared": r.shared_parts,
                "note": r.note,
                "sent": when(r.created_at),
                "decline_reason": r.decline_reason,
                "updates": [
                    {"status": u.status, "message": u.message, "by": u.by_label, "at": when(u.at)}
                    for u in r.updates.all()
                ],
            }
            for r in Referral.objects.filter(plan=plan)
            .select_related("service", "organisation")
            .prefetch_related("updates")
        ],
        "who_has_looked": [
            {
                "who": r.reader_label,
                "organisation": r.organisation_label,
                "parts": r.parts,
                "page": r.page,
                "at": when(r.read_at),
            }
            for r in PlanRead.objects.filter(plan=plan)
        ],
        "history": [
            {"change": c.summary, "by": c.changed_by_label, "at": when(c.changed_at)}
            for c in PlanChange.objects.filter(plan=plan)
        ],
    }
    return data
