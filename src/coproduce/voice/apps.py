from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "coproduce.voice"
    label = "voice"
    verbose_name = "Voice"

    def ready(self) -> None:
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.voice import home  # noqa: F401  (registers the home-page section)
        from coproduce.voice.services.notifications import DIGEST_CHECK_EVERY

        register_nav_item(NavItem("voice", _("Ideas"), "voice:ideas", order=10))
        register_periodic(
            PeriodicJob(
                "voice.digests",
                every=DIGEST_CHECK_EVERY,
                task="coproduce.voice.tasks.send_due_digests",
                description="Emails each person who asked for a digest the notifications they have not read.",
            )
        )
