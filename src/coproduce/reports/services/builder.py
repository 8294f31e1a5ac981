"""The report builder's writes: asking for a report (built in the background), saving, running and deleting
definitions, the build itself (the task's work, with its progress per section), and the quarterly job that
builds every repeating definition once after each quarter ends."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.permissions import require_rule
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.models import Membership, Organisation
from coproduce.partnerships.reporting import PARTS, ReportQuery, report_sections
from coproduce.reports.models import ReportDefinition, ReportRun
from coproduce.reports.periods import Period, relative_period
from coproduce.reports.suppress import suppress_table

logger = logging.getLogger("coproduce.reports")

READY_KIND = "reports.ready"
# Longest period a report may cover (a few years of a partnership's history).
LONGEST_DAYS = 366 * 5


def part_titles() -> dict[str, str]:
    return {
        "reach": _("Reach"),
        "participation": _("Participation"),
        "support": _("Support"),
        "fund": _("The fund"),
        "evaluation": _("Evaluation"),
    }


def check_period(start: date, end: date) -> None:
    """Refuse a period that ends before it starts, or that is longer than a report covers."""
    if end < start:
        raise ServiceError(_("The end date must be on or after the start date."), field="end")
    if (end - start).days >= LONGEST_DAYS:
        raise ServiceError(_("A report covers at most five years. Choose a shorter period."), field="end")


def _scope_label(actor: Membership, scope: str, organisation: Organisation | None, service_name: str) -> str:
    if scope == "organisation" and organisation is not None:
        return organisation.name
    if scope == "service":
        return service_name
    return actor.partnership.name


def _organisation(actor: Membership, scope: str, organisation_id: int | None) -> Organisation | None:
    if scope != "organisation":
        return None
    if organisation_id is None:
        raise ServiceError(_("Choose an organisation of this partnership."), field="organisation")
    found = Organisation.objects.filter(pk=organisation_id, partnership_id=actor.partnership_id).first()
    if found is None:
        raise ServiceError(_("Choose an organisation of this partnership."), field="organisation")
    return found


def _service_name(actor: Membership, scope: str, service_id: int | None) -> str:
    if scope != "service":
        return ""
    from coproduce.support.api import directory_services

    for service in directory_services(actor=actor):
        if service.id == service_id:
            return service.name
    raise ServiceError(_("Choose a service of the partnership's directory."), field="service")


def _enqueue(run_id: int) -> None:
    from coproduce.reports.tasks import build_report

    build_report.enqueue(run_id)


def _new_run(
    actor: Membership,
    *,
    title: str,
    period: Period,
    scope: str,
    organisation: Organisation | None,
    service_id: int | None,
    scope_label: str,
    definition: ReportDefinition | None = None,
    repeat_quarter: date | None = None,
) -> ReportRun:
    run = ReportRun.objects.create(
        partnership_id=actor.partnership_id,
        definition=definition,
        title=title,
        start=period.start,
        end=period.end,
        scope=scope,
        organisation=organisation,
        service_id=service_id if scope == "service" else None,
        scope_label=scope_label,
        requested_by=actor.user,
        repeat_quarter=repeat_quarter,
        sections_total=len(report_sections()),
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def report_request(
    *,
    actor: Membership,
    title: str,
    period: Period,
    period_kind: str,
    year_basis: str = "",
    scope: str = "partnership",
    organisation_id: int | None = None,
    service_id: int | None = None,
    save: bool = False,
    repeat_quarterly: bool = False,
) -> ReportRun:
    """Ask for a report for ``period`` and scope, built in the background; with ``save``, keep its definition
    too (to run again, and after each quarter ends with ``repeat_quarterly``)."""
    require_rule("reports.build", actor)
    check_period(period.start, period.end)
    if scope not in ("partnership", "organisation", "service"):
        raise ServiceError(_("Choose what the report covers."), field="scope")
    organisation = _organisation(actor, scope, organisation_id)
    service_name = _service_name(actor, scope, service_id)
    title = title.strip()
    if not title:
        raise ServiceError(_("Give the report a title."), field="title")
    if repeat_quarterly and (not save or period_kind == "custom"):
        raise ServiceError(
            _("Only a saved report for a quarter or a year can be built again after each quarter."),
            field="repeat_quarterly",
        )
    with transaction.atomic(durable=True):
        definition = None
        if save:
            definition = ReportDefinition.objects.create(
                partnership_id=actor.partnership_id,
                title=title,
                period_kind=period_kind,
                year_basis=year_basis if period_kind == "year" else "",
                start=period.start if period_kind == "custom" else None,
                end=period.end if period_kind == "custom" else None,
                scope=scope,
                organisation=organisation,
                service_id=service_id if scope == "service" else None,
                service_name=service_name,
                repeat_quarterly=repeat_quarterly,
                created_by=actor.user,
            )
            audit_record(
                actor=actor.user,
                action="reports.definition_saved",
                partnership_id=actor.partnership_id,
                target=definition,
                target_label=definition.title,
                detail={"period_kind": period_kind, "scope": scope, "repeat_quarterly": repeat_quarterly},
            )
        run = _new_run(
            actor,
            title=title,
            period=period,
            scope=scope,
            organisation=organisation,
            service_id=service_id,
            scope_label=_scope_label(actor, scope, organisation, service_name),
            definition=definition,
        )
        audit_record(
            actor=actor.user,
            action="reports.run_requested",
            partnership_id=actor.partnership_id,
            target=run,
            target_label=title,
            detail={"start": period.start.isoformat(), "end": period.end.isoformat(), "scope": scope},
        )
    return run


def definition_period(definition: ReportDefinition, today: date) -> Period:
    if definition.period_kind == "custom" and definition.start is not None and definition.end is not None:
        return Period(definition.start, definition.end)  # both are set for custom dates (a database constraint)
    return relative_period(definition.period_kind, definition.year_basis, today)


def definition_run(*, actor: Membership, definition_id: int, today: date | None = None) -> ReportRun:
    """Build a saved report now: a quarter or a year as it stands today (the latest quarter that has ended)."""
    require_rule("reports.build", actor)
    definition = ReportDefinition.objects.filter(pk=definition_id, partnership_id=actor.partnership_id).first()
    if definition is None:
        raise NotPermitted()
    period = definition_period(definition, today or timezone.localdate())
    with transaction.atomic(durable=True):
        run = _new_run(
            actor,
            title=definition.title,
            period=period,
            scope=definition.scope,
            organisation=definition.organisation,
            service_id=definition.service_id,
            scope_label=_scope_label(actor, definition.scope, definition.organisation, definition.service_name),
            definition=definition,
        )
        audit_record(
            actor=actor.user,
            action="reports.run_requested",
            partnership_id=actor.partnership_id,
            target=run,
            target_label=definition.title,
            detail={"start": period.start.isoformat(), "end": period.end.isoformat(), "definition": definition.pk},
        )
    return run


def definition_delete(*, actor: Membership, definition_id: int) -> None:
    """Delete a saved report definition; the reports already built from it stay."""
    require_rule("reports.build", actor)
    with transaction.atomic(durable=True):
        definition = (
            ReportDefinition.objects.select_for_update()
            .filter(pk=definition_id, partnership_id=actor.partnership_id)
            .first()
        )
        if definition is None:
            raise NotPermitted()
        audit_record(
            actor=actor.user,
            action="reports.definition_deleted",
            partnership_id=actor.partnership_id,
            target=definition,
            target_label=definition.title,
        )
        definition.delete()


def compose_report(query: ReportQuery, *, progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Every registered section's tables for ``query``, suppressed, grouped by part (in PARTS' order). A section
    that cannot narrow to the query's scope says so instead of giving figures for more than was asked."""
    sections = report_sections()
    titles = part_titles()
    parts: dict[str, dict[str, Any]] = {
        key: {"key": key, "title": titles.get(key, key), "sections": []} for key in PARTS
    }
    for done, section in enumerate(sections, start=1):
        entry: dict[str, Any] = {"key": section.key, "title": str(section.title), "available": True, "tables": []}
        if query.scope not in section.scopes:
            entry["available"] = False
        else:
            entry["tables"] = [suppress_table(table) for table in section.tables(query)]
        parts[section.part]["sections"].append(entry)
        if progress is not None:
            progress(done, len(sections))
    return list(parts.values())


def run_build(*, run_id: int) -> str:
    """Build a run's report (the background task's work): each section in turn, the progress saved after each.
    Safe to run twice: a run already done or failed is left as it is, one half built is built again."""
    run = ReportRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    if run.status in (ReportRun.Status.DONE, ReportRun.Status.FAILED):
        return str(run.status)
    building = ReportRun.objects.filter(pk=run_id)
    started = time.perf_counter()
    building.update(status=ReportRun.Status.RUNNING, sections_done=0, started_at=timezone.now())

    def progress(done: int, total: int) -> None:
        building.update(sections_done=done, sections_total=total)

    query = ReportQuery(
        partnership_id=run.partnership_id,
        start=run.start,
        end=run.end,
        scope=run.scope,  # type: ignore[arg-type]
        organisation_id=run.organisation_id,
        service_id=run.service_id,
    )
    parts = compose_report(query, progress=progress)
    result = {
        "title": run.title,
        "start": run.start.isoformat(),
        "end": run.end.isoformat(),
        "scope": run.scope,
        "scope_label": run.scope_label,
        "built_at": timezone.now().isoformat(),
        "parts": parts,
    }
    with transaction.atomic(durable=True):
        updated = building.filter(status=ReportRun.Status.RUNNING).update(
            status=ReportRun.Status.DONE,
            result=result,
            finished_at=timezone.now(),
            seconds=time.perf_counter() - started,
        )
        if updated and run.repeat_quarter is not None and run.requested_by_id is not None:
            _tell_ready(run)
    return str(ReportRun.Status.DONE)


def _tell_ready(run: ReportRun) -> None:
    from coproduce.notifications.api import notify

    url = cached_reverse("reports:run", kwargs={"slug": run.partnership.slug, "run_id": run.pk})
    notify(
        partnership_id=run.partnership_id,
        user_ids=[run.requested_by_id] if run.requested_by_id else [],
        kind=READY_KIND,
        text=_("The report “%(title)s” for %(start)s to %(end)s is ready.")
        % {"title": run.title, "start": run.start.strftime("%d/%m/%Y"), "end": run.end.strftime("%d/%m/%Y")},
        url=url,
        subject_key=f"reports.run:{run.pk}",
    )


def run_failed(*, run_id: int) -> None:
    """The build failed after every attempt: the report's page says so and offers to build it again."""
    ReportRun.objects.filter(pk=run_id).exclude(status=ReportRun.Status.DONE).update(
        status=ReportRun.Status.FAILED,
        finished_at=timezone.now(),
        error=_("The report could not be built. Please try again; if it happens again, tell the site's operator."),
    )


def definitions_repeat_due(*, today: date | None = None) -> int:
    """Build every repeating definition for the latest quarter that has ended, once per definition and quarter
    (a unique constraint: the job may run any number of times, on any number of workers). Returns how many
    runs were made."""
    today = today or timezone.localdate()
    made = 0
    due = (
        ReportDefinition.objects.filter(repeat_quarterly=True)
        .select_related("partnership", "organisation", "created_by")
        .order_by("pk")
    )
    for definition in due:
        period = definition_period(definition, today)
        quarter = relative_period("quarter", "", today).start
        if ReportRun.objects.filter(definition=definition, repeat_quarter=quarter).exists():
            continue
        creator = definition.created_by
        actor = (
            Membership.objects.filter(partnership_id=definition.partnership_id, user=creator, is_coordinator=True)
            .select_related("partnership", "user")
            .first()
            if creator is not None
            else None
        )
        if actor is None:
            continue  # its coordinator left or stepped down: a coordinator may run it, or delete it
        try:
            with transaction.atomic(durable=True):
                _new_run(
                    actor,
                    title=definition.title,
                    period=period,
                    scope=definition.scope,
                    organisation=definition.organisation,
                    service_id=definition.service_id,
                    scope_label=_scope_label(actor, definition.scope, definition.organisation, definition.service_name),
                    definition=definition,
                    repeat_quarter=quarter,
                )
                audit_record(
                    actor=None,
                    action="reports.run_repeated",
                    partnership_id=definition.partnership_id,
                    target=definition,
                    target_label=definition.title,
                    detail={"start": period.start.isoformat(), "end": period.end.isoformat()},
                )
        except IntegrityError:
            continue  # another worker made it at the same moment
        made += 1
    return made
