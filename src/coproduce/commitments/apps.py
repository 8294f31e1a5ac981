from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "coproduce.commitments"
    label = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        pass
