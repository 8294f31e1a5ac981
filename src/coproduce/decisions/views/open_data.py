"""Decisions' open data for anyone: a page, a CSV file and a JSON file, all read from
``decisions.open_data.open_decisions`` (signed out, GET only; 404 unless the partnership publishes open data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from coproduce.decisions.open_data import CSV_COLUMNS, open_decisions
from coproduce.partnerships.open_data import published_partnership
from coproduce.partnerships.open_data_files import open_csv, open_json, open_page


@require_safe
def open_decisions_page(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    context = {"decisions": open_decisions(partnership)}
    return open_page(request, "decisions/open/decisions.html", partnership, context)


@require_safe
def open_decisions_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_csv(partnership, "decisions", CSV_COLUMNS, [d.csv_row() for d in open_decisions(partnership)])


@require_safe
def open_decisions_json(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_json(partnership, [d.as_json() for d in open_decisions(partnership)])
