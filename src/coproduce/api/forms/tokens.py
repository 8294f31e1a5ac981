"""Making a token: its name, what it may do, and how many days it lasts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.api.models import AccessToken
from coproduce.api.services.tokens import DEFAULT_DAYS, LONGEST_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell it apart: for example, “Board report spreadsheet”."),
        error_messages={"required": _("Give the token a name.")},
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the token may do.")},
    )
    days = forms.IntegerField(
        label=_("Days it lasts"),
        min_value=1,
        max_value=LONGEST_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("From 1 to 365 days. After that it stops working and you make a new one."),
        error_messages={"required": _("Say how many days the token lasts.")},
    )

    def __init__(self, *args: object, writes: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not writes:
            scope = self.fields["scope"]
            if isinstance(scope, forms.ChoiceField):
                scope.choices = [(AccessToken.Scope.READ, AccessToken.Scope.READ.label)]
