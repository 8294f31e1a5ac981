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
        from datetime import time, timedelta

        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.reports import rules  # noqa: F401  (registers them)
        from coproduce.reports.services.builder import READY_KIND

        register_audit_wording(
            sentences={
                "reports.run_requested": _("%(who)s asked for the report “%(what)s”."),
                "reports.definition_saved": _("%(who)s saved the report “%(what)s”."),
                "reports.definition_deleted": _("%(who)s deleted the saved report “%(what)s”."),
                "reports.run_repeated": _("The saved report “%(what)s” was built again after the quarter ended."),
            }
        )
        register_nav_item(
            NavItem(
                "reports",
                _("Reports"),
                "reports:index",
                order=90,
                visible=lambda m: bool(m.is_coordinator or m.is_observer),
            )
        )
        register_notice_kind(NoticeKind(READY_KIND, _("A saved report was built again and is ready")))
        register_periodic(
            PeriodicJob(
                "reports.repeat",
                every=timedelta(days=1),
                at=time(5, 0),
                task="coproduce.reports.tasks.repeat_reports",
                description="After a quarter ends, builds each saved report that repeats, once, and tells its creator.",
            )
        )
