"""The report builder's pages and downloads: building from the form (without JavaScript), the clear message for
a period that ends before it starts, the page while a report is built (it looks again by itself) and when it is
ready, and the CSV, its CSVW metadata and the OpenDocument spreadsheet read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from coproduce.partnerships.models import Membership, Partnership
from coproduce.reports.exports import CSV_COLUMNS
from coproduce.reports.models import ReportDefinition, ReportRun
from coproduce.reports.periods import Period
from coproduce.reports.services import builder as services
from tests.conftest import signed_in
from tests.factories import MembershipFactory
from tests.reports.builder_sections import sections  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("sections")


def url(partnership: Partnership, name: str, **kwargs: Any) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": partnership.slug, **kwargs})


def form_data(**overrides: str) -> dict[str, str]:
    return {
        "title": "Board report",
        "period_kind": "custom",
        "start": "2025-01-01",
        "end": "2029-12-31",
        "scope": "partnership",
        **overrides,
    }


@pytest.fixture
def finished(coordinator: Membership, partnership: Partnership, django_capture_on_commit_callbacks: Any) -> ReportRun:
    for _ in range(7):
        MembershipFactory(partnership=partnership, is_member=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_request(
            actor=coordinator,
            title="Board report",
            period=Period(date(2025, 1, 1), date(2029, 12, 31)),
            period_kind="custom",
        )
    run.refresh_from_db()
    return run


def test_a_coordinator_builds_a_report_from_the_form_and_is_taken_to_it(
    coordinator: Membership, partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(coordinator.user)
    page = client.get(url(partnership, "index"))
    assert page.status_code == 200
    assert b"Build a report" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(partnership, "index"), form_data(save="on"))
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == url(partnership, "run", run_id=run.pk)
    assert ReportDefinition.objects.get().title == "Board report"
    report = client.get(response["Location"])
    assert report.status_code == 200
    text = report.content.decode()
    assert "Print or save as PDF" in text
    assert "fewer than 5" in text
    assert "£12,500" in text  # money in, from the fund section
    assert 'http-equiv="refresh"' not in text


def test_a_period_that_ends_before_it_starts_gets_a_clear_message(
    coordinator: Membership, partnership: Partnership
) -> None:
    response = signed_in(coordinator.user).post(
        url(partnership, "index"), form_data(start="2026-06-30", end="2026-04-01")
    )
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not ReportRun.objects.exists()


def test_the_quarter_and_the_scope_are_asked_for_when_chosen(coordinator: Membership, partnership: Partnership) -> None:
    response = signed_in(coordinator.user).post(
        url(partnership, "index"), form_data(period_kind="quarter", quarter="", scope="organisation")
    )
    text = response.content.decode()
    assert "Choose a quarter." in text and "Choose an organisation." in text
    assert not ReportRun.objects.exists()


def test_a_report_being_built_says_how_far_it_got_and_looks_again_by_itself(
    coordinator: Membership, observer: Membership, partnership: Partnership
) -> None:
    run = ReportRun.objects.create(
        partnership=partnership,
        title="Slow",
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        status=ReportRun.Status.RUNNING,
        sections_done=2,
        sections_total=5,
    )
    text = signed_in(coordinator.user).get(url(partnership, "run", run_id=run.pk)).content.decode()
    assert 'http-equiv="refresh"' in text
    assert "2 of 5 parts done" in text
    assert "Check again" in text
    # Observers read finished reports only; the downloads wait for the figures.
    assert signed_in(observer.user).get(url(partnership, "run", run_id=run.pk)).status_code == 404
    assert signed_in(coordinator.user).get(url(partnership, "run-csv", run_id=run.pk)).status_code == 404


def test_an_observer_reads_finished_reports_but_builds_none(
    observer: Membership, partnership: Partnership, finished: ReportRun
) -> None:
    client = signed_in(observer.user)
    page = client.get(url(partnership, "index"))
    assert page.status_code == 200
    assert b"Build a report" not in page.content
    assert finished.title.encode() in page.content
    assert client.post(url(partnership, "index"), form_data()).status_code == 404
    assert client.get(url(partnership, "run", run_id=finished.pk)).status_code == 200
    assert ReportRun.objects.count() == 1


def test_the_csv_and_its_csvw_metadata_describe_the_same_columns(
    coordinator: Membership, partnership: Partnership, finished: ReportRun
) -> None:
    client = signed_in(coordinator.user)
    response = client.get(url(partnership, "run-csv", run_id=finished.pk))
    assert response["Content-Disposition"] == f'attachment; filename="report-{finished.pk}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [name for name, _type in CSV_COLUMNS]
    lone = next(row for row in rows if row["row"] == "lone_parent")
    assert (lone["value"], lone["status"]) == ("", "small")
    money = next(row for row in rows if row["row"] == "in")
    assert (money["value"], money["unit"], money["status"]) == ("1250000", "pence", "shown")

    metadata = json.loads(client.get(url(partnership, "run-csvw", run_id=finished.pk)).content)
    assert metadata["url"] == f"report-{finished.pk}.csv"
    assert "http://www.w3.org/ns/csvw" in metadata["@context"]
    columns = metadata["tableSchema"]["columns"]
    assert [c["name"] for c in columns] == list(rows[0])
    assert {c["name"]: c["datatype"] for c in columns}["value"] == "decimal"
    # The address of the metadata is the CSV's with "-metadata.json" added, as CSVW looks for it.
    assert (
        url(partnership, "run-csvw", run_id=finished.pk)
        == url(partnership, "run-csv", run_id=finished.pk) + "-metadata.json"
    )


def test_the_spreadsheet_has_a_sheet_per_part_numbers_as_numbers_and_suppressed_cells_as_words(
    coordinator: Membership, partnership: Partnership, finished: ReportRun
) -> None:
    from odf.namespaces import OFFICENS
    from odf.opendocument import load
    from odf.table import Table, TableCell

    response = signed_in(coordinator.user).get(url(partnership, "run-ods", run_id=finished.pk))
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    document = load(io.BytesIO(response.content))
    sheets = document.spreadsheet.getElementsByType(Table)
    assert [sheet.getAttribute("name") for sheet in sheets] == [
        "Reach",
        "Participation",
        "Support",
        "The fund",
        "Evaluation",
    ]
    cells = [
        (cell.attributes.get((OFFICENS, "value-type")), cell.attributes.get((OFFICENS, "value")), str(cell))
        for cell in sheets[0].getElementsByType(TableCell)
    ]
    assert ("float", "16", "16") in cells  # the families asked, a number
    assert ("string", None, "fewer than 5") in cells
    fund = [
        (cell.attributes.get((OFFICENS, "value-type")), cell.attributes.get((OFFICENS, "value")))
        for cell in sheets[3].getElementsByType(TableCell)
    ]
    assert ("currency", "12500") in fund


def test_saved_reports_are_built_again_and_deleted_from_the_page(
    coordinator: Membership, partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(partnership, "index"), form_data(save="on"))
    definition = ReportDefinition.objects.get()
    assert definition.title.encode() in client.get(url(partnership, "index")).content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(partnership, "definition-run", definition_id=definition.pk))
    assert ReportRun.objects.filter(definition=definition).count() == 2
    assert response.status_code == 302
    client.post(url(partnership, "definition-delete", definition_id=definition.pk))
    assert not ReportDefinition.objects.exists()


def test_the_reports_page_keeps_a_constant_number_of_queries(
    coordinator: Membership, partnership: Partnership, finished: ReportRun, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        ReportRun.objects.create(partnership=partnership, title=f"R{n}", start=date(2026, 1, 1), end=date(2026, 3, 31))
        ReportDefinition.objects.create(partnership=partnership, title=f"D{n}", period_kind="quarter")
    client = signed_in(coordinator.user)
    client.get(url(partnership, "index"))
    with django_assert_max_num_queries(14):
        assert client.get(url(partnership, "index")).status_code == 200
