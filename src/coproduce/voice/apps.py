from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "coproduce.voice"
    label = "voice"
    verbose_name = "Voice"

    def ready(self) -> None:
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.voice import audit_wording as voice_audit_wording

        register_audit_wording(sentences=voice_audit_wording.SENTENCES)

        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure, register_personal_data
        from coproduce.voice import home, retention  # noqa: F401  (home registers the home-page section)
        from coproduce.voice.departure import DEPARTURE
        from coproduce.voice.personal_data import EXPORT
        from coproduce.voice.services.notifications import DIGEST_CHECK_EVERY

        register_nav_item(NavItem("voice", _("Ideas"), "voice:ideas", order=10))
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()
        register_periodic(
            PeriodicJob(
                "voice.digests",
                every=DIGEST_CHECK_EVERY,
                task="coproduce.voice.tasks.send_due_digests",
                description="Emails each person who asked for a digest the notifications they have not read.",
            )
        )
