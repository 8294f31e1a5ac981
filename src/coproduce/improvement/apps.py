from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "coproduce.improvement"
    label = "improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from coproduce.improvement import commitments as improvement_commitments
        from coproduce.partnerships.commitments import register_commitment_source

        register_commitment_source(improvement_commitments.ADOPTED)
        register_commitment_source(improvement_commitments.STOPPED)

        from coproduce.improvement import audit_wording as improvement_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=improvement_audit_wording.SENTENCES)

        from django.utils.translation import gettext_lazy

        from coproduce.notifications.api import NoticeKind, register_notice_kind

        # Its email goes as it did (the review reminder); the notice keeps it in the inbox too.
        register_notice_kind(
            NoticeKind("improvement.review_due", gettext_lazy("A test of change you are part of is due for review"))
        )

        from datetime import timedelta

        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.improvement import home, retention  # noqa: F401  (home registers the home-page section)
        from coproduce.improvement.departure import DEPARTURE
        from coproduce.improvement.personal_data import EXPORT
        from coproduce.improvement.services.decisions import REMINDER_TIME
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_nav_item(NavItem("improvement", _("Tests of change"), "improvement:board", order=40))
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()
        register_periodic(
            PeriodicJob(
                "improvement.review_reminders",
                every=timedelta(days=1),
                at=REMINDER_TIME,
                task="coproduce.improvement.tasks.send_due_review_reminders",
                description="Reminds the people running a decided test of change that its review date has come.",
            )
        )
