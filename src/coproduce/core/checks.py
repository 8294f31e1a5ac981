"""System checks of Coproduce's own settings, run by ``coproduce check`` (``--deploy`` for production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_set(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Outside the demo, SECRET_KEY must come from the environment: without it the settings make up a key
    for commands that need none, and a server using that key would sign sessions and invitation links with
    a key that changes at every start."""
    if getattr(settings, "DEMO", False):
        return []
    if not settings.SECRET_KEY.startswith(settings.UNSET_SECRET_KEY_PREFIX):
        return []
    return [
        Error(
            "SECRET_KEY is not set.",
            hint="Set the SECRET_KEY environment variable to a long random value, kept secret "
            '(for example: python -c "import secrets; print(secrets.token_urlsafe(64))").',
            id="coproduce.E001",
        )
    ]


@register()
def periodic_jobs_name_their_tasks(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every periodic job (``core.scheduler``) names a task that exists and takes no arguments: a mistyped
    path would otherwise show only as an error in the worker's log at every tick."""
    import inspect

    from coproduce.core.scheduler import periodic_jobs, task_of

    errors: list[CheckMessage] = []
    for job in periodic_jobs():
        try:
            task = task_of(job)
        except (ImportError, TypeError):
            errors.append(
                Error(
                    f"The periodic job {job.key} names no task: {job.task}.",
                    hint="Give the dotted path of a task declared with core.background.reliable_task.",
                    id="coproduce.E020",
                )
            )
            continue
        required = [
            p
            for p in inspect.signature(task.func).parameters.values()
            if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        if required:
            errors.append(
                Error(
                    f"The task of the periodic job {job.key} ({job.task}) needs arguments; the scheduler gives none.",
                    id="coproduce.E021",
                )
            )
    return errors
