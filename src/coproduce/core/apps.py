from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "coproduce.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from coproduce.core import checks  # noqa: F401  (registers the system checks)
        from coproduce.core.background import on_task_finished

        # A task that fails for good records it where people look (core.background).
        task_finished.connect(on_task_finished, dispatch_uid="coproduce.core.background.on_task_finished")
