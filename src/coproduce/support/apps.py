from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "coproduce.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.support import home, rules  # noqa: F401  (registers the home section and the rules)

        register_nav_item(NavItem("support", _("Support"), "support:home", order=20))
