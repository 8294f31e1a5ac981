"""The "My data" document written as files: one JSON document, or a readable zip.

The zip holds ``index.html``, one HTML page per capability (every table, every value escaped, dates in words,
one small style sheet inside the page so it reads offline), one CSV file per table (``<capability>/<table>.csv``,
text cells neutralised for spreadsheets, lists and objects as JSON in their cell) and the JSON document itself.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coproduce.methods.csv_cells import neutralise

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?$")


def my_data_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def readable(value: Any) -> str:
    """A value as a person reads it: dates in words, yes or no, a dash for nothing, lists joined."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return formats.date_format(datetime.date.fromisoformat(value), "j F Y")
        if _ISO_DATETIME.match(value):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "j F Y, H:i")
        return value
    if isinstance(value, list):
        return "; ".join(readable(item) for item in value) if value else "–"
    if isinstance(value, dict):
        return "; ".join(f"{_heading(str(k))}: {readable(v)}" for k, v in value.items()) if value else "–"
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


def my_data_zip(document: dict[str, Any]) -> bytes:
    made = readable(document["made_at"])
    pages = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key, part in document["capabilities"].items():
            tables = []
            for name, rows in part["tables"].items():
                columns = _columns(rows)
                tables.append(
                    {
                        "title": part["table_titles"].get(name, _heading(name)),
                        "csv": _csv_name(key, name),
                        "headings": [_heading(c) for c in columns],
                        "rows": [[readable(row.get(c)) for c in columns] for row in rows],
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
