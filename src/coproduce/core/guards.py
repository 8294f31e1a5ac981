"""The checks every app's services make the same way: that a thing belongs to the acting person's
partnership, and that a piece of text is given and not too long. Written once here; the apps' services call
them rather than keeping copies of their own."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted, ServiceError


def same_partnership(membership: Any, obj: Any) -> None:
    """``NotPermitted`` (a 404) unless ``obj`` exists and belongs to ``membership``'s partnership."""
    if obj is None or obj.partnership_id != membership.partnership_id:
        raise NotPermitted()


def text_checked(
    value: str | None,
    *,
    field: str,
    max_length: int,
    required: str | None = None,
    too_long: str | None = None,
) -> str:
    """``value`` without surrounding blanks. ``required`` is the message when it is empty (``None``: it may
    be empty); ``too_long`` the message, with ``%(max)d``, when it is longer than ``max_length``."""
    value = (value or "").strip()
    if required is not None and not value:
        raise ServiceError(required, field=field, code="required")
    if len(value) > max_length:
        message = too_long or _("This must be %(max)d characters or fewer.")
        raise ServiceError(message % {"max": max_length}, field=field, code="too_long")
    return value
