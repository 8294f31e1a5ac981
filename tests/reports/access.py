"""Rows of the URL × role table in tests/test_url_access.py: the report builder.

In the world below a coordinator built a report that is finished, and saved its definition. Coordinators build,
save and delete; coordinators and observers read finished reports and download them; everyone else (partner
leads too: docs/reports.md) gets the 404 of a page that does not exist."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.test_url_access import COORDINATOR_PAGE, only

READERS = only("coordinator", "observer")
COORDINATOR_POST_ONLY = {**COORDINATOR_PAGE, "coordinator": 405}

ROWS: dict[str, dict[str, int]] = {
    "reports:index": READERS,
    "reports:run": READERS,
    "reports:run-csv": READERS,
    "reports:run-csvw": READERS,
    "reports:run-ods": READERS,
    "reports:definition-run": COORDINATOR_POST_ONLY,
    "reports:definition-delete": COORDINATOR_POST_ONLY,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.reports.models import ReportDefinition, ReportRun

    coordinator = world["people"]["coordinator"]
    definition = ReportDefinition.objects.create(
        partnership=world["partnership"], title="Board report", period_kind="quarter", created_by=coordinator.user
    )
    run = ReportRun.objects.create(
        partnership=world["partnership"],
        definition=definition,
        title="Board report",
        start=date(2026, 4, 1),
        end=date(2026, 6, 30),
        scope_label="Here",
        requested_by=coordinator.user,
        status=ReportRun.Status.DONE,
        result={"title": "Board report", "start": "2026-04-01", "end": "2026-06-30", "parts": []},
    )
    by_run = {"run_id": run.pk}
    by_definition = {"definition_id": definition.pk}
    return {
        "reports:run": by_run,
        "reports:run-csv": by_run,
        "reports:run-csvw": by_run,
        "reports:run-ods": by_run,
        "reports:definition-run": by_definition,
        "reports:definition-delete": by_definition,
    }
