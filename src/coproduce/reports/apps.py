"""Open by default: the open data page of a partnership, employability outcomes recorded with the member, and
reports for funders and boards built from every capability's figures (partnerships.reporting)."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coproduce.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # --- open data: the /open/<slug>/ page and the coordinators' setting
        from django.utils.translation import gettext_lazy as _

        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

        register_audit_wording(
            sentences={"reports.open_data_changed": _("%(who)s changed whether the partnership publishes open data.")}
        )
        register_settings_section(
            SettingsSection(
                "open-data",
                _("Open data"),
                _("Publish the fund, the directory and the partnership's results for anyone, and choose the licence."),
                "reports:open-settings",
                order=50,
            )
        )

        # --- employability outcomes: audit sentences, My data, leaving, the report sections "reach" and
        # "support.outcomes"

        # --- reports: the builder's saved definitions, re-run each quarter
