"""The results pages: a quarter's overview (each service shown, "Other services", the organisations, the
partnership, and how answers came), a service's results with a run chart per statement, the export for
funders, and starting a test of change from a low or falling statement. Every figure comes from the results
selectors, which apply the small-groups rule; these views only choose the quarter and draw."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.evaluation import selectors
from coproduce.evaluation.instrument import STATEMENT_BY_KEY, STATEMENTS
from coproduce.evaluation.selectors.results import CSV_COLUMNS, Quarter
from coproduce.improvement import api as improvement_api
from coproduce.methods.csv_cells import neutralise
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view

NAV = "evaluation"
SOURCE_KEY = "evaluation.statement"  # the measure source evaluation registers for improvement


def _quarter(request: HttpRequest) -> Any:
    """The quarter asked for in ``?quarter=2026-Q3``; None (the newest she may see) when absent or not one."""
    try:
        return Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        return None


def _results_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, f"evaluation/results/{template}", {"nav_section": NAV, **context})
    response["Cache-Control"] = "no-store"  # results before the service responded, parents' words
    return response


def _may_see_results(actor: Any) -> None:
    if not may("evaluation.see_results", actor):
        raise NotPermitted()


@partnership_view("evaluation.view")
def results(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    _may_see_results(actor)
    quarter = _quarter(request)
    try:
        overview = selectors.results_overview(actor, quarter=quarter)
    except NotPermitted:
        if quarter is not None:
            raise
        # Staff whose services have no quarter released to them yet: the page says so.
        return _results_page(request, "overview.html", {"overview": None, "statements": STATEMENTS, "rows": []})
    rows = [*overview.subjects]
    if overview.other is not None:
        rows.append(overview.other)
    return _results_page(
        request,
        "overview.html",
        {
            "overview": overview,
            "statements": STATEMENTS,
            "rows": rows,
            "may_manage": may("evaluation.manage", actor),
        },
    )


def month_label(day: date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "F Y")


def chart_headline(chart: Any) -> str:
    """The chart in one sentence: "A shift upwards since May 2026.", "A trend downwards from March 2026 to
    July 2026.", or that there is no signal yet. Reads the signals ``core.charts`` found and marked."""
    reading = chart.reading
    if reading is None:
        return _("Not enough months yet for a chart: it needs two months with at least 5 answers each.")
    sentences = []
    for signal in reading.signals:
        if signal.rule not in ("shift", "trend"):
            continue
        first = chart.points[signal.points[0]].day
        last_index = signal.points[-1]
        way = _("upwards") if signal.direction > 0 else _("downwards")
        if signal.rule == "shift":
            if last_index == len(chart.points) - 1:
                sentence = _("A shift %(way)s since %(start)s.")
            else:
                sentence = _("A shift %(way)s from %(start)s to %(end)s.")
        elif last_index == len(chart.points) - 1:
            sentence = _("A trend %(way)s since %(start)s.")
        else:
            sentence = _("A trend %(way)s from %(start)s to %(end)s.")
        sentences.append(
            sentence % {"way": way, "start": month_label(first), "end": month_label(chart.points[last_index].day)}
        )
    if not sentences:
        return _("No shift or trend: the changes so far are within what chance alone would give.")
    return " ".join(sentences)


@partnership_view("evaluation.view")
def subject_results(request: HttpRequest, subject_id: int) -> HttpResponse:
    # Imported here, not at the top: the charts bring numpy, which every process would otherwise load at start.
    from coproduce.core import charts

    actor = acting_membership(request)
    _may_see_results(actor)
    quarter = _quarter(request)
    try:
        found = selectors.subject_results(actor, subject_id, quarter=quarter)
    except NotPermitted:
        subject = selectors.subject_for(actor, subject_id)
        if quarter is not None or not may("evaluation.see_results", actor, subject):
            raise
        # Her organisation's service, with no quarter released to its staff yet: the page says so.
        return _results_page(request, "subject.html", {"found": None, "subject": subject, "statements": []})
    subject = found.subject
    if not may("evaluation.see_results", actor, subject):
        raise NotPermitted()
    may_start = may("evaluation.start_test", actor, subject)
    statements = []
    for statement in found.statements:
        chart = charts.build(
            [(point.month, float(point.mean)) for point in statement.chart.points],
            measure=STATEMENT_BY_KEY[statement.key],
            by_month=True,
        )
        statements.append(
            {"result": statement, "chart": chart, "headline": chart_headline(chart), "may_start": may_start}
        )
    return _results_page(
        request,
        "subject.html",
        {
            "found": found,
            "subject": subject,
            "statements": statements,
            "may_manage": may("evaluation.manage", actor),
            # the parents' panel's review of this quarter and the service's response (ev-panel)
            "panel_review": selectors.review_summary(actor, subject.pk, found.quarter.start),
        },
    )


@partnership_view("evaluation.manage")
def results_csv(request: HttpRequest) -> HttpResponse:
    """One row per shown service and quarter, and "Other services" where services were merged (the overview's
    rows exactly), as a spreadsheet: UTF-8 with a byte order mark, text cells safe from formulas."""
    actor = acting_membership(request)
    rows = selectors.results_csv_rows(actor)
    columns = list(CSV_COLUMNS)
    headings = {
        "quarter": _("Quarter"),
        "service": _("Service"),
        "organisation": _("Organisation"),
        "answers": _("Answers"),
        **{f"mean_{s.key}": _("Average: %(statement)s") % {"statement": s.text} for s in STATEMENTS},
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([headings.get(name, name) for name in columns])
    for row in rows:
        writer.writerow([neutralise(str(row.get(name, ""))) for name in columns])
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    name = f"evaluation-results-{actor.partnership.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@partnership_view("evaluation.view")
@require_POST
def start_test(request: HttpRequest, subject_id: int) -> HttpResponse:
    """A test of change about one statement of one service, with the statement's monthly averages already
    linked as its measure; then the test's page, to plan it."""
    actor = acting_membership(request)
    subject = selectors.subject_for(actor, subject_id)
    if not may("evaluation.start_test", actor, subject):
        raise NotPermitted()
    statement = STATEMENT_BY_KEY.get(request.POST.get("statement", ""))
    back = cached_reverse(
        "evaluation:subject-results", kwargs={"slug": partnership_slug(request), "subject_id": subject.pk}
    )
    if statement is None:
        messages.error(request, _("Choose a statement to start a test of change about."))
        return redirect(back)
    name = subject.name if len(subject.name) <= 60 else subject.name[:59] + "…"
    try:
        test = improvement_api.test_start_linked(
            actor=actor,
            title=_("%(service)s: %(statement)s") % {"service": name, "statement": statement.short},
            aim_what=_("More parents who used %(service)s agree: “%(statement)s”.")
            % {"service": subject.name, "statement": statement.text},
            measure_name=_("%(service)s: %(statement)s, average of parents' answers (1 to 5)")
            % {"service": name, "statement": statement.short},
            source_key=SOURCE_KEY,
            ref=f"{subject.pk}:{statement.key}",
            organisation_id=subject.organisation_id,
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("A test of change is started, with parents' answers to “%(statement)s” as its measure. Plan it here.")
        % {"statement": statement.text},
    )
    return redirect(cached_reverse("improvement:test", kwargs={"slug": partnership_slug(request), "test_id": test.id}))
