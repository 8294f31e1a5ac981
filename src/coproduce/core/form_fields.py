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


class MobileNumberField(forms.CharField):
    """A mobile number, typed as people write it (07700 900123, +44 7700 900123), cleaned to E.164
    (``+447700900123``); anything that is not a mobile number is refused with an example."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("help_text", _("For example, 07700 900123"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("error_messages", {"required": _("Enter your mobile number.")})
        widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})
        super().__init__(widget=widget, **kwargs)
        self.error_messages["max_length"] = _("Enter a UK mobile number, like 07700 900123.")

    def to_python(self, value: Any) -> str:
        from coproduce.core.sms import mobile_number

        text = super().to_python(value)
        return mobile_number(text) if text else ""
