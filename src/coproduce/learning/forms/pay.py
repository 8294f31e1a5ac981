"""Forms for paid time and expenses (explicit fields; amounts typed in pounds, cleaned to integer pence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.money import format_pence, parse_pounds
from coproduce.learning.models import Claim


class PenceField(forms.CharField):
    """An amount in pounds ("4", "4.50", "£12"); cleaned to integer pence. A minus sign is kept, so the service
    can say plainly that an amount cannot be below £0."""

    default_error_messages = {"invalid": _("Enter an amount in pounds and pence, like 4.50.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return format_pence(value, symbol=False)
        return value

    def clean(self, value: Any) -> Any:
        text = (super().clean(value) or "").strip()
        if text == "":
            return 0
        negative = text.startswith("-")
        pence = parse_pounds(text[1:] if negative else text)
        if pence is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return -pence if negative else pence


class PaySettingsForm(forms.Form):
    hourly_rate = PenceField(
        label=_("Hourly rate for co-design time, in pounds"),
        help_text=_("What a parent is paid for each hour at a paid-time event, like 15. Enter 0 to pay no rate."),
    )
    covers_travel = forms.BooleanField(label=_("We cover travel costs (bus, train or taxi fares)"), required=False)
    covers_childcare = forms.BooleanField(label=_("We cover childcare costs"), required=False)
    expense_ceiling = PenceField(
        label=_("The most one claim can ask for travel, and for childcare, in pounds"),
        help_text=_("A claim over this is refused with a message to talk to the organiser. At most £500."),
    )


class ClaimForm(forms.Form):
    time_choice = forms.ChoiceField(
        label=_("How would you like to be paid for your time?"),
        choices=Claim.TimeChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose cash, a voucher or nothing for your time.")},
    )
    travel = PenceField(label=_("Travel costs, in pounds"), help_text=_("Bus fares or petrol. Leave empty if none."))
    childcare = PenceField(
        label=_("Childcare costs, in pounds"), help_text=_("What you paid for childcare to come. Leave empty if none.")
    )
    receipt_reference = forms.CharField(
        label=_("Receipt or ticket reference (optional)"),
        help_text=_("The number on a ticket or receipt, if you have one. You do not need one to claim."),
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, covers_travel: bool = True, covers_childcare: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not covers_travel:
            del self.fields["travel"]
        if not covers_childcare:
            del self.fields["childcare"]


class RefuseClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this claim refused?"),
        help_text=_("The parent will read this. Say what she can do now, if anything."),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the claim is refused: the parent will read it.")},
    )
