from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def stage(area: Any, rating: Any) -> str:
    """The name of the stage a rating falls in, on the area's ladder."""
    return str(area.stage_for(rating)) if area is not None else ""


@register.filter
def in_words(value: Any) -> Any:
    """A value of a plan's history as a person reads it: a date kept as ``2026-07-10`` becomes "10 July 2026"
    (the history keeps what a field was before as JSON, where dates are ISO strings); anything else as it is."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date_format(datetime.date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return value
