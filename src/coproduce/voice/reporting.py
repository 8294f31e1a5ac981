"""Voice's figures for reports (``partnerships.reporting``): ideas shared, comments, supports and responses
("you said, we did") in the period, and how many people took part. Counts only, never an idea or a name.

Five queries whatever the number of rows: one aggregate per table read, and one for the people who did any
of the three."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.report_period import period_moments
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable
from coproduce.voice.models import Comment, Idea, Response, Support

KEY = "voice.participation"


def tables(query: ReportQuery) -> list[ReportTable]:
    since, until = period_moments(query)
    pid = query.partnership_id
    ideas = Idea.objects.filter(partnership_id=pid, created_at__gte=since, created_at__lt=until)
    comments = Comment.objects.filter(idea__partnership_id=pid, created_at__gte=since, created_at__lt=until)
    supports = Support.objects.filter(idea__partnership_id=pid, created_at__gte=since, created_at__lt=until)
    responses = Response.objects.filter(idea__partnership_id=pid, created_at__gte=since, created_at__lt=until)

    idea_counts = ideas.aggregate(n=Count("id"), people=Count("author", distinct=True))
    comment_counts = comments.aggregate(n=Count("id"), people=Count("author", distinct=True))
    support_counts = supports.aggregate(n=Count("id"), people=Count("user", distinct=True))
    response_count = responses.count()
    # A person counts once however many of the three she did (the union removes repeats).
    anyone = (
        ideas.filter(author__isnull=False)
        .order_by()
        .values_list("author_id")
        .union(
            comments.filter(author__isnull=False).order_by().values_list("author_id"),
            supports.filter(user__isnull=False).order_by().values_list("user_id"),
        )
        .count()
    )
    return [
        ReportTable(
            key=KEY,
            title=_("Ideas"),
            unit="count",
            rows=(
                ReportRow("ideas", _("Ideas shared"), idea_counts["n"]),
                ReportRow("comments", _("Comments on ideas"), comment_counts["n"]),
                ReportRow("supports", _("Supports given to ideas"), support_counts["n"]),
                ReportRow("responses", _("Responses recorded (you said, we did)"), response_count),
            ),
            note=_(
                "By the day each was written. Ideas and comments later withdrawn or hidden still count: they were "
                "shared in the period."
            ),
        ),
        ReportTable(
            key=f"{KEY}.people",
            title=_("People who took part in ideas"),
            unit="count",
            rows=(
                ReportRow("shared", _("People who shared an idea"), idea_counts["people"]),
                ReportRow("commented", _("People who commented"), comment_counts["people"]),
                ReportRow("supported", _("People who supported an idea"), support_counts["people"]),
                ReportRow("any", _("People who did any of these"), anyone),
            ),
            note=_(
                "Each person counts once in a row however often she took part. People who have since asked for "
                "their data to be erased are not counted here, though what they did still counts above."
            ),
        ),
    ]


SECTION = ReportSection(
    key=KEY,
    part="participation",
    title=_("Ideas"),
    order=10,
    tables=tables,
    scopes=("partnership",),
)
