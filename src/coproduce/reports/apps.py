"""Open by default: the open data page of a partnership, employability outcomes recorded with the member, and
reports for funders and boards built from every capability's figures (partnerships.reporting)."""

from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coproduce.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from datetime import time, timedelta

        from django.utils.translation import gettext_lazy as _

        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure, register_personal_data
        from coproduce.partnerships.reporting import register_report_section
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section
        from coproduce.reports import outcome_rules, outcomes_data, reporting, rules  # noqa: F401  (rules register)
        from coproduce.reports.services.builder import READY_KIND
        from coproduce.reports.services.outcomes import ANSWERED, ASKED, RECORDED

        # --- open data: the /open/<slug>/ page and the coordinators' setting
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

        # --- employability outcomes: audit sentences, My data, leaving, notices, the navigation, and the report
        # sections "reach" and "support.outcomes"
        register_audit_wording(sentences=outcomes_data.SENTENCES)
        register_personal_data(outcomes_data.EXPORT)
        register_departure(outcomes_data.DEPARTURE)
        register_notice_kind(NoticeKind(RECORDED, _("Your keyworker recorded an outcome with you")))
        register_notice_kind(NoticeKind(ANSWERED, _("Your request to correct an outcome was answered")))
        register_notice_kind(NoticeKind(ASKED, _("A member asked for an outcome to be corrected")))
        register_report_section(reporting.REACH)
        register_report_section(reporting.SUPPORT_OUTCOMES)
        register_nav_item(NavItem("outcomes", _outcomes_label, "reports:outcomes", order=22, visible=_has_outcomes))

        # --- reports: the builder's audit sentences, the navigation, and saved reports re-run each quarter
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


def _outcomes_label(membership: Any) -> Any:
    # A parent finds "My outcomes"; staff find the outcomes of the people they keywork under "Outcomes".
    from django.utils.translation import gettext_lazy as _

    return _("My outcomes") if membership.is_member and not membership.is_staff_role else _("Outcomes")


def _has_outcomes(membership: Any) -> bool:
    return bool(membership.is_member or membership.is_staff_role)
