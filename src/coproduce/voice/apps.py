from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "coproduce.voice"
    label = "voice"
    verbose_name = "Voice"

    def ready(self) -> None:
        from coproduce.voice import home  # noqa: F401  (registers the home-page section)
