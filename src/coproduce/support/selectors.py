"""Every read in support, narrowed to what the acting person may see.

``plan_access`` (and its short form ``plan_parts_visible_to``) is the one place that decides who sees which
part of a plan; ``plans_visible_to`` and ``referrals_visible_to`` are the same decision written as queries.
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

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted
from coproduce.core.prepared import PreparedQuery
from coproduce.partnerships.models import Membership, Organisation
from coproduce.support.models import (
    PART_VALUES,
    Action,
    CheckIn,
    ErasureRequest,
    Goal,
    LawfulBasis,
    NeedTag,
    OutcomeArea,
    PlanChange,
    PlanRead,
    Rating,
    Referral,
    ReferralUpdate,
    Service,
    Share,
    SupportNotification,
    SupportPlan,
    TeamMember,
)

ALL_PARTS = frozenset(PART_VALUES)
NONE: frozenset[str] = frozenset()
OPEN_REFERRAL_STATUSES = ("sent", "accepted", "started")
MIN_GROUP = 5  # no aggregate for fewer people than this is shown


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
_Row = TypeVar("_Row", SupportPlan, Goal, Action)


def require_access(access: PlanAccess, *, part: str | None = None, editing: bool = False) -> PlanAccess:
    """Return ``access`` if it reaches the plan at all, ``part`` of it (when named) and, with ``editing``, lets
    the person change it; raise the 404-shaped ``NotPermitted`` otherwise."""
    if not access.parts or (part is not None and part not in access.parts) or (editing and not access.may_edit):
        raise NotPermitted()
    return access


def _live_shares(plan: SupportPlan) -> QuerySet[Share]:
    return Share.objects.filter(plan=plan, withdrawn_at__isnull=True)


def _keyworker_q(membership: Membership) -> Q:
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
    if plan.erased_at is not None:
        return NO_ACCESS
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
        _live_shares(plan).filter(organisation_id=membership.organisation_id).values_list("part", flat=True)
    )
    return PlanAccess(parts)


def plan_parts_visible_to(membership: Membership | None, plan: SupportPlan | None) -> frozenset[str]:
    return plan_access(membership, plan).parts


def plans_visible_to(membership: Membership | None) -> QuerySet[SupportPlan]:
    """Plans of which this person may see at least one part (the same rule as ``plan_access``)."""
    if membership is None:
        return SupportPlan.objects.none()
    base = SupportPlan.objects.filter(partnership_id=membership.partnership_id, erased_at__isnull=True)
    mine = Q(member_id=membership.pk)
    if not membership.is_staff_role:
        return base.filter(mine)
    shared = Q(
        status=SupportPlan.Status.ACTIVE,
        pk__in=Share.objects.filter(organisation_id=membership.organisation_id or 0, withdrawn_at__isnull=True).values(
            "plan_id"
        ),
    )
    return base.filter(mine | _keyworker_q(membership) | shared)


def plan_for(
    membership: Membership, plan_id: int, *, part: str | None = None, editing: bool = False
) -> tuple[SupportPlan, PlanAccess]:
    """The plan and what this person may do with it; ``NotPermitted`` (a 404) if it is missing or out of their
    reach, or (see ``require_access``) ``part`` is not theirs to see, or they may not edit it."""
    plan = (
        SupportPlan.objects.filter(pk=plan_id, partnership_id=membership.partnership_id)
        .select_related("member__user")
        .annotate(
            keyworker_here=ExpressionWrapper(_keyworker_q(membership), output_field=BooleanField())
            if membership.is_staff_role
            else Value(False)
        )
        .first()
    )
    if plan is None:
        raise NotPermitted()
    return plan, require_access(plan_access(membership, plan), part=part, editing=editing)


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


def organisations_listing_services(membership: Membership) -> QuerySet[Organisation]:
    """The organisations whose services this person may add or change: any, for a coordinator; else their own."""
    organisations = organisations_of(membership)
    return organisations if membership.is_coordinator else organisations.filter(pk=membership.organisation_id or 0)


def outcome_areas(membership: Membership) -> list[OutcomeArea]:
    return list(OutcomeArea.objects.filter(partnership_id=membership.partnership_id, active=True))


def _item_for(
    membership: Membership, queryset: QuerySet[Any], item_id: int, part: str, editing: bool
) -> tuple[Any, PlanAccess]:
    item = queryset.filter(pk=item_id, plan__partnership_id=membership.partnership_id).select_related("plan").first()
    if item is None:
        raise NotPermitted()
    return item, require_access(plan_access(membership, item.plan), part=part, editing=editing)


def goal_for(membership: Membership, goal_id: int, *, editing: bool = False) -> tuple[Goal, PlanAccess]:
    """A goal of a plan whose goals this person sees (and, with ``editing``, may change); else ``NotPermitted``."""
    return _item_for(membership, Goal.objects.all(), goal_id, "goals", editing)


def action_for(membership: Membership, action_id: int, *, editing: bool = False) -> tuple[Action, PlanAccess]:
    """An action of a plan whose actions this person sees (and, with ``editing``, may change); else ``NotPermitted``."""
    return _item_for(membership, Action.objects.all(), action_id, "actions", editing)


def checkin_for(membership: Membership, checkin_id: int) -> tuple[CheckIn, PlanAccess]:
    """A check-in, with its ratings, of a plan whose check-ins this person sees; else ``NotPermitted``."""
    checkins = CheckIn.objects.select_related("recorded_by").prefetch_related(
        Prefetch("ratings", queryset=Rating.objects.select_related("area"))
    )
    return _item_for(membership, checkins, checkin_id, "checkins", False)


def as_saved(item: _Row) -> _Row:
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


# --- Referrals and the directory -------------------------------------------------------------------


def referrals_visible_to(membership: Membership | None) -> QuerySet[Referral]:
    if membership is None:
        return Referral.objects.none()
    base = Referral.objects.filter(partnership_id=membership.partnership_id, plan__erased_at__isnull=True)
    mine = Q(plan__member_id=membership.pk)
    if not membership.is_staff_role:
        return base.filter(mine)
    keyworker = Q(
        plan__in=SupportPlan.objects.filter(
            partnership_id=membership.partnership_id, status=SupportPlan.Status.ACTIVE
        ).filter(_keyworker_q(membership))
    )
    receiving = Q(organisation_id=membership.organisation_id, withdrawn_at__isnull=True)
    return base.filter(mine | keyworker | receiving)


def referral_for(membership: Membership, referral_id: int) -> Referral:
    """A referral this person may see; else ``NotPermitted``."""
    found = (
        referrals_visible_to(membership)
        .filter(pk=referral_id)
        .select_related("service", "organisation", "plan__member__user", "referred_by")
        .first()
    )
    if found is None:
        raise NotPermitted()
    return found


def referral_updates(referral: Referral) -> list[ReferralUpdate]:
    return list(ReferralUpdate.objects.filter(referral=referral))


def services_visible_to(membership: Membership, need: str = "") -> QuerySet[Service]:
    services = (
        Service.objects.filter(partnership_id=membership.partnership_id, active=True)
        .select_related("organisation")
        .prefetch_related("needs", "locations")
    )
    if need:
        services = services.filter(needs__key=need)
    return services.order_by("name")


def service_for(membership: Membership, service_id: int) -> Service:
    """A service in the directory; else ``NotPermitted``."""
    found = services_visible_to(membership).filter(pk=service_id).first()
    if found is None:
        raise NotPermitted()
    return found


def may_manage_service(actor: Membership, organisation: Organisation) -> bool:
    """A partner lead manages their own organisation's services; a coordinator manages any in the partnership."""
    if organisation.partnership_id != actor.partnership_id:
        return False
    return actor.is_coordinator or (actor.is_partner_lead and actor.organisation_id == organisation.pk)


def service_to_manage(membership: Membership, service_id: int) -> Service:
    """A service (active or not) this person may change; else ``NotPermitted``."""
    found = (
        Service.objects.filter(pk=service_id, partnership_id=membership.partnership_id)
        .select_related("organisation")
        .prefetch_related("needs", "locations")
        .first()
    )
    if found is None or not may_manage_service(membership, found.organisation):
        raise NotPermitted()
    return found


def need_tags_of(membership: Membership) -> QuerySet[NeedTag]:
    return NeedTag.objects.filter(partnership_id=membership.partnership_id)


def need_tags(membership: Membership) -> list[NeedTag]:
    return list(need_tags_of(membership))


# --- Caseload ---------------------------------------------------------------------------------------


CASELOAD_LIST = 20  # the soonest or oldest of each list; the table of members shows every count


def caseload(membership: Membership, *, soon_days: int = 14) -> dict[str, Any]:
    """A worker's members, their actions due soon and the referrals waiting on them or their organisation.
    A fixed number of queries, however many members. Nothing written in a plan is read here (an action's due
    date and owner, not its text): the plan page shows the words and records the read."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=soon_days)
    plans = (
        SupportPlan.objects.filter(partnership_id=membership.partnership_id, erased_at__isnull=True)
        .filter(_keyworker_q(membership))
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


def notifications_for(membership: Membership, limit: int = 10) -> list[SupportNotification]:
    return list(
        SupportNotification.objects.filter(user_id=membership.user_id, partnership_id=membership.partnership_id)[:limit]
    )


# --- Erasure and aggregates -------------------------------------------------------------------------


def open_erasure_requests(membership: Membership) -> QuerySet[ErasureRequest]:
    return ErasureRequest.objects.filter(
        partnership_id=membership.partnership_id, confirmed_at__isnull=True
    ).select_related("plan", "requested_by")


def open_erasure_for(membership: Membership, erasure_id: str) -> ErasureRequest:
    """One erasure waiting to be confirmed (``erasure_id`` as the form sent it); else ``NotPermitted``."""
    found = open_erasure_requests(membership).filter(pk=int(erasure_id)).first() if erasure_id.isdecimal() else None
    if found is None:
        raise NotPermitted()
    return found


def erasures_waiting(membership: Membership) -> bool:
    """Whether any erasure in this person's partnership waits for a coordinator."""
    return membership.is_coordinator and open_erasure_requests(membership).exists()


def erasure_asked(membership: Membership) -> bool:
    """Whether this person has asked for their plan to be erased and it is not yet done."""
    return ErasureRequest.objects.filter(
        requested_by=membership.user, partnership_id=membership.partnership_id, confirmed_at__isnull=True
    ).exists()


def lawful_bases(membership: Membership) -> list[LawfulBasis]:
    return list(LawfulBasis.objects.filter(partnership_id=membership.partnership_id))


def all_outcome_areas(membership: Membership) -> list[OutcomeArea]:
    """Every area of the outcome wheel, in use or not (for the settings page)."""
    return list(OutcomeArea.objects.filter(partnership_id=membership.partnership_id))


def outcome_area_for(membership: Membership, area_id: int) -> OutcomeArea:
    found = OutcomeArea.objects.filter(pk=area_id, partnership_id=membership.partnership_id).first()
    if found is None:
        raise NotPermitted()
    return found


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
            plans.filter(status="active", erased_at__isnull=True).count()
        ),
        "statuses": Referral.Status.choices,
        "referral_rows": referral_rows,
        "distances": distances,
        "min_group": MIN_GROUP,
    }


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
