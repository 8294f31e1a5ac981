"""Open by default: the open data page of a partnership, employability outcomes recorded with the member, and
reports for funders and boards built from every capability's figures (partnerships.reporting)."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coproduce.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # --- open data: the /open/<slug>/ page and the coordinators' setting

        # --- employability outcomes: audit sentences, My data, leaving, the report sections "reach" and
        # "support.outcomes"

        # --- reports: the builder's saved definitions, re-run each quarter
        pass
