"""Voice's open data, "you said, we did", for anyone: a page, a CSV file and a JSON file, all read from
``voice.open_data.open_ideas`` (signed out, GET only; 404 unless the partnership publishes open data)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from coproduce.partnerships.open_data import published_partnership
from coproduce.partnerships.open_data_files import open_csv, open_json, open_page
from coproduce.voice.open_data import CSV_COLUMNS, open_ideas


@require_safe
def open_responses(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_page(request, "voice/open/you_said_we_did.html", partnership, {"ideas": open_ideas(partnership)})


@require_safe
def open_responses_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    rows = [row for idea in open_ideas(partnership) for row in idea.csv_rows()]
    return open_csv(partnership, "you-said-we-did", CSV_COLUMNS, rows)


@require_safe
def open_responses_json(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_json(partnership, [idea.as_json() for idea in open_ideas(partnership)])
