from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduce.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from datetime import time, timedelta

        from coproduce.accounts import signals  # noqa: F401  (connects the audit receivers)
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.core.sms import register_blocker

        register_blocker(texts_stopped)

        register_periodic(
            PeriodicJob(
                "accounts.forgotten_sign_in_counts",
                every=timedelta(days=1),
                at=time(3, 30),
                task="coproduce.accounts.tasks.purge_forgotten_sign_in_counts",
                description="Deletes the counts of wrong passwords and codes that have been quiet long enough.",
            )
        )


def texts_stopped(*, to: str, partnership_id: int | None, kind: str) -> str:
    """A person who turned text messages off gets none, except a sign-in code they ask for themselves."""
    from coproduce.accounts.models import User
    from coproduce.accounts.services import SIGN_IN_CODE_TEXT

    if kind == SIGN_IN_CODE_TEXT:
        return ""
    return "opted_out" if User.objects.filter(phone=to, texts_stopped=True).exists() else ""
