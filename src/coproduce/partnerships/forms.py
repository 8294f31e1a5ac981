from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.partnerships.models import Organisation
from coproduce.partnerships.roles import ROLE_DESCRIPTIONS, Role


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, f"{role.label} – {ROLE_DESCRIPTIONS[role]}") for role in Role]


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        help_text=_("Choose all that apply. Workers, coordinators and partner leads need an organisation."),
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role."), "invalid_choice": _("Choose roles from the list.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("None (members and observers)"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class InvitationForm(RolesForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address of the person to invite."),
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )

    field_order = ["email", "roles", "organisation"]


class AcceptNewAccountForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name, as others will see it"),
        help_text=_("A first name or a nickname is fine."),
        max_length=80,
        error_messages={
            "required": _("Enter the name you want other people to see."),
            "max_length": _("Your name must be 80 characters or fewer."),
        },
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        help_text=_("At least 12 characters. A few words you will remember work well."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Enter a password.")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The passwords do not match. Type the same password twice."))
        return data
