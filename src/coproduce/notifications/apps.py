from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "coproduce.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.notifications import personal_data
        from coproduce.notifications.services.emails import CHECK_EVERY

        personal_data.register()
        register_periodic(
            PeriodicJob(
                "notifications.emails",
                every=CHECK_EVERY,
                task="coproduce.notifications.tasks.send_due_emails",
                description="Emails each person the notices they asked to get by email, outside their quiet hours.",
            )
        )
