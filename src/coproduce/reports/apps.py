"""Open by default: the open data page of a partnership, employability outcomes recorded with the member, and
reports for funders and boards built from every capability's figures (partnerships.reporting)."""

from typing import Any

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coproduce.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # --- open data: the /open/<slug>/ page and the coordinators' setting

        # --- employability outcomes: audit sentences, My data, leaving, the report sections "reach" and
        # "support.outcomes"
        from django.utils.translation import gettext_lazy as _

        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data
        from coproduce.partnerships.reporting import register_report_section
        from coproduce.reports import outcome_rules, outcomes_data, reporting  # noqa: F401  (outcome_rules registers)
        from coproduce.reports.services.outcomes import ANSWERED, ASKED, RECORDED

        register_audit_wording(sentences=outcomes_data.SENTENCES)
        register_personal_data(outcomes_data.EXPORT)
        register_departure(outcomes_data.DEPARTURE)
        register_notice_kind(NoticeKind(RECORDED, _("Your keyworker recorded an outcome with you")))
        register_notice_kind(NoticeKind(ANSWERED, _("Your request to correct an outcome was answered")))
        register_notice_kind(NoticeKind(ASKED, _("A member asked for an outcome to be corrected")))
        register_report_section(reporting.REACH)
        register_report_section(reporting.SUPPORT_OUTCOMES)
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("outcomes", _outcomes_label, "reports:outcomes", order=22, visible=_has_outcomes))

        # --- reports: the builder's saved definitions, re-run each quarter


def _outcomes_label(membership: Any) -> Any:
    # A parent finds "My outcomes"; staff find the outcomes of the people they keywork under "Outcomes".
    from django.utils.translation import gettext_lazy as _

    return _("My outcomes") if membership.is_member and not membership.is_staff_role else _("Outcomes")


def _has_outcomes(membership: Any) -> bool:
    return bool(membership.is_member or membership.is_staff_role)
