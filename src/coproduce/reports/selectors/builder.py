"""The report builder's reads: saved definitions, recent reports and one report, for coordinators (who build)
and observers (who read finished reports); and the organisations and services a report may be scoped to."""

from __future__ import annotations

from django.db.models import QuerySet

from coproduce.core.exceptions import NotPermitted
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership, Organisation
from coproduce.reports.models import ReportDefinition, ReportRun

RECENT_RUNS = 20


def definitions_for(actor: Membership) -> QuerySet[ReportDefinition]:
    require_rule("reports.build", actor)
    return ReportDefinition.objects.filter(partnership_id=actor.partnership_id).order_by("title", "id")


def runs_for(actor: Membership, *, limit: int = RECENT_RUNS) -> list[ReportRun]:
    """The latest reports; observers see finished ones only. The stored figures are not loaded."""
    require_rule("reports.read", actor)
    runs = ReportRun.objects.filter(partnership_id=actor.partnership_id).defer("result")
    if not actor.is_coordinator:
        runs = runs.filter(status=ReportRun.Status.DONE)
    return list(runs.order_by("-requested_at", "-id")[:limit])


def run_for(actor: Membership, run_id: int) -> ReportRun:
    """One report of the partnership; observers only once it is finished. Else ``NotPermitted``."""
    require_rule("reports.read", actor)
    run = ReportRun.objects.filter(pk=run_id, partnership_id=actor.partnership_id).first()
    if run is None or (not actor.is_coordinator and run.status != ReportRun.Status.DONE):
        raise NotPermitted()
    return run


def finished_run_for(actor: Membership, run_id: int) -> ReportRun:
    """A report whose figures are ready (for the downloads); else ``NotPermitted``."""
    run = run_for(actor, run_id)
    if run.status != ReportRun.Status.DONE:
        raise NotPermitted()
    return run


def scope_organisations(actor: Membership) -> list[Organisation]:
    require_rule("reports.build", actor)
    return list(Organisation.objects.filter(partnership_id=actor.partnership_id).order_by("name"))


def scope_services(actor: Membership) -> list[tuple[int, str]]:
    require_rule("reports.build", actor)
    from coproduce.support.api import directory_services

    return [(s.id, f"{s.name} ({s.organisation})") for s in directory_services(actor=actor)]
