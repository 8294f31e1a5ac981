"""The "My data" document written as files: one JSON document, or a readable zip.

The zip holds ``index.html``, one HTML page per capability (every table, every value escaped, dates in words,
one small style sheet inside the page so it reads offline), one CSV file per table (``<capability>/<table>.csv``,
text cells neutralised for spreadsheets, lists and objects as JSON in their cell) and the JSON document itself.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from coproduce.methods.csv_cells import neutralise

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def my_data_json(document: dict[str, Any]) -> bytes:
    # Without indentation: Python's fast encoder (in C) takes only that; the readable copy is the zip's pages.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class _Words:
    """The words ``readable`` uses, translated once for a whole file rather than once a cell."""

    def __init__(self) -> None:
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.yes, self.no = _("Yes"), _("No")
        self.zone = timezone.get_current_timezone()

    def date(self, value: str) -> str:
        if _ISO_DATE.match(value):
            day = datetime.date.fromisoformat(value)
            return f"{day.day} {self.months[day.month]} {day.year}"
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(self.zone)
        return f"{moment.day} {self.months[moment.month]} {moment.year}, {moment:%H:%M}"


def readable(value: Any, words: _Words | None = None) -> str:
    """A value as a person reads it: dates in words, yes or no, a dash for nothing, lists joined."""
    words = words or _Words()
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return words.yes if value else words.no
    if isinstance(value, str):
        if value[:1].isdigit() and (_ISO_DATE.match(value) or _ISO_DATETIME.match(value)):
            return words.date(value)
        return value
    if isinstance(value, list):
        return "; ".join(readable(item, words) for item in value) if value else "–"
    if isinstance(value, dict):
        return "; ".join(f"{_heading(str(k))}: {readable(v, words)}" for k, v in value.items()) if value else "–"
    return str(value)


def _heading(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        for name in row:
            columns.setdefault(name, None)
    return list(columns)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return neutralise(json.dumps(value, ensure_ascii=False))
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def table_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = _columns(rows)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in columns])
    # With a byte order mark, so that spreadsheets read the text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def _csv_name(key: str, table: str) -> str:
    return f"{key}/{table}.csv"


def table_html(title: str, columns: list[str], rows: list[dict[str, Any]], words: _Words) -> str:
    """One table as HTML, every heading and cell escaped here (a big table is written far faster than by a
    template loop: ``benchmarks/my_data.py``)."""
    escape = html.escape
    head = "".join(f'<th scope="col">{escape(_heading(c))}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(readable(row.get(c), words))}</td>" for c in columns) + "</tr>" for row in rows
    )
    return (
        f'<div class="wrap" tabindex="0" role="region" aria-label="{escape(title)}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def my_data_zip(document: dict[str, Any]) -> bytes:
    words = _Words()
    made = readable(document["made_at"], words)
    pages = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, part in document["capabilities"].items():
            tables = []
            for name, rows in part["tables"].items():
                title = part["table_titles"].get(name, _heading(name))
                tables.append(
                    {
                        "title": title,
                        "csv": _csv_name(key, name),
                        "count": len(rows),
                        # Escaped by table_html, cell by cell.
                        "html": mark_safe(table_html(title, _columns(rows), rows, words)) if rows else "",  # noqa: S308  # nosec B308 B703
                    }
                )
                archive.writestr(_csv_name(key, name), table_csv(rows))
            page = f"{key}.html"
            pages.append({"href": page, "title": part["title"], "tables": tables})
            archive.writestr(
                page,
                render_to_string(
                    "partnerships/my_data_files/capability.html",
                    {"document": document, "made": made, "title": part["title"], "tables": tables},
                ),
            )
        archive.writestr(
            "index.html",
            render_to_string(
                "partnerships/my_data_files/index.html", {"document": document, "made": made, "pages": pages}
            ),
        )
        archive.writestr("my-data.json", my_data_json(document))
    return buffer.getvalue()
