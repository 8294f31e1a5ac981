from __future__ import annotations

from typing import Any

from django import template

from coproduce.core.money import format_pence

register = template.Library()


@register.filter
def pounds(pence: Any) -> str:
    """Pence as "£1,250.50"."""
    if pence in (None, ""):
        return ""
    return format_pence(int(pence))


@register.filter
def percent(value: Any) -> str:
    """A share from 0 to 1 as "42%"."""
    if value in (None, ""):
        return ""
    return f"{round(float(value) * 100)}%"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(key, mapping.get(str(key)))
