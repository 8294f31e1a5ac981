"""Learning together: events parents can come to (registration with what would help them come, waiting
lists, calendars, reminders, attendance, paid time and expenses) and the shared learning log."""

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "coproduce.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        self._ready_log()

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
