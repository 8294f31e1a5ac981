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
