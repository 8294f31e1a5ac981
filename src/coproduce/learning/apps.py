"""Learning together: events parents can come to (registration with what would help them come, waiting
lists, calendars, reminders, attendance, paid time and expenses) and the shared learning log."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LearningConfig(AppConfig):
    name = "coproduce.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from coproduce.learning import kept_counts

        kept_counts.register()  # the counts it keeps, for coproduce check-counts

        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.learning import audit_wording, home, retention, rules  # noqa: F401  (rules: registers them)
        from coproduce.learning.departure import DEPARTURES
        from coproduce.learning.personal_data import EXPORTS
        from coproduce.learning.services.log import ANSWERED, ASKED
        from coproduce.notifications.api import EMAIL, NoticeKind, register_notice_kind
        from coproduce.partnerships.attention import AttentionItem, register_attention_item
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

        # --- the whole app: audit sentences, the home page and navigation, My data, leaving and erasure
        register_audit_wording(sentences=audit_wording.SENTENCES)
        home.register()
        for export in EXPORTS:
            register_personal_data(export)
        for departure in DEPARTURES:
            register_departure(departure)

        # --- events
        register_notice_kind(
            NoticeKind("learning.event_reminder", _("A reminder of an event you have a place at"), delivery=EMAIL)
        )
        register_notice_kind(
            NoticeKind(
                "learning.place_offered", _("A place came free at an event you were waiting for"), delivery=EMAIL
            )
        )
        register_notice_kind(
            NoticeKind("learning.event_cancelled", _("An event you registered for is cancelled"), delivery=EMAIL)
        )
        retention.register()
        register_periodic(
            PeriodicJob(
                "learning.event_reminders",
                every=timedelta(hours=1),
                task="coproduce.learning.tasks.send_due_event_reminders",
                description="Reminds people of events they have a place at: the day before and on the day.",
            )
        )

        # --- calendars and paid time
        register_settings_section(
            SettingsSection(
                "learning.pay",
                _("Paid time and expenses"),
                _("What parents are paid for co-design time, and which of their costs are covered."),
                "learning:pay-settings",
                order=70,
            )
        )
        register_notice_kind(
            NoticeKind("learning.claim_decided", _("Your claim for paid time or expenses was approved or refused"))
        )

        def waiting(membership: object) -> int:
            from coproduce.learning.selectors import waiting_claims_count

            return waiting_claims_count(membership)  # type: ignore[arg-type]

        register_attention_item(
            AttentionItem(
                "learning.claims",
                count=waiting,
                text=lambda n: (
                    ngettext(
                        "%(n)d claim for paid time or expenses to approve",
                        "%(n)d claims for paid time or expenses to approve",
                        n,
                    )
                    % {"n": n}
                ),
                url_name="learning:claims",
                order=60,
            )
        )

        # --- the learning log
        register_notice_kind(NoticeKind(ASKED, _("You are named in a learning log entry")))
        register_notice_kind(NoticeKind(ANSWERED, _("A parent answered about your learning log entry")))

        # --- evaluation: the events parents came to (partnerships.service_use)
        from coproduce.learning.service_use import SOURCE as SERVICE_USE
        from coproduce.partnerships.service_use import register_service_use_source

        register_service_use_source(SERVICE_USE)

        # --- report figures
        from coproduce.learning.reporting import SECTION as REPORT_SECTION
        from coproduce.partnerships.reporting import register_report_section

        register_report_section(REPORT_SECTION)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.learning.api_v1 import r as api_router

        register_router("learning", api_router)
