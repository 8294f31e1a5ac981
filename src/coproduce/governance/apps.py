from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "coproduce.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from coproduce.governance.personal_data import register
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("agreement", _("Partnership agreement"), "governance:agreement", order=78))
        register()
