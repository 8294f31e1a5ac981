"""The report sections employability outcomes give (``partnerships.reporting``), registered in apps.py:

* "reach" (part "reach"): members in the partnership in the period, members new in the period, and members in
  each child-poverty priority family group (answered "yes"; a person may be in several, so not exclusive);
* "support.outcomes" (part "support"): members with each outcome in the period, jobs started paying at least
  the real Living Wage on the day (or less), and still in work 13, 26 and 52 weeks after starting. Narrows to an
  organisation: outcomes recorded by its staff.

Raw counts only: the builder suppresses groups under five, in one place. Each table is a fixed number of
queries, whatever the partnership's size.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Membership
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable
from coproduce.reports.models.outcomes import FOLLOW_UP_WEEKS, PRIORITY_GROUPS, Outcome, PriorityGroups

__all__ = ["REACH", "SUPPORT_OUTCOMES", "reach_tables", "support_outcome_tables"]


def _members(query: ReportQuery) -> QuerySet[Membership]:
    """Members of the partnership by the period's last day (those who left are no longer counted)."""
    return Membership.objects.filter(
        partnership_id=query.partnership_id, is_member=True, joined_at__date__lte=query.end
    )


def reach_tables(query: ReportQuery) -> list[ReportTable]:
    members = _members(query)
    figures = members.aggregate(members=Count("pk"), new=Count("pk", filter=Q(joined_at__date__gte=query.start)))
    people = ReportTable(
        key="reach.members",
        title=_("Members"),
        unit="count",
        rows=(
            ReportRow("members", _("Members in the period"), figures["members"]),
            ReportRow("new_members", _("New members in the period"), figures["new"]),
        ),
    )
    answered = PriorityGroups.objects.filter(member__in=members)
    yes = answered.aggregate(
        **{f"yes_{key}": Count("pk", filter=Q(**{key: PriorityGroups.Answer.YES})) for key, _label in PRIORITY_GROUPS},
        any_answer=Count(
            "pk",
            filter=Q(
                *[~Q(**{key: PriorityGroups.Answer.NOT_ASKED}) for key, _label in PRIORITY_GROUPS], _connector=Q.OR
            ),
        ),
    )
    labels = {
        "lone_parent": _("Lone parents"),
        "disability": _("Families with a disabled adult or child"),
        "three_plus_children": _("Families with three or more children"),
        "minority_ethnic": _("Minority ethnic families"),
        "youngest_under_one": _("Families whose youngest child is under one"),
        "mother_under_25": _("Mothers under 25"),
    }
    groups = ReportTable(
        key="reach.priority_groups",
        title=_("Members in the child-poverty priority family groups"),
        unit="count",
        rows=tuple(ReportRow(key, labels[key], yes[f"yes_{key}"]) for key, _label in PRIORITY_GROUPS),
        total=ReportRow("answered", _("Members who answered about their family"), yes["any_answer"]),
        exclusive=False,
        note=_("Voluntary: a member may answer “prefer not to say”, and may be in several groups."),
    )
    return [people, groups]


def _outcomes(query: ReportQuery) -> QuerySet[Outcome]:
    found = Outcome.objects.filter(partnership_id=query.partnership_id, on__gte=query.start, on__lte=query.end)
    if query.scope == "organisation":
        found = found.filter(organisation_id=query.organisation_id or 0)
    return found


def support_outcome_tables(query: ReportQuery) -> list[ReportTable]:
    outcomes = _outcomes(query)
    by_kind = dict(outcomes.values("kind").annotate(n=Count("member", distinct=True)).values_list("kind", "n"))
    kinds = ReportTable(
        key="support.outcomes.kinds",
        title=_("Members with each employability outcome"),
        unit="count",
        rows=tuple(ReportRow(kind.value, kind.label, by_kind.get(kind.value, 0)) for kind in Outcome.Kind),
        note=_("As the Scottish employability Shared Measurement Framework asks; a member may have several."),
    )
    jobs = outcomes.filter(kind=Outcome.Kind.JOB_STARTED).aggregate(
        all=Count("pk"),
        living_wage=Count("pk", filter=Q(pays_living_wage=True)),
        below=Count("pk", filter=Q(pays_living_wage=False)),
    )
    pay = ReportTable(
        key="support.outcomes.living_wage",
        title=_("Jobs started, by pay against the real Living Wage"),
        unit="count",
        rows=(
            ReportRow("living_wage", _("Paying at least the real Living Wage"), jobs["living_wage"]),
            ReportRow("below", _("Paying less than the real Living Wage"), jobs["below"]),
        ),
        total=ReportRow("jobs_started", _("Jobs started"), jobs["all"]),
        exclusive=True,
        note=_("Compared with the real Living Wage in force on the day each job started."),
    )
    sustained_counts = dict(
        outcomes.filter(kind__in=list(FOLLOW_UP_WEEKS)).values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    sustained = ReportTable(
        key="support.outcomes.sustained",
        title=_("Still in work after starting a job"),
        unit="count",
        rows=tuple(ReportRow(kind.value, kind.label, sustained_counts.get(kind.value, 0)) for kind in FOLLOW_UP_WEEKS),
        note=_("Follow-ups recorded in the period."),
    )
    return [kinds, pay, sustained]


REACH = ReportSection(
    key="reach", part="reach", title=_("Reach"), order=0, tables=reach_tables, scopes=("partnership",)
)
SUPPORT_OUTCOMES = ReportSection(
    key="support.outcomes",
    part="support",
    title=_("Employability outcomes"),
    order=50,
    tables=support_outcome_tables,
    scopes=("partnership", "organisation"),
)
