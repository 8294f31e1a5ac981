from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.form_fields import MobileNumberField
from coproduce.core.links import validate_web_address
from coproduce.partnerships.models import Organisation
from coproduce.partnerships.orgid import OrgIdError, org_id_clean
from coproduce.partnerships.roles import ROLE_DESCRIPTIONS, Role


def _role_choices(roles: Any = None) -> list[tuple[str, str]]:
    return [(role.value, f"{role.label} – {ROLE_DESCRIPTIONS[role]}") for role in (roles or Role)]


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
    """``own_organisation`` (a partner lead's): only the roles a partner lead gives, and no choice of
    organisation (they invite staff of theirs)."""

    def __init__(self, *args: Any, own_organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_organisation = own_organisation
        if own_organisation is not None:
            roles = self.fields["roles"]
            roles.choices = _role_choices([Role.WORKER, Role.PARTNER_LEAD])  # type: ignore[attr-defined]
            roles.help_text = _("Choose one or both.")
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.own_organisation is not None:
            data["organisation"] = self.own_organisation
        if "email" not in self.errors and "phone" not in self.errors:
            if data.get("email") and data.get("phone"):
                self.add_error("phone", _("Enter an email address or a mobile number, not both."))
            elif not data.get("email") and not data.get("phone"):
                self.add_error("email", _("Enter the email address or the mobile number of the person to invite."))
        return data

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the right format, like name@example.com."),
        },
    )
    phone = MobileNumberField(
        label=_("Or a mobile number, to invite them by text message"),
        help_text=_("For example, 07700 900123. Leave the email address empty if you use this."),
        required=False,
    )

    field_order = ["email", "phone", "roles", "organisation"]


class TextsForm(forms.Form):
    texts = forms.ChoiceField(
        label=_("Text messages"),
        choices=[
            ("on", _("On: invitations and urgent notices may go by text message")),
            ("off", _("Off: the partnership sends no text messages")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose on or off."), "invalid_choice": _("Choose on or off.")},
    )


class AcceptNewAccountForm(forms.Form):
    def __init__(self, *args: Any, by_text: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if by_text:
            # An invitation by text message: the email address is asked too (every account has one).
            self.fields["email"] = forms.EmailField(
                label=_("Your email address"),
                help_text=_("Every account has one: you sign in with it, and notices can come to it."),
                max_length=254,
                error_messages={
                    "required": _("Enter your email address."),
                    "invalid": _("Enter an email address in the right format, like name@example.com."),
                },
            )
            self.order_fields(["email"])

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


WEB_ADDRESS_ERROR = _("Enter a web address starting https://")


def _web_address_field(label: Any) -> forms.URLField:
    return forms.URLField(
        assume_scheme="https",
        label=label,
        required=False,
        max_length=200,
        validators=[validate_web_address],  # http(s) only: the URL field alone also takes ftp://
        error_messages={
            "invalid": WEB_ADDRESS_ERROR,
            "max_length": _("The web address must be 200 characters or fewer."),
        },
    )


class PartnershipSettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the partnership's name."),
            "max_length": _("The name must be 200 characters or fewer."),
        },
    )
    description = forms.CharField(
        label=_("What the partnership does"),
        help_text=_("One or two sentences, shown on the partnership's home page."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Keep it to 2000 characters or fewer.")},
    )
    contact_email = forms.EmailField(
        label=_("Contact email address (optional)"),
        help_text=_("A shared mailbox is best, so it still works when people change jobs."),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an email address in the right format, like name@example.com.")},
    )
    contact_phone = forms.CharField(
        label=_("Contact phone number (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"max_length": _("Enter a phone number, like 0141 496 0000 or +44 141 496 0000.")},
    )
    contact_address = forms.CharField(
        label=_("Postal address (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The postal address must be 500 characters or fewer.")},
    )
    website = _web_address_field(_("Web page (optional)"))


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the organisation's name."),
            "max_length": _("The name must be 200 characters or fewer."),
        },
    )
    kind = forms.ChoiceField(
        label=_("What kind of organisation it is"),
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of organisation it is."),
            "invalid_choice": _("Choose what kind of organisation it is."),
        },
    )
    description = forms.CharField(
        label=_("What it does (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep it to 2000 characters or fewer.")},
    )
    website = _web_address_field(_("Web page (optional)"))
    org_id = forms.CharField(
        label=_("Organisation identifier (optional)"),
        help_text=_(
            "Its register and number, as on org-id.guide. For example: GB-SC-SC012345 (Scottish charity), "
            "GB-COH-SC123456 (company), GB-LAS-GLG (Scottish council), GB-CHC-1123456 (charity in England and "
            "Wales)."
        ),
        required=False,
        max_length=60,
        error_messages={"max_length": _("The identifier must be 60 characters or fewer.")},
    )

    def clean_org_id(self) -> str:
        try:
            return org_id_clean(self.cleaned_data.get("org_id") or "")
        except OrgIdError as error:
            raise forms.ValidationError(error.message, code="bad_org_id") from None
