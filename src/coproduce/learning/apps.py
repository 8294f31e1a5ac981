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
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.learning import audit_wording, home, retention  # noqa: F401  (home: the home section, nav)
        from coproduce.learning.departure import DEPARTURE
        from coproduce.learning.personal_data import EXPORT
        from coproduce.notifications.api import EMAIL, NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_audit_wording(sentences=audit_wording.SENTENCES)
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
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()
        register_periodic(
            PeriodicJob(
                "learning.event_reminders",
                every=timedelta(hours=1),
                task="coproduce.learning.tasks.send_due_event_reminders",
                description="Reminds people of events they have a place at: the day before and on the day.",
            )
        )
        self._ready_calendars_and_pay()
        self._ready_log()

    def _ready_calendars_and_pay(self) -> None:
        from coproduce.learning import pay_audit_wording, pay_rules  # noqa: F401  (registers the rules)
        from coproduce.learning.pay_data import DEPARTURE, EXPORT
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.attention import AttentionItem, register_attention_item
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_audit_wording(sentences=pay_audit_wording.SENTENCES)
        from coproduce.learning import pay_home

        pay_home.register()
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

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
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)

        def waiting(membership: object) -> int:
            from coproduce.learning.pay_selectors import waiting_claims_count

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

    def _ready_log(self) -> None:
        """The learning log's registrations: rules, audit sentences, notices, My data and departure."""
        from django.utils.translation import gettext_lazy

        from coproduce.learning.log import audit_wording as log_audit_wording
        from coproduce.learning.log import home as log_home
        from coproduce.learning.log import rules  # noqa: F401  (registers the rules)
        from coproduce.learning.log.departure import DEPARTURE as LOG_DEPARTURE
        from coproduce.learning.log.personal_data import EXPORT as LOG_EXPORT
        from coproduce.learning.log.services import ANSWERED, ASKED
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_audit_wording(sentences=log_audit_wording.SENTENCES)
        register_notice_kind(NoticeKind(ASKED, gettext_lazy("You are named in a learning log entry")))
        register_notice_kind(NoticeKind(ANSWERED, gettext_lazy("A parent answered about your learning log entry")))
        register_personal_data(LOG_EXPORT)
        register_departure(LOG_DEPARTURE)
        log_home.register()
