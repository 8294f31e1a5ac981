from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "coproduce.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from coproduce.support import retention

        retention.register()
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_personal_data
        from coproduce.support import home, rules  # noqa: F401  (registers the home section and the rules)
        from coproduce.support.selectors.personal_data import EXPORT

        register_personal_data(EXPORT)

        register_nav_item(NavItem("support", _nav_label, "support:home", order=20))

        from coproduce.partnerships.personal_data import register_departure
        from coproduce.support.departure import DEPARTURE

        register_departure(DEPARTURE)

        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.support import audit_wording

        register_audit_wording(sentences=audit_wording.SENTENCES, namers=audit_wording.NAMERS)


def _nav_label(membership: Any) -> Any:
    # A parent finds "My plan"; staff (and a parent who is also staff) find their caseload under "Support".
    if membership.is_member and not membership.is_staff_role:
        return _("My plan")
    return _("Support")
