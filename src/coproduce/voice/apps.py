from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "coproduce.voice"
    label = "voice"
    verbose_name = "Voice"

    def ready(self) -> None:
        from coproduce.voice import retention

        retention.register()
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_personal_data
        from coproduce.voice import home  # noqa: F401  (registers the home-page section)
        from coproduce.voice.personal_data import EXPORT

        register_personal_data(EXPORT)

        register_nav_item(NavItem("voice", _("Ideas"), "voice:ideas", order=10))

        from coproduce.partnerships.personal_data import register_departure
        from coproduce.voice.departure import DEPARTURE

        register_departure(DEPARTURE)
