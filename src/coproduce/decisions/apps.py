"""Decisions made together: proposals decided by consent, yes/no, scores, dots, a time poll or ranked choice
(one winner, or several seats by STV), with quorum and an optional double majority of members and staff,
amendments kept as versions, and outcomes with an owner, a due date and a review date."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "coproduce.decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.decisions import audit_wording, commitments, home, retention, rules  # noqa: F401  (register)
        from coproduce.decisions.departure import DEPARTURE
        from coproduce.decisions.personal_data import EXPORT
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_nav_item(NavItem("decisions", _("Decisions"), "decisions:list", order=42))
        register_audit_wording(sentences=audit_wording.SENTENCES)
        for key, label in (
            ("decisions.raised", _("A new proposal you can take part in")),
            ("decisions.amended", _("A proposal you answered has changed")),
            ("decisions.objection", _("Someone disagreed with or blocked your proposal")),
            ("decisions.closing", _("A decision closes soon and you have not answered")),
            ("decisions.closed", _("A decision you took part in has closed")),
        ):
            register_notice_kind(NoticeKind(key, label))
        from coproduce.decisions.services import answer_confirm, answers_pending_for
        from coproduce.partnerships.assisted import NOTICE_KIND, NOTICE_LABEL, AssistedKind, register_assisted_kind

        register_notice_kind(NoticeKind(NOTICE_KIND, NOTICE_LABEL))

        register_assisted_kind(
            AssistedKind(
                "decisions.answer",
                _("Answers to decisions"),
                pending=answers_pending_for,
                confirm=answer_confirm,
                order=42,
            )
        )
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()
        commitments.register()
        register_periodic(
            PeriodicJob(
                "decisions.close_due",
                every=timedelta(minutes=5),
                task="coproduce.decisions.tasks.close_due_decisions",
                description="Closes every decision whose closing time has come, and counts it.",
            )
        )
        register_periodic(
            PeriodicJob(
                "decisions.closing_reminders",
                every=timedelta(hours=1),
                task="coproduce.decisions.tasks.send_closing_reminders",
                description="Reminds those who have not answered, a day before a decision closes.",
            )
        )

        # --- open data
        from coproduce.decisions import open_data
        from coproduce.partnerships.open_data import register_open_dataset

        register_open_dataset(open_data.DATASET)

        # --- report figures
        from coproduce.decisions.reporting import SECTION as REPORT_SECTION
        from coproduce.partnerships.reporting import register_report_section

        register_report_section(REPORT_SECTION)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.decisions.api_v1 import r as api_router

        register_router("decisions", api_router)
