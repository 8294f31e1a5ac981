"""Django's ``date`` filter, with the month named as it is next to a day in the page's language.

Templates write dates as ``{{ when|date:"j F Y" }}``. ``F`` is the month's name on its own ("grudzień" in
Polish, "грудень" in Ukrainian); next to a day number those languages use another form ("7 grudnia 2026",
"7 грудня 2026"), which Django gives as ``E`` (in English, Gaelic, Arabic and Urdu ``E`` is ``F``). So a format
that shows a day and ``F`` is read with ``E``; "F Y" alone keeps ``F``. A builtin (settings.TEMPLATES), after
Django's own, so every template's ``date`` is this one.
"""

from __future__ import annotations

from datetime import date as date_type
from typing import Any

from django import template
from django.template.defaultfilters import date as django_date

register = template.Library()

_DAY = ("j", "d")


def month_beside_day(format_string: str) -> str:
    """``format_string`` with ``F`` read as ``E`` when it also shows a day of the month (escapes kept)."""
    if "F" not in format_string or not any(code in format_string for code in _DAY):
        return format_string
    out = []
    escaped = False
    for char in format_string:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        else:
            out.append("E" if char == "F" else char)
    return "".join(out)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: date_type | Any, arg: str | None = None) -> str:
    return str(django_date(value, month_beside_day(arg) if arg else arg))
