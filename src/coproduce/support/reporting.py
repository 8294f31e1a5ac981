"""Support's figures for reports (``partnerships.reporting``): support plans, referrals, and the distance
travelled on the outcome wheel. Counts and averages only, never a plan's words or a person.

Scope "organisation" narrows referrals to those made to the organisation's services, scope "service" to one
directory service; plans and the outcome wheel are then those of the people referred to it. Five queries
whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.report_period import period_moments, scope_id
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable
from coproduce.support.models import OutcomeArea, Rating, Referral, ReferralUpdate, SupportPlan

KEY = "support"


def _referrals(query: ReportQuery) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(partnership_id=query.partnership_id)
    if query.scope == "organisation":
        return referrals.filter(organisation_id=scope_id(query.organisation_id))
    if query.scope == "service":
        return referrals.filter(service_id=scope_id(query.service_id))
    return referrals


PLANS_NOTE = _(
    "A plan is active in the period when it was active (started by the member, or accepted by her) on any day of "
    "it; a new plan is one started in the period."
)
NARROWED_PLANS = _("The plans of the people referred to it by the end of the period. ")


def tables(query: ReportQuery) -> list[ReportTable]:
    since, until = period_moments(query)
    pid = query.partnership_id
    referrals = _referrals(query)
    narrowed = query.scope != "partnership"

    # Plans: active on any day of the period (started by then and not erased or closed before it), and new.
    plans = SupportPlan.objects.filter(partnership_id=pid)
    if narrowed:
        # The plans of the people referred to it, by the end of the period.
        plans = plans.filter(Exists(referrals.filter(plan_id=OuterRef("pk"), created_at__lt=until)))
    plan_counts = plans.annotate(started=Coalesce("accepted_at", "created_at")).aggregate(
        active=Count(
            "id",
            filter=Q(status=SupportPlan.Status.ACTIVE)
            & Q(started__lt=until)
            & (Q(erased_at__isnull=True) | Q(erased_at__gte=since))
            & (Q(left_at__isnull=True) | Q(left_at__gte=since)),
        ),
        new=Count("id", filter=Q(created_at__gte=since, created_at__lt=until)),
    )

    # Referrals made in the period, and those that reached "accepted" or "completed" in it (each once).
    made = referrals.filter(created_at__gte=since, created_at__lt=until).count()
    steps = ReferralUpdate.objects.filter(referral__in=referrals, at__gte=since, at__lt=until).aggregate(
        accepted=Count("referral", distinct=True, filter=Q(status=Referral.Status.ACCEPTED)),
        completed=Count("referral", distinct=True, filter=Q(status=Referral.Status.COMPLETED)),
    )

    distance_rows = _distance_travelled(query, plans)
    return [
        ReportTable(
            key=f"{KEY}.plans",
            title=_("Support plans"),
            unit="count",
            rows=(
                ReportRow("active", _("Plans active"), plan_counts["active"]),
                ReportRow("new", _("New plans"), plan_counts["new"]),
            ),
            note=format_lazy("{}{}", NARROWED_PLANS if narrowed else "", PLANS_NOTE),
        ),
        ReportTable(
            key=f"{KEY}.referrals",
            title=_("Referrals"),
            unit="count",
            rows=(
                ReportRow("made", _("Referrals made"), made),
                ReportRow("accepted", _("Referrals accepted"), steps["accepted"]),
                ReportRow("completed", _("Referrals completed"), steps["completed"]),
            ),
            note=_(
                "Made: by the day the referral was sent. Accepted and completed: by the day the service said so; "
                "a referral sent earlier counts when it was accepted or completed in the period."
            ),
        ),
        ReportTable(
            key=f"{KEY}.distance",
            title=_("Distance travelled on the outcome wheel"),
            unit="score",
            rows=tuple(distance_rows),
            note=_(
                "For each area: the average change between a person's first and last agreed check-in ratings "
                "(1 to 10) within the period, among the people with two or more check-ins rating it in the "
                "period. A positive number is progress."
            ),
        ),
    ]


def _distance_travelled(query: ReportQuery, plans: QuerySet[SupportPlan]) -> list[ReportRow]:
    """One row per outcome area of the partnership: the average change and how many people it is built from.
    Two queries: the areas, and the ratings of the period in order."""
    rated = Rating.objects.filter(
        checkin__plan__in=plans,
        checkin__agreed_at__isnull=False,
        checkin__date__gte=query.start,
        checkin__date__lte=query.end,
    )
    # Each plan's ratings of each area in check-in order (by date, then the order the check-ins were made): the
    # first and the last of each run are its first and last ratings. One query of three small numbers a rating,
    # read in order from the check-ins' (plan, date) index: measured faster than grouping or window functions
    # in the database (benchmarks/report_sections.py; on SQLite 0.16 s against 0.26 s and 0.94 s for a year of
    # 2 000 members' 38 400 ratings).
    runs: dict[tuple[int, int], list[int]] = {}
    for area_id, plan_id, agreed in rated.order_by(
        "checkin__plan_id", "area_id", "checkin__date", "checkin_id"
    ).values_list("area_id", "checkin__plan_id", "agreed"):
        run = runs.setdefault((area_id, plan_id), [agreed, agreed, 0])
        run[1] = agreed
        run[2] += 1
    changes: dict[int, list[int]] = defaultdict(list)
    for (area_id, _plan_id), (first, last, count) in runs.items():
        if count >= 2:
            changes[area_id].append(last - first)
    rows = []
    for area in OutcomeArea.objects.filter(partnership_id=query.partnership_id).order_by("order", "name", "id"):
        found = changes.get(area.pk, [])
        if not area.active and not found:
            continue
        rows.append(
            ReportRow(
                f"area_{area.key}",
                area.name,
                round(sum(found) / len(found), 2) if found else None,
                counts_people=False,
                basis=len(found),
            )
        )
    return rows


SECTION = ReportSection(
    key=KEY,
    part="support",
    title=_("Support plans and referrals"),
    order=10,
    tables=tables,
    scopes=("partnership", "organisation", "service"),
)
