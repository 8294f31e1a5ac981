"""Evaluation in the public API: a quarter's results, what parents said about the services they used, as the
results page shows them to the person asking.

Every figure comes from the results selector the page uses, which applies the small-groups rule: a service
with 1 to 4 answers in the quarter is merged into "Other services", a quarter with fewer than 5 answers in all
shows nothing, and a statement's average only where at least 5 answers scored it. Coordinators and members of
the parents' panel see every service; workers and partner leads their organisation's services, each quarter
once its review is released; anyone else gets a 404, as on the page. No free text is given here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema

from coproduce.api.framework import ProblemError, actor, may, router
from coproduce.core.exceptions import NotPermitted
from coproduce.evaluation import selectors
from coproduce.evaluation.instrument import STATEMENTS
from coproduce.evaluation.selectors.results import Quarter

r = router("evaluation")


class StatementOut(Schema):
    key: str
    text: str
    short: str


class MeanOut(Schema):
    statement: str  # the statement's key
    mean: float | None  # the average score from 1 to 5 (2 places); None when fewer than 5 answers scored it


class ResultRowOut(Schema):
    kind: str  # subject (a service), other (the services merged), organisation, partnership or mode
    label: str
    answers: int
    service_id: int | None
    organisation_id: int | None
    mode: str  # for a mode row: online, paper, read_out, or other (the ways merged)
    means: list[MeanOut]


class EvaluationResultsOut(Schema):
    quarter: str | None  # "2026-Q3"; None when no quarter is released to you yet
    quarter_label: str | None
    quarters: list[str]  # the quarters you may ask for, newest first
    whole_partnership: bool  # you see every service (a coordinator or panel member)
    nothing_shown: bool  # fewer than 5 answers in the quarter: no figures at all
    statements: list[StatementOut]
    partnership: ResultRowOut | None
    organisations: list[ResultRowOut]
    services: list[ResultRowOut]
    other: ResultRowOut | None  # "Other services": the services with fewer than 5 answers, merged
    modes: list[ResultRowOut]  # how answers came, for the whole partnership


def _row(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "kind": row.kind,
        "label": str(row.label),
        "answers": row.answers,
        "service_id": row.subject_id,
        "organisation_id": row.organisation_id,
        "mode": row.mode,
        "means": [
            {"statement": figure.key, "mean": None if figure.mean is None else float(figure.mean)}
            for figure in row.figures
        ],
    }


@r.get("/partnerships/{slug}/evaluation/results", response=EvaluationResultsOut)
def results(
    request: HttpRequest,
    slug: str,
    quarter: str | None = None,
) -> Any:
    """A quarter's results, for the whole partnership, its organisations and services, as the results page
    shows them to you (groups under 5 are never shown). ``quarter``: such as 2026-Q3; the newest you may see
    when left out."""
    person = actor(request, slug)
    if not may("evaluation.see_results", person):
        raise NotPermitted()
    asked = None
    if quarter:
        try:
            asked = Quarter.parse(quarter)
            _first_and_next = (asked.start, asked.after)  # a year the calendar cannot hold (0000) is refused here
        except ValueError as error:
            raise ProblemError(
                400, _("Give a quarter such as 2026-Q3."), errors=[("quarter", _("Give a quarter such as 2026-Q3."))]
            ) from error
    statements = [{"key": s.key, "text": str(s.text), "short": str(s.short)} for s in STATEMENTS]
    try:
        overview = selectors.results_overview(person, quarter=asked)
    except NotPermitted:
        if asked is not None:
            raise
        # Staff whose services have no quarter released to them yet: the page says so, and so does this.
        return {
            "quarter": None,
            "quarter_label": None,
            "quarters": [],
            "whole_partnership": False,
            "nothing_shown": True,
            "statements": statements,
            "partnership": None,
            "organisations": [],
            "services": [],
            "other": None,
            "modes": [],
        }
    return {
        "quarter": overview.quarter.code,
        "quarter_label": str(overview.quarter.label),
        "quarters": [q.code for q in overview.quarters],
        "whole_partnership": overview.whole_partnership,
        "nothing_shown": overview.nothing_shown,
        "statements": statements,
        "partnership": _row(overview.partnership),
        "organisations": [_row(row) for row in overview.organisations],
        "services": [_row(row) for row in overview.subjects],
        "other": _row(overview.other),
        "modes": [_row(row) for row in overview.modes],
    }
