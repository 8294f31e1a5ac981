"""allauth's code forms (settings ``MFA_FORMS`` and ``ACCOUNT_FORMS``), with every wrong code counted, audited
and limited by ``accounts/limits.py``: the authenticator app's code or a recovery code at the second step of
signing in (and when a signed-in person confirms who they are), and the code sent by email."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.fields import EmailField
from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coproduce.accounts import services
from coproduce.accounts.limits import (
    AUTHENTICATOR_CODE,
    EMAILED_CODE,
    TEXTED_CODE_REQUEST,
    account_of_email,
    account_of_person,
    account_of_phone,
)
from coproduce.core.clientaddress import client_address_for_limits
from coproduce.core.form_fields import MobileNumberField

# The request attribute holding the message for a code ended by a limit (AccountAdapter.add_message shows it).
WAIT_MESSAGE = "coproduce_sign_in_wait_message"


# What to say when a field of a sign-in form is left empty: each says which field, so that the error summary
# never lists the same "This field is required." twice.
REQUIRED = {
    "login": gettext_lazy("Enter your email address."),
    "email": gettext_lazy("Enter your email address."),
    "password": gettext_lazy("Enter your password."),
    "password1": gettext_lazy("Enter a new password."),
    "password2": gettext_lazy("Enter the new password again."),
    "code": gettext_lazy("Enter the code."),
}


class SaysWhatIsMissing:
    """A sign-in form whose empty fields are named in its errors (``REQUIRED``)."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in REQUIRED:
                field.error_messages["required"] = REQUIRED[name]


class LoginForm(SaysWhatIsMissing, AllauthLoginForm):
    """Signing in with a password, by email address (a mobile number signs in by a texted code only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = EmailField()
        self.fields["login"].error_messages["required"] = REQUIRED["login"]
        self.order_fields(["login", "password"])


class ResetPasswordForm(SaysWhatIsMissing, AllauthResetPasswordForm):
    """Asking for a link to set a new password."""


class ResetPasswordKeyForm(SaysWhatIsMissing, AllauthResetPasswordKeyForm):
    """Setting a new password from the emailed link."""


class _AuthenticatorCodeLimited(SaysWhatIsMissing, BaseAuthenticateForm):
    """allauth's check of an authenticator or recovery code, heard only while the account and the address are
    not waiting; a wrong code is counted and audited, and one that starts a wait ends the pending sign-in."""

    reauthentication = False
    sign_in_voided = False  # the template offers "sign in again" instead of the form

    def clean_code(self) -> str:
        request = context.request
        account = account_of_person(self.user)
        with services.sign_in_step_held(rule=AUTHENTICATOR_CODE, account=account):
            outcome = self._checked(request, account, client_address_for_limits(request))
        if isinstance(outcome, ValidationError):
            raise outcome  # outside the transaction, so that the count it made stays
        return outcome

    def _checked(self, request: HttpRequest, account: str, address: str | None) -> str | ValidationError:
        wait = services.waiting(rule=AUTHENTICATOR_CODE, account=account, address=address)
        if wait is not None:
            services.sign_in_step_refused(
                person=self.user,
                rule=AUTHENTICATOR_CODE,
                wait=wait,
                reauthentication=self.reauthentication,
            )
            return self._waiting(request, wait)
        try:
            code: str = super().clean_code()
        except ValidationError as wrong:
            failure = services.sign_in_step_failed(
                person=self.user,
                rule=AUTHENTICATOR_CODE,
                account=account,
                address=address,
                reauthentication=self.reauthentication,
            )
            if failure.wait is not None:
                return self._waiting(request, failure.wait)
            if self._used_just_now(str(self.cleaned_data.get("code") or "")):
                return ValidationError(
                    _(
                        "You have just used this code. Wait for your authenticator app to show the next one (it "
                        "changes every 30 seconds), then type that."
                    ),
                    code="used",
                )
            return wrong
        services.sign_in_step_passed(rule=AUTHENTICATOR_CODE, account=account)
        return code

    def _used_just_now(self, code: str) -> bool:
        """Whether a refused code is the app's current one: allauth refuses a code used a moment ago (it
        takes each code once), and the person should wait for the next rather than think they mistyped."""
        app = Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).first()
        return bool(code) and app is not None and validate_totp_code(decrypt(app.data["secret"]), code)

    def _waiting(self, request: HttpRequest, wait: timedelta) -> ValidationError:
        if self.reauthentication:
            message = _("There have been too many wrong codes. Wait %(wait)s and try again.")
        else:
            # The password must be given again: whoever guesses codes has to get past it each time.
            clear_login(request)
            self.sign_in_voided = True
            message = _(
                "There have been too many wrong codes. To keep your account safe, wait %(wait)s, then sign in "
                "again with your password."
            )
        return ValidationError(message % {"wait": services.wait_text(wait)}, code="waiting")


class AuthenticateForm(_AuthenticatorCodeLimited, AllauthAuthenticateForm):
    """The second step of signing in."""


class ReauthenticateForm(_AuthenticatorCodeLimited, AllauthReauthenticateForm):
    """A signed-in person confirming who they are before a sensitive change."""

    reauthentication = True


def by_text(request: HttpRequest | None) -> bool:
    """Whether the sign-in code page is asking for a code by text message (``?by=text``) rather than email."""
    if request is None:
        return False
    return "text" in (request.GET.get("by"), request.POST.get("by"))


class RequestLoginCodeForm(SaysWhatIsMissing, AllauthRequestLoginCodeForm):
    """Asking for a sign-in code by email, or by text message to a confirmed mobile number (``?by=text``): one
    of the two boxes is shown, and must be filled. No code is sent while that email's or number's codes are
    waiting, nor a second code to one number within a minute (a double submit), nor more codes than the
    limits allow from one address or to one number (``accounts/limits.py``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "phone" not in self.fields:  # texts are not a way of signing in on this site
            return
        if by_text(context.request):
            self.fields.pop("email")
            self.fields["phone"].required = True
            self.fields["phone"].help_text = _(
                "The mobile number you confirmed on your account page. For example, 07700 900123"
            )
        else:
            self.fields.pop("phone")
            self.fields["email"].required = True

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone")
        if not phone:
            return ""
        request = context.request
        address = client_address_for_limits(request)
        account = account_of_phone(phone)
        wait = services.waiting(rule=EMAILED_CODE, account=account, address=address) or services.waiting(
            rule=TEXTED_CODE_REQUEST, account=account, address=address
        )
        if wait is not None:
            message = _("Too many codes have been asked for this number. Wait %(wait)s, then ask for a new code.")
            raise ValidationError(message % {"wait": services.wait_text(wait)}, code="waiting")
        if services.sign_in_code_texted_lately(phone=phone):
            raise ValidationError(
                _("We sent a code to this number less than a minute ago. Type that code, or wait a minute."),
                code="just_sent",
            )
        # Every request counts, for the number and for the address, whether or not the number holds an account.
        services.sign_in_code_requested(rule=TEXTED_CODE_REQUEST, account=account, address=address)
        return super().clean_phone()  # type: ignore[no-any-return]

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email")
        if email:
            wait = services.waiting(
                rule=EMAILED_CODE, account=account_of_email(email), address=client_address_for_limits(context.request)
            )
            if wait is not None:
                message = _(
                    "There have been too many wrong codes for this email address. Wait %(wait)s, then ask for a "
                    "new code."
                )
                raise ValidationError(message % {"wait": services.wait_text(wait)}, code="waiting")
        return super().clean_email()  # type: ignore[no-any-return]


class ConfirmLoginCodeForm(SaysWhatIsMissing, AllauthConfirmLoginCodeForm):
    """Typing the code sent by email. The limit counts per email address, whether or not it holds an account."""

    def clean_code(self) -> str:
        request = context.request
        stage: Any = request._login_stage  # type: ignore[attr-defined]  # set by allauth's view decorator
        phone = stage.state.get("phone")
        account = account_of_phone(phone) if phone else account_of_email(stage.state.get("email"))
        with services.sign_in_step_held(rule=EMAILED_CODE, account=account):
            outcome = self._checked(request, stage, account)
        if isinstance(outcome, ValidationError):
            raise outcome  # outside the transaction, so that the count it made stays
        return outcome

    def _checked(self, request: HttpRequest, stage: Any, account: str) -> str | ValidationError:
        person = stage.login.user
        address = client_address_for_limits(request)
        wait = services.waiting(rule=EMAILED_CODE, account=account, address=address)
        if wait is not None:
            services.sign_in_step_refused(person=person, rule=EMAILED_CODE, wait=wait)
            return self._waiting(request, stage, wait)
        try:
            code: str = super().clean_code()
        except ValidationError as wrong:
            failure = services.sign_in_step_failed(person=person, rule=EMAILED_CODE, account=account, address=address)
            return wrong if failure.wait is None else self._waiting(request, stage, failure.wait)
        services.sign_in_step_passed(rule=EMAILED_CODE, account=account)
        return code

    @staticmethod
    def _waiting(request: HttpRequest, stage: Any, wait: timedelta) -> ValidationError:
        message = _("There have been too many wrong codes. Wait %(wait)s, then ask for a new code.") % {
            "wait": services.wait_text(wait)
        }
        # allauth's view ends the code when its tries are used up, and says so: use them up, with this message.
        stage.state["failed_attempts"] = account_settings.LOGIN_BY_CODE_MAX_ATTEMPTS
        setattr(request, WAIT_MESSAGE, message)
        return ValidationError(message, code="waiting")


class MobileNumberForm(forms.Form):
    """Adding or changing the mobile number on one's account page."""

    phone = MobileNumberField()


class NumberCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("The code in the text message"),
        max_length=12,
        error_messages={"required": gettext_lazy("Enter the code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
