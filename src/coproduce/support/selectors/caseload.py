"""A worker's caseload and a person's support notices."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from coproduce.notifications.api import notices_about
from coproduce.partnerships.models import Membership
from coproduce.support.models import Action, CheckIn, Referral, SupportPlan
from coproduce.support.selectors.access import keyworker_q

OPEN_REFERRAL_STATUSES = ("sent", "accepted", "started")
CASELOAD_LIST = 20  # the soonest or oldest of each list; the table of members shows every count


def caseload(membership: Membership, *, soon_days: int = 14) -> dict[str, Any]:
    """A worker's members, their actions due soon and the referrals waiting on them or their organisation.
    A fixed number of queries, however many members. Nothing written in a plan is read here (an action's due
    date and owner, not its text): the plan page shows the words and records the read."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=soon_days)
    plans = (
        SupportPlan.objects.filter(
            partnership_id=membership.partnership_id, erased_at__isnull=True, left_at__isnull=True
        )
        .filter(keyworker_q(membership))
        .select_related("member__user")
        .only("id", "status", "member__id", "member__user__id", "member__user__display_name")
        .annotate(
            actions_due=Count(
                "actions", filter=Q(actions__done_at__isnull=True, actions__due__lte=soon), distinct=True
            ),
            last_checkin=Subquery(
                CheckIn.objects.filter(plan=OuterRef("pk")).values("plan").annotate(m=Max("date")).values("m")[:1]
            ),
        )
        .order_by("member__user__display_name", "pk")
    )
    actions_due = list(
        Action.objects.filter(plan__in=plans.values("pk"), done_at__isnull=True, due__lte=soon)
        .select_related("plan__member__user", "owner_organisation")
        .only(
            "id",
            "due",
            "owner",
            "plan__id",
            "plan__member__id",
            "plan__member__user__id",
            "plan__member__user__display_name",
            "owner_organisation__name",
        )
        .order_by("due", "pk")[:CASELOAD_LIST]
    )
    waiting = list(
        Referral.objects.filter(
            partnership_id=membership.partnership_id,
            organisation_id=membership.organisation_id or 0,
            withdrawn_at__isnull=True,
            status__in=OPEN_REFERRAL_STATUSES,
        )
        .select_related("service", "plan__member__user")
        .order_by("updated_at")[:CASELOAD_LIST]
    )
    sent = list(
        Referral.objects.filter(plan__in=plans.values("pk"), status__in=OPEN_REFERRAL_STATUSES)
        .select_related("service", "organisation", "plan__member__user")
        .order_by("-updated_at")[:CASELOAD_LIST]
    )
    # Labels looked up once, not translated again for every row.
    statuses = {value: str(label) for value, label in Referral.Status.choices}
    owners = {value: str(label) for value, label in Action.Owner.choices}
    for referral in (*waiting, *sent):
        referral.status_label = statuses[referral.status]  # type: ignore[attr-defined]
    for action in actions_due:
        action.owner_label = owners[action.owner]  # type: ignore[attr-defined]
    plan_list = list(plans)
    plan_status = {value: str(label) for value, label in SupportPlan.Status.choices}
    for plan in plan_list:
        plan.status_label = plan_status[plan.status]  # type: ignore[attr-defined]
    return {"plans": plan_list, "actions_due": actions_due, "waiting": waiting, "sent": sent, "today": today}


def notifications_for(membership: Membership, limit: int = 10) -> list[Any]:
    """Support's unread notices to the person ("For you"), from the one inbox: those about things done are gone,
    and repeats about one thing are one line."""
    return notices_about(membership, kind_prefix="support.", limit=limit)
