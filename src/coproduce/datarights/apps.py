from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataRightsConfig(AppConfig):
    """Leaving the partnership, being removed from it, and erasure: the person's rights over what every
    capability holds about them, run through the departures each capability registers
    (``partnerships.personal_data``)."""

    name = "coproduce.datarights"
    label = "datarights"
    verbose_name = "Data rights"

    def ready(self) -> None:
        from coproduce.datarights import audit_wording as datarights_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=datarights_audit_wording.SENTENCES)

        from coproduce.datarights import departure
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure

        register_departure(departure.FOUNDATION)
        register_nav_item(
            NavItem("erasures", _("Erasure requests"), "datarights:erasures", order=94, visible=_coordinator)
        )


def _coordinator(membership: object) -> bool:
    return bool(getattr(membership, "is_coordinator", False))
