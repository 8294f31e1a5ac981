from typing import Any

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
        from django.utils.translation import ngettext

        from coproduce.datarights import audit_wording as datarights_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=datarights_audit_wording.SENTENCES)

        from coproduce.datarights import departure
        from coproduce.partnerships.attention import AttentionItem, register_attention_item
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure

        register_departure(departure.FOUNDATION)
        register_attention_item(
            AttentionItem(
                key="erasures",
                count=_erasures_waiting,
                text=lambda n: (
                    ngettext(
                        "%(n)d request to erase someone's data, waiting for you",
                        "%(n)d requests to erase people's data, waiting for you",
                        n,
                    )
                    % {"n": n}
                ),
                url_name="datarights:erasures",
                order=20,
            )
        )
        register_nav_item(
            NavItem("erasures", _("Erasure requests"), "datarights:erasures", order=94, visible=_coordinator)
        )


def _coordinator(membership: object) -> bool:
    return bool(getattr(membership, "is_coordinator", False))


def _erasures_waiting(membership: Any) -> int:
    from coproduce.datarights.models import ErasureRequest

    return ErasureRequest.objects.filter(partnership_id=membership.partnership_id, confirmed_at__isnull=True).count()
