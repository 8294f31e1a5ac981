from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduce.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from datetime import time, timedelta

        from coproduce.accounts import signals  # noqa: F401  (connects the audit receivers)
        from coproduce.core.scheduler import PeriodicJob, register_periodic

        register_periodic(
            PeriodicJob(
                "accounts.forgotten_sign_in_counts",
                every=timedelta(days=1),
                at=time(3, 30),
                task="coproduce.accounts.tasks.purge_forgotten_sign_in_counts",
                description="Deletes the counts of wrong passwords and codes that have been quiet long enough.",
            )
        )
