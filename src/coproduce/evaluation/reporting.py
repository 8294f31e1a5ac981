"""Evaluation's figures for reports (``partnerships.reporting``): how many answers parents gave about the
services and events they used, and the mean of each of the six statements. Counts and means only, never a
remark, a subject's answers one by one, or a person.

Scope "organisation" narrows to what the organisation's services and events got; scope "service" to one
directory service (the subject evaluation keeps for it). One query whatever the number of answers."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from coproduce.evaluation.instrument import STATEMENTS
from coproduce.evaluation.models import Answer
from coproduce.partnerships.report_period import scope_id
from coproduce.partnerships.reporting import ReportQuery, ReportRow, ReportSection, ReportTable

KEY = "evaluation"


def tables(query: ReportQuery) -> list[ReportTable]:
    # Answers are kept by month (``period``, its first day): a month counts when any day of it is in the period.
    answers = Answer.objects.filter(
        partnership_id=query.partnership_id, period__gte=query.start.replace(day=1), period__lte=query.end
    )
    if query.scope == "organisation":
        answers = answers.filter(subject__organisation_id=scope_id(query.organisation_id))
    elif query.scope == "service":
        answers = answers.filter(subject__source_key=f"support.service:{scope_id(query.service_id)}")
    aggregates: dict[str, Any] = {"n": Count("id")}
    for statement in STATEMENTS:
        aggregates[f"{statement.key}_mean"] = Avg(statement.key)
        aggregates[f"{statement.key}_n"] = Count("id", filter=Q(**{f"{statement.key}__isnull": False}))
    found = answers.aggregate(**aggregates)
    means = tuple(
        ReportRow(
            statement.key,
            statement.text,
            None if found[f"{statement.key}_mean"] is None else round(float(found[f"{statement.key}_mean"]), 2),
            counts_people=False,
            basis=found[f"{statement.key}_n"],
        )
        for statement in STATEMENTS
    )
    return [
        ReportTable(
            key=f"{KEY}.answers",
            title=_("Answers about services and events"),
            unit="count",
            rows=(ReportRow("answers", _("Answers given"), found["n"]),),
            note=_(
                "Answers are kept by the month they are for: a month counts when any day of it falls in the "
                "period. A withdrawn answer is gone and does not count."
            ),
        ),
        ReportTable(
            key=f"{KEY}.statements",
            title=_("What parents said"),
            unit="score",
            rows=means,
            note=_(
                "The mean of each statement, from 1 (strongly disagree) to 5 (strongly agree), over the answers "
                'to it; "I\'d rather not say" counts in no mean.'
            ),
        ),
    ]


SECTION = ReportSection(
    key=KEY,
    part="evaluation",
    title=_("Evaluation by the people served"),
    order=10,
    tables=tables,
    scopes=("partnership", "organisation", "service"),
)
