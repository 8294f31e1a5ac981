"""What the capabilities' report-figure tests share (``tests/<app>/test_reporting.py``): one period (the first
quarter of 2026, whose last days are in British Summer Time), moments just inside and just outside it, and
readers for the tables a section returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coproduce.partnerships.reporting import ReportQuery, ReportSection, ReportTable, report_sections

START = dt.date(2026, 1, 1)
END = dt.date(2026, 3, 31)


def local(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in the site's time zone (Europe/London)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


FIRST_MOMENT = local(START, 0, 0)  # inside: the first moment of the period
LAST_MOMENT = local(END, 23, 59)  # inside: a minute before it ends (BST)
BEFORE = local(START - dt.timedelta(days=1), 23, 59)  # outside: a minute before it starts
AFTER = local(END + dt.timedelta(days=1), 0, 0)  # outside: the first moment after it (BST)
INSIDE = local(dt.date(2026, 2, 10))


def query(partnership_id: int, **kwargs: Any) -> ReportQuery:
    return ReportQuery(
        partnership_id=partnership_id, start=kwargs.pop("start", START), end=kwargs.pop("end", END), **kwargs
    )


def section(key: str) -> ReportSection:
    found = [s for s in report_sections() if s.key == key]
    assert found, f"no report section {key!r} is registered"
    return found[0]


def values(tables: Iterable[ReportTable]) -> dict[str, Any]:
    """Every row's value by "table key/row key" (and "table key/total" for a total)."""
    found: dict[str, Any] = {}
    for table in tables:
        for row in table.rows:
            found[f"{table.key}/{row.key}"] = row.value
        if table.total is not None:
            found[f"{table.key}/total"] = table.total.value
    return found


def bases(tables: Iterable[ReportTable]) -> dict[str, Any]:
    return {f"{table.key}/{row.key}": row.basis for table in tables for row in table.rows}


def words(tables: Iterable[ReportTable]) -> str:
    """Every word a reader sees of the tables: titles, labels, notes and keys."""
    parts: list[str] = []
    for table in tables:
        parts += [table.key, str(table.title), str(table.note)]
        rows = [*table.rows, *([table.total] if table.total is not None else [])]
        for row in rows:
            parts += [row.key, str(row.label)]
    return "\n".join(parts)


def queries_for(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)
