"""Decisions' figures for reports (``partnerships.reporting``): decisions closed in the period, the answers
(votes) given and the people who gave them. Counts only, never a proposal, a reason or a name.

Two queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from coproduce.decisions.models import Decision, Participation
from coproduce.partnerships.report_period import period_moments
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable

KEY = "decisions.participation"


def tables(query: ReportQuery) -> list[ReportTable]:
    since, until = period_moments(query)
    pid = query.partnership_id
    closed = Decision.objects.filter(
        partnership_id=pid, status=Decision.Status.CLOSED, closed_at__gte=since, closed_at__lt=until
    ).count()
    answers = Participation.objects.filter(
        decision__partnership_id=pid, created_at__gte=since, created_at__lt=until
    ).aggregate(
        n=Count("id"),
        people=Count("user", distinct=True),
    )
    return [
        ReportTable(
            key=KEY,
            title=_("Decisions made together"),
            unit="count",
            rows=(
                ReportRow("closed", _("Decisions closed"), closed, counts_people=False),
                ReportRow("votes", _("Votes cast"), answers["n"]),
                ReportRow("voters", _("People who voted"), answers["people"]),
            ),
            note=_(
                "Decisions count by the day they closed; votes by the day they were first given (a changed answer "
                "counts once). Ballots imported from a file count as votes but not as people."
            ),
        )
    ]


SECTION = ReportSection(
    key=KEY,
    part="participation",
    title=_("Decisions"),
    order=30,
    tables=tables,
    scopes=("partnership",),
)
