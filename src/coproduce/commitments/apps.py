from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "coproduce.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from coproduce.commitments import audit_wording as commitments_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=commitments_audit_wording.SENTENCES)

        from coproduce.commitments import home, rules  # noqa: F401  (they register the attention item and rules)
        from coproduce.commitments.departure import DEPARTURE
        from coproduce.commitments.personal_data import EXPORT
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_nav_item(NavItem("commitments", _("Commitments"), "commitments:board", order=60))
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        register_notice_kind(
            NoticeKind("commitments.reviewed", _("Someone recorded a review of a commitment you answer for"))
        )

        # --- open data
        from coproduce.commitments import open_data
        from coproduce.partnerships.open_data import register_open_dataset

        register_open_dataset(open_data.DATASET)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.commitments.api_v1 import r as api_router

        register_router("commitments", api_router)
