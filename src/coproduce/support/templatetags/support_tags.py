from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def stage(area: Any, rating: Any) -> str:
    """The name of the stage a rating falls in, on the area's ladder."""
    return str(area.stage_for(rating)) if area is not None else ""
