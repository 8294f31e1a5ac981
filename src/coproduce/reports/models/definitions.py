"""Saved report definitions and their runs.

A ``ReportDefinition`` is what a coordinator asked for and kept: a kind of period (a quarter, a year, a custom
span), a scope (the partnership, one organisation, one service of the directory) and whether it is built again
after each quarter ends. A ``ReportRun`` is one build of a report for resolved dates: queued, running (with its
progress, sections done of sections in all), then done with its result already suppressed (small groups taken
out), or failed with a reason. Pages and downloads read only the stored result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Organisation, Partnership

__all__ = ["ReportDefinition", "ReportRun"]

TITLE_MAX = 120


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("A quarter")
    YEAR = "year", _("A year")
    CUSTOM = "custom", _("Dates of your choice")


class YearBasis(models.TextChoices):
    FINANCIAL = "financial", _("Financial year (April to March)")
    CALENDAR = "calendar", _("Calendar year (January to December)")


class ScopeKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("The whole partnership")
    ORGANISATION = "organisation", _("One organisation")
    SERVICE = "service", _("One service")


SCOPE_CONSTRAINT = (
    Q(scope="partnership", organisation__isnull=True, service_id__isnull=True)
    | Q(scope="organisation", organisation__isnull=False, service_id__isnull=True)
    | Q(scope="service", organisation__isnull=True, service_id__isnull=False)
)


class ReportDefinition(models.Model):
    """A report a coordinator saved, to run again now or after each quarter ends (``repeat_quarterly``).

    For a quarter or a year the dates are worked out when it is run: the latest quarter that has ended, or the
    year (financial or calendar) up to the end of that quarter. Custom dates are kept as they are."""

    PeriodKind = PeriodKind
    YearBasis = YearBasis
    Scope = ScopeKind

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    year_basis = models.CharField(max_length=10, choices=YearBasis.choices, blank=True)
    start = models.DateField(null=True, blank=True)  # custom periods only
    end = models.DateField(null=True, blank=True)  # custom periods only, inclusive
    scope = models.CharField(max_length=12, choices=ScopeKind.choices, default=ScopeKind.PARTNERSHIP)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A service of the support directory: a plain id (reports imports no capability's models).
    service_id = models.PositiveIntegerField(null=True, blank=True)
    service_name = models.CharField(max_length=200, blank=True)
    repeat_quarterly = models.BooleanField(_("run again after each quarter ends"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_kind__in=["quarter", "year", "custom"]), name="report_definition_period_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_kind="custom", start__isnull=False, end__isnull=False, year_basis="")
                    | Q(period_kind="quarter", start__isnull=True, end__isnull=True, year_basis="")
                    | Q(
                        period_kind="year",
                        start__isnull=True,
                        end__isnull=True,
                        year_basis__in=["financial", "calendar"],
                    )
                ),
                name="report_definition_period_complete",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__gte=F("start")), name="report_definition_end_after_start"
            ),
            # Custom dates stay the same: building them again each quarter would give the same report.
            models.CheckConstraint(
                condition=Q(repeat_quarterly=False) | ~Q(period_kind="custom"),
                name="report_definition_repeats_relative_periods",
            ),
            models.CheckConstraint(condition=SCOPE_CONSTRAINT, name="report_definition_scope_complete"),
        ]

    def __str__(self) -> str:
        return self.title


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be built")


class ReportRun(models.Model):
    """One build of a report for fixed dates and scope. ``result`` holds the figures as shown, already
    suppressed (``reports.suppress``); ``sections_done`` of ``sections_total`` is the progress shown while it
    is built. A run made by the quarterly job names the quarter it was made for (``repeat_quarter``), once per
    definition and quarter."""

    Status = RunStatus

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    definition = models.ForeignKey(
        ReportDefinition, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    title = models.CharField(max_length=TITLE_MAX)
    start = models.DateField()
    end = models.DateField()
    scope = models.CharField(max_length=12, choices=ScopeKind.choices, default=ScopeKind.PARTNERSHIP)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service_id = models.PositiveIntegerField(null=True, blank=True)
    scope_label = models.CharField(max_length=250, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    repeat_quarter = models.DateField(null=True, blank=True)  # first day of the quarter a repeat was made for
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    sections_done = models.PositiveSmallIntegerField(default=0)
    sections_total = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]), name="report_run_status_valid"
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="report_run_end_after_start"),
            models.CheckConstraint(condition=SCOPE_CONSTRAINT, name="report_run_scope_complete"),
            models.CheckConstraint(
                condition=Q(sections_done__lte=F("sections_total")), name="report_run_progress_within_total"
            ),
            # The quarterly job builds a definition once per quarter, however often it runs.
            models.UniqueConstraint(
                fields=["definition", "repeat_quarter"],
                condition=Q(repeat_quarter__isnull=False),
                name="report_run_one_repeat_per_quarter",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "-requested_at"], name="report_run_recent")]

    def __str__(self) -> str:
        return f"report run {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.DONE
