"""The form fields every capability's forms build the same way: a date typed or picked (31/12/2026 or the
browser's date picker) and a line or box of text, each with its error messages in plain words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_LENGTH = _("This must be %(limit_value)d characters or fewer.")


def date_field(
    label: Any, *, required: bool = True, help_text: Any = "", required_message: Any = None
) -> forms.DateField:
    """A date, typed as 31/12/2026 or chosen in the browser's date picker."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=DATE_FORMATS,
        error_messages={
            "invalid": _("Enter a real date, like 31/12/2026."),
            "required": required_message or _("Enter a date."),
        },
    )


def text_field(
    label: Any, max_length: int, *, required: bool = True, rows: int = 0, required_message: Any = None, **kwargs: Any
) -> forms.CharField:
    """A line of text, or a box of ``rows`` lines, at most ``max_length`` characters."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    messages = {"max_length": MAX_LENGTH}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, error_messages=messages, **kwargs
    )
