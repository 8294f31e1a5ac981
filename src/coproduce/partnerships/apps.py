from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "coproduce.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from coproduce.partnerships.my_data import register_foundation_exports
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_foundation_exports()

        register_nav_item(NavItem("home", _("Home"), "partnerships:home", order=0))
        register_nav_item(NavItem("people", _("People"), "partnerships:people", order=80))
        register_nav_item(NavItem("organisations", _("Partner organisations"), "partnerships:organisations", order=85))
        register_nav_item(
            NavItem("invitations", _("Invitations"), "partnerships:invitations", order=90, visible=_coordinator)
        )
        register_nav_item(NavItem("audit", _("Audit log"), "partnerships:audit", order=95, visible=_coordinator))


def _coordinator(membership: object) -> bool:
    return bool(getattr(membership, "is_coordinator", False))
