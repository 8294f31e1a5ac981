"""Template tags for the site's frame."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def source_code_url() -> str:
    """The address of this deployment's source code (``COPRODUCE_SOURCE_URL``), or "" when none is set."""
    return str(getattr(settings, "COPRODUCE_SOURCE_URL", "") or "")
