"""Money in learning's pages: integer pence written as pounds ("£15", "£4.50")."""

from __future__ import annotations

from typing import Any

from django import template

from coproduce.core.money import format_pence

register = template.Library()


@register.filter
def pence_as_pounds(pence: Any) -> str:
    if pence is None or pence == "":
        return ""
    return format_pence(int(pence))
