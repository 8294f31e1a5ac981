from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduce.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from coproduce.accounts import signals  # noqa: F401  (connects the audit receivers)
