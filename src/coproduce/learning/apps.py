from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "coproduce.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from coproduce.learning import home  # noqa: F401  (registers the home-page section and the nav item)
