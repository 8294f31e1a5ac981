"""Money in learning's pages: integer pence written as pounds ("£15", "£4.50")."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pence_as_pounds(pence: Any) -> str:
    if pence is None or pence == "":
        return ""
    value = int(pence)
    pounds, rest = divmod(abs(value), 100)
    text = f"£{pounds:,}" if rest == 0 else f"£{pounds:,}.{rest:02d}"
    return f"-{text}" if value < 0 else text
