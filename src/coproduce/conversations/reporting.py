"""Conversations' figures for reports (``partnerships.reporting``): conversations open in the period,
statements added, votes cast and the people who voted. Counts only, never a statement or a name.

Three queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from coproduce.conversations.models import Conversation, Statement, VoteEvent
from coproduce.partnerships.report_period import period_moments
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable

KEY = "conversations.participation"


def tables(query: ReportQuery) -> list[ReportTable]:
    since, until = period_moments(query)
    pid = query.partnership_id
    open_count = Conversation.objects.filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=since), partnership_id=pid, opens_at__lt=until
    ).count()
    statements = Statement.objects.filter(
        conversation__partnership_id=pid, created_at__gte=since, created_at__lt=until
    ).count()
    votes = VoteEvent.objects.filter(conversation__partnership_id=pid, cast_at__gte=since, cast_at__lt=until).aggregate(
        n=Count("id"),
        people=Count("participant__user", distinct=True),
        # Participants imported from Pol.is have no account here: each counts once per conversation.
        unnamed=Count("participant", distinct=True, filter=Q(participant__user__isnull=True)),
    )
    return [
        ReportTable(
            key=KEY,
            title=_("Conversations"),
            unit="count",
            rows=(
                ReportRow("conversations", _("Conversations open"), open_count, counts_people=False),
                ReportRow("statements", _("Statements added"), statements),
                ReportRow("votes", _("Votes cast"), votes["n"]),
                ReportRow("voters", _("People who voted"), votes["people"] + votes["unnamed"]),
            ),
            note=_(
                "A conversation counts when it was open on any day of the period. Statements count by the day "
                "they were added, votes by the day they were cast; a changed vote counts again."
            ),
        )
    ]


SECTION = ReportSection(
    key=KEY,
    part="participation",
    title=_("Conversations"),
    order=20,
    tables=tables,
    scopes=("partnership",),
)
