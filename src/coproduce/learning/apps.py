"""Learning together: events parents can come to (registration with what would help them come, waiting
lists, calendars, reminders, attendance, paid time and expenses) and the shared learning log."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
