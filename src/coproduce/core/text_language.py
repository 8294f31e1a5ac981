"""The language people wrote their own text in, so pages can mark it (``lang``) and never pass it off as
translated.

Text a person writes is stored with the language of the pages they were using when they wrote it: the
active language of the request (the person's chosen language, or their browser's). Rows written before
languages existed, and rows written outside a request, hold "" — shown as the partnership's default,
English. Nothing here translates anyone's words.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_MAX = 12


def current_text_language() -> str:
    """The active language if it is one the platform offers, else ""; the default of every text's language."""
    code = translation.get_language() or ""
    offered = {c for c, _name in settings.LANGUAGES}
    return code if code in offered else ""


def text_language_field() -> models.CharField[str, str]:
    """The field every model holding people's own text carries, named ``language``."""
    return models.CharField(
        _("language of the text"),
        max_length=LANGUAGE_MAX,
        blank=True,
        default=current_text_language,
        db_default="",
        editable=False,
    )
