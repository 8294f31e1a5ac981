"""A finished report's downloads, made from its stored result (already suppressed: nothing here decides what
may be shown): one CSV with its CSV on the Web metadata (W3C CSVW, ``tableSchema`` with each column's title
and datatype), and an OpenDocument spreadsheet with one sheet per part (numbers as numbers, a suppressed figure
as the text "fewer than 5"). No queries: a result in, bytes out."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.money import format_pence
from coproduce.methods.csv_cells import neutralise
from coproduce.reports.suppress import NOT_RECORDED, SMALL

# Stable column names: a funder's spreadsheet that reads one quarter's file reads the next.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("part", "string"),
    ("section", "string"),
    ("table", "string"),
    ("row", "string"),
    ("label", "string"),
    ("unit", "string"),
    ("value", "decimal"),
    ("status", "string"),
)


def column_titles() -> dict[str, str]:
    return {
        "part": _("Part"),
        "section": _("Section"),
        "table": _("Table"),
        "row": _("Row"),
        "label": _("What is counted"),
        "unit": _("Unit"),
        "value": _("Value"),
        "status": _("Status"),
    }


def status_words(state: str) -> str:
    if state == SMALL:
        return _("fewer than 5")
    if state == NOT_RECORDED:
        return _("not recorded")
    return _("shown")


def display(cell: dict[str, Any], unit: str) -> str:
    """A cell in words, for the page and the spreadsheet's text: "£1,250.00", "12", "fewer than 5"."""
    if cell["state"] != "shown":
        return status_words(cell["state"])
    value = cell["value"]
    if unit == "pence":
        return format_pence(int(value))
    if unit == "percent":
        return f"{value:.0f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def table_rows(table: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A table's rows, then its total (keyed "total")."""
    yield from table["rows"]
    if table.get("total"):
        yield {**table["total"], "key": "total"}


def flat_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per figure: the CSV's rows, in the report's order."""
    for part in result.get("parts", []):
        for section in part["sections"]:
            for table in section["tables"]:
                for cell in table_rows(table):
                    yield {
                        "part": part["key"],
                        "section": section["key"],
                        "table": table["key"],
                        "row": cell["key"],
                        "label": cell["label"],
                        "unit": table["unit"],
                        "value": cell["value"] if cell["state"] == "shown" else None,
                        "status": cell["state"],
                    }


def report_csv(result: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _type in CSV_COLUMNS])
    for row in flat_rows(result):
        writer.writerow(
            [
                row["part"],
                row["section"],
                row["table"],
                row["row"],
                neutralise(row["label"]),
                row["unit"],
                "" if row["value"] is None else _number(row["value"]),
                row["status"],
            ]
        )
    return out.getvalue().encode("utf-8")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def report_csvw(result: dict[str, Any], *, csv_name: str, licence: str = "") -> bytes:
    """The CSV's metadata (https://www.w3.org/TR/tabular-metadata/): its title, period, and each column."""
    titles = column_titles()
    metadata: dict[str, Any] = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_name,
        "dc:title": result.get("title", ""),
        "dc:description": _(
            "Figures for %(scope)s from %(start)s to %(end)s. Groups of fewer than 5 people are not shown."
        )
        % {"scope": result.get("scope_label", ""), "start": result.get("start"), "end": result.get("end")},
        "dc:temporal": f"{result.get('start')}/{result.get('end')}",
        "dc:created": {"@value": result.get("built_at", ""), "@type": "xsd:dateTime"},
        "dialect": {"header": True, "encoding": "utf-8", "lineTerminators": ["\r\n"]},
        "tableSchema": {
            "columns": [
                {"name": name, "titles": str(titles[name]), "datatype": datatype, "required": name != "value"}
                for name, datatype in CSV_COLUMNS
            ],
        },
    }
    if licence:
        metadata["dc:license"] = {"@id": licence}
    return json.dumps(metadata, indent=2, ensure_ascii=False).encode("utf-8")


def report_ods(result: dict[str, Any]) -> bytes:
    """An OpenDocument spreadsheet: a sheet per part, each table under its title, figures as numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    def text_cell(text: str) -> TableCell:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=text))
        return cell

    def row_of(*cells: TableCell) -> TableRow:
        row = TableRow()
        for cell in cells:
            row.addElement(cell)
        return row

    document = OpenDocumentSpreadsheet()
    for part in result.get("parts", []):
        sheet = Table(name=_sheet_name(part["title"]))
        sheet.addElement(row_of(text_cell(part["title"])))
        sheet.addElement(row_of(text_cell(f"{result.get('title', '')}: {result.get('start')} – {result.get('end')}")))
        if not part["sections"]:
            sheet.addElement(row_of(text_cell(_("No figures for this part yet."))))
        for section in part["sections"]:
            if not section["available"]:
                sheet.addElement(row_of(text_cell(section["title"]), text_cell(not_by_scope_words(result))))
                continue
            for table in section["tables"]:
                sheet.addElement(row_of())
                sheet.addElement(row_of(text_cell(table["title"])))
                sheet.addElement(row_of(text_cell(_("What is counted")), text_cell(_("Value")), text_cell(_("Unit"))))
                for cell in table_rows(table):
                    label = str(_("Total")) if cell["key"] == "total" else cell["label"]
                    if cell["state"] == "shown":
                        if table["unit"] == "pence":
                            pounds = _number(cell["value"] / 100)
                            number = TableCell(valuetype="currency", currency="GBP", value=pounds)
                        else:
                            number = TableCell(valuetype="float", value=_number(cell["value"]))
                        number.addElement(P(text=display(cell, table["unit"])))
                    else:
                        number = text_cell(status_words(cell["state"]))
                    unit = "GBP" if table["unit"] == "pence" else table["unit"]
                    sheet.addElement(row_of(text_cell(label), number, text_cell(unit)))
                if table.get("note"):
                    sheet.addElement(row_of(text_cell(table["note"])))
        document.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def not_by_scope_words(result: dict[str, Any]) -> str:
    if result.get("scope") == "service":
        return _("Not recorded by service.")
    return _("Not recorded by organisation.")


def _sheet_name(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]*?/\\:'")
    return cleaned[:31] or "Sheet"
