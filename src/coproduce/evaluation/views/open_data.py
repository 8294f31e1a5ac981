"""Evaluation's open data for anyone: a page, a CSV file and a JSON file, all read from
``evaluation.open_data.open_results`` (signed out, GET only; 404 unless the partnership publishes open data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from coproduce.evaluation.open_data import CSV_COLUMNS, open_results
from coproduce.partnerships.open_data import published_partnership
from coproduce.partnerships.open_data_files import open_csv, open_json, open_page


@require_safe
def open_results_page(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    context = {"quarters": open_results(partnership)}
    return open_page(request, "evaluation/open/results.html", partnership, context)


@require_safe
def open_results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    rows = [row for quarter in open_results(partnership) for row in quarter.csv_rows()]
    return open_csv(partnership, "evaluation", CSV_COLUMNS, rows)


@require_safe
def open_results_json(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_json(partnership, [quarter.as_json() for quarter in open_results(partnership)])
