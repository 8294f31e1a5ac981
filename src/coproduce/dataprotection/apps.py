from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataProtectionConfig(AppConfig):
    name = "coproduce.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from coproduce.dataprotection import rules  # noqa: F401  (registers the rules)
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_nav_item(
            NavItem("data-protection", _("Data protection"), "dataprotection:settings", order=92, visible=_coordinator)
        )


def _coordinator(membership: object) -> bool:
    return bool(getattr(membership, "is_coordinator", False))
