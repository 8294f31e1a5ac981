"""The report builder's pages: the reports page (the form to build one, saved definitions, recent reports),
a report's page (its progress while it is built, refreshing without JavaScript; then its figures, which print
on A4), and its downloads (CSV with its CSVW metadata, OpenDocument spreadsheet). Every figure comes from the
run's stored result, suppressed when it was built."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.reports.exports import display, not_by_scope_words, report_csv, report_csvw, report_ods, table_rows
from coproduce.reports.forms.builder import ReportForm
from coproduce.reports.selectors import builder as selectors
from coproduce.reports.services import builder as services

NAV = "reports"
# Seconds between two looks at a report being built (the page refreshes itself, with or without JavaScript).
REFRESH_EVERY = 3


def _run_url(request: HttpRequest, run_id: int) -> str:
    return cached_reverse("reports:run", kwargs={"slug": partnership_slug(request), "run_id": run_id})


def _form(request: HttpRequest, actor: Any, data: Any = None) -> ReportForm:
    organisations = [(o.pk, o.name) for o in selectors.scope_organisations(actor)]
    return ReportForm(
        data, today=timezone.localdate(), organisations=organisations, services=selectors.scope_services(actor)
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@partnership_view("reports.read")
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Coordinators build and save reports here; coordinators and observers find finished reports."""
    actor = acting_membership(request)
    may_build = may("reports.build", actor)
    form = None
    if may_build:
        form = _form(request, actor, request.POST if request.method == "POST" else None)
    elif request.method == "POST":
        raise NotPermitted()
    if request.method == "POST" and form is not None and form.is_valid() and form.period is not None:
        data = form.cleaned_data
        try:
            run = services.report_request(
                actor=actor,
                title=data["title"],
                period=form.period,
                period_kind=data["period_kind"],
                year_basis=form.year_basis,
                scope=data["scope"],
                organisation_id=data.get("organisation"),
                service_id=data.get("service"),
                save=bool(data.get("save")),
                repeat_quarterly=bool(data.get("repeat_quarterly")),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your report is being built. This page shows it when it is ready."))
            return redirect(_run_url(request, run.pk))
    context = {
        "nav_section": NAV,
        "form": form,
        "may_build": may_build,
        "definitions": list(selectors.definitions_for(actor)) if may_build else [],
        "runs": selectors.runs_for(actor),
    }
    return _no_store(render(request, "reports/builder/index.html", context))


@partnership_view("reports.read")
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A report: while it is built, how far it has got (the page looks again every few seconds, without
    JavaScript too); then its figures, ready to print on A4 or save as PDF."""
    actor = acting_membership(request)
    found = selectors.run_for(actor, run_id)
    parts = []
    if found.is_done:
        parts = [_part_for_page(part, found.result) for part in found.result.get("parts", [])]
    context = {
        "nav_section": NAV,
        "run": found,
        "parts": parts,
        "refresh_every": REFRESH_EVERY if found.in_progress else None,
        "may_build": may("reports.build", actor),
    }
    return _no_store(render(request, "reports/builder/run.html", context))


def _part_for_page(part: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    sections = []
    for section in part["sections"]:
        tables = []
        for table in section["tables"]:
            rows = [
                {
                    "label": _("Total") if cell["key"] == "total" else cell["label"],
                    "shown": display(cell, table["unit"]),
                    "is_total": cell["key"] == "total",
                    "state": cell["state"],
                }
                for cell in table_rows(table)
            ]
            tables.append({**table, "display_rows": rows})
        sections.append({**section, "tables": tables, "unavailable": not_by_scope_words(result)})
    return {**part, "sections": sections}


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(response)


@partnership_view("reports.read")
def run_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    found = selectors.finished_run_for(acting_membership(request), run_id)
    return _download(report_csv(found.result), "text/csv; charset=utf-8", f"report-{found.pk}.csv")


@partnership_view("reports.read")
def run_csvw(request: HttpRequest, run_id: int) -> HttpResponse:
    found = selectors.finished_run_for(acting_membership(request), run_id)
    content = report_csvw(found.result, csv_name=f"report-{found.pk}.csv")
    return _download(content, "application/csvm+json", f"report-{found.pk}.csv-metadata.json")


@partnership_view("reports.read")
def run_ods(request: HttpRequest, run_id: int) -> HttpResponse:
    found = selectors.finished_run_for(acting_membership(request), run_id)
    return _download(
        report_ods(found.result), "application/vnd.oasis.opendocument.spreadsheet", f"report-{found.pk}.ods"
    )


@partnership_view("reports.build")
@require_POST
def definition_run(request: HttpRequest, definition_id: int) -> HttpResponse:
    found = services.definition_run(actor=acting_membership(request), definition_id=definition_id)
    messages.success(request, _("Your report is being built. This page shows it when it is ready."))
    return redirect(_run_url(request, found.pk))


@partnership_view("reports.build")
@require_POST
def definition_delete(request: HttpRequest, definition_id: int) -> HttpResponse:
    services.definition_delete(actor=acting_membership(request), definition_id=definition_id)
    messages.success(request, _("The saved report is deleted. Reports already built from it are kept."))
    return redirect(cached_reverse("reports:index", kwargs={"slug": partnership_slug(request)}))
