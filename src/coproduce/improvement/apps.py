from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "coproduce.improvement"
    label = "improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from datetime import timedelta

        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.improvement import home  # noqa: F401  (registers the home-page section)
        from coproduce.improvement.services.decisions import REMINDER_TIME
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("improvement", _("Tests of change"), "improvement:board", order=40))
        register_periodic(
            PeriodicJob(
                "improvement.review_reminders",
                every=timedelta(days=1),
                at=REMINDER_TIME,
                task="coproduce.improvement.tasks.send_due_review_reminders",
                description="Reminds the people running a decided test of change that its review date has come.",
            )
        )
