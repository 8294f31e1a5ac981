"""How a person hears from us: for each kind of notice, on the site only, an email straight away, or in the
daily email; and the hours when no email is sent."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.notifications.models import Delivery
from coproduce.notifications.registry import NoticeKind, sms_allowed

QUIET_FIELDS = ("quiet_morning_from", "quiet_morning_to", "quiet_afternoon_from", "quiet_afternoon_to")


def field_name(kind: NoticeKind) -> str:
    return "kind__" + kind.key.replace(".", "__")


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, kinds: list[NoticeKind], texts: bool = False, **kwargs: Any) -> None:
        """``texts``: the person has a confirmed mobile number and has not stopped texts, so the kinds that
        may come by text message (``registry.SMS_KINDS``) offer it."""
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            offered = [(value, label) for value, label in Delivery.choices if value != Delivery.SMS]
            if texts and sms_allowed(kind.key):
                offered.append((Delivery.SMS.value, Delivery.SMS.label))
            self.fields[field_name(kind)] = forms.ChoiceField(
                label=str(kind.label),
                choices=offered,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how to hear about this."),
                    "invalid_choice": _("Choose how to hear about this."),
                },
            )
        labels = {
            "quiet_morning_from": _("Morning: no email from"),
            "quiet_morning_to": _("Morning: until"),
            "quiet_afternoon_from": _("Afternoon: no email from"),
            "quiet_afternoon_to": _("Afternoon: until"),
        }
        for name in QUIET_FIELDS:
            self.fields[name] = forms.TimeField(
                label=labels[name],
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                help_text=_("For example, 08:00. Leave both times empty for no quiet time then.")
                if name.endswith("_from")
                else "",
                error_messages={"invalid": _("Enter a time like 08:00.")},
            )

    def choices(self) -> dict[str, str]:
        return {kind.key: self.cleaned_data[field_name(kind)] for kind in self.kinds}

    def quiet(self) -> dict[str, time | None]:
        return {name: self.cleaned_data.get(name) for name in QUIET_FIELDS}
