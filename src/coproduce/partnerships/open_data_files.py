"""What every open dataset's web page, CSV file and JSON file have in common (``partnerships.open_data`` holds
the registry and the rules; this module the three answers).

A capability's ``open_data.py`` reads what it publishes as plain rows, once; its views hand those rows to
``open_page``, ``open_csv`` or ``open_json``, so the page, the CSV and the JSON always say the same thing.

* Counts of 1 to 4 are never published: ``shown_count`` turns them into ``None``, which a page and a CSV
  show as "fewer than 5" and JSON gives as ``null``.
* The web page uses the plain public layout (``open_data/layout.html``): no signed-in navigation, no form,
  no cookie set.
* The CSV is UTF-8 with a header row whose column names never change; the JSON is
  ``{"partnership": …, "licence": …, "generated": …, "items": [...]}``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.methods.suppression import MINIMUM_GROUP
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.open_data import LICENCE_NAMES, LICENCE_URLS, open_response

__all__ = ["count_text", "licence_of", "open_csv", "open_json", "open_page", "shown_count"]


def shown_count(n: int) -> int | None:
    """A count as open data may show it: 0, or 5 and more, as it is; 1 to 4 as ``None`` ("fewer than 5")."""
    return n if n == 0 or n >= MINIMUM_GROUP else None


def count_text(n: int | None) -> str:
    """A count already passed through ``shown_count``, in words for a page or a CSV cell."""
    return _("fewer than 5") if n is None else str(n)


def licence_of(partnership: Partnership) -> dict[str, str]:
    """The licence the partnership publishes under: its identifier, its name and where to read it."""
    key = partnership.open_data_licence
    return {"id": key, "name": str(LICENCE_NAMES.get(key, key)), "url": LICENCE_URLS.get(key, "")}


def open_page(
    request: HttpRequest, template: str, partnership: Partnership, context: Mapping[str, Any]
) -> HttpResponse:
    """A dataset's web page, for anyone."""
    response = render(
        request, template, {"open_partnership": partnership, "licence": licence_of(partnership), **context}
    )
    open_response(response)
    return response


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def open_csv(
    partnership: Partnership, name: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]
) -> HttpResponse:
    """A CSV download named ``<slug>-<name>.csv``: the header row ``columns``, then one line per row (each
    row's values under those keys; ``None`` is an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(column)) for column in columns])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-{name}.csv"'
    open_response(response)
    return response


def open_json(partnership: Partnership, items: list[dict[str, Any]]) -> JsonResponse:
    """The JSON download: who publishes it, under which licence, when it was made, and the items."""
    response = JsonResponse(
        {
            "partnership": {"name": partnership.name, "slug": partnership.slug},
            "licence": licence_of(partnership),
            "generated": timezone.now().isoformat(timespec="seconds"),
            "items": items,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    open_response(response)
    return response
