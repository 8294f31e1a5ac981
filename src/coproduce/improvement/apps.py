from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "coproduce.improvement"
    label = "improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from coproduce.improvement import retention

        retention.register()
        from coproduce.improvement import home  # noqa: F401  (registers the home-page section)
        from coproduce.improvement.personal_data import EXPORT
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_personal_data

        register_personal_data(EXPORT)

        register_nav_item(NavItem("improvement", _("Tests of change"), "improvement:board", order=40))

        from coproduce.improvement.departure import DEPARTURE
        from coproduce.partnerships.personal_data import register_departure

        register_departure(DEPARTURE)
