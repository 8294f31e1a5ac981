from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coproduce.accounts import services
from coproduce.accounts.forms import WAIT_MESSAGE
from coproduce.accounts.limits import PASSWORD
from coproduce.accounts.lockout import attempted_email
from coproduce.accounts.views import too_many_attempts
from coproduce.core.clientaddress import client_address, client_address_for_limits
from coproduce.core.email import make_email


class AccountAdapter(DefaultAccountAdapter):
    # allauth's messages that people meet when signing in, in plain words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("The email address or password is not right. Check them and try again."),
        "incorrect_code": _("That code is not right. Check the email we sent and type the code again."),
        "invalid_password_reset": _("This link to set a new password no longer works. Ask for a new one."),
        "invalid_or_expired_key": _("This link no longer works. Ask for a new one."),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the email here, in the request, and leave the sending to a background task
        (``core.outbox``): a mail server that is slow, never answers or refuses cannot hold up or break a
        sign-in, sign-in-by-code or password-reset page, which answers at once as if it were sent.

        The rendered message may hold a secret (a sign-in code, a password-reset link). It is stored in its
        outbox row only until it is sent or given up, when the row's content and recipients are cleared; the
        background task's own stored arguments are only the row's id. The code or link expires as usual."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from coproduce.core.outbox import queue_message

        request = allauth_context.request
        full_context = {"request": request, "email": email, "current_site": get_current_site(request)}
        full_context.update(context)
        queue_message(self.render_mail(template_prefix, email, full_context), kind=template_prefix)

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's emails in the platform's one shape (``core.email``): plain text escaped nowhere, the same
        words as HTML escaped once, signed by Coproduce rather than by the address the page was asked on."""
        to = [email] if isinstance(email, str) else list(email)
        subject_prefix = account_settings.EMAIL_SUBJECT_PREFIX or ""
        # In the language the person saved, if the address is someone's (a sign-in code asked for before signing
        # in); otherwise in the page's language.
        people = get_user_model().objects.filter(email=to[0].strip().lower()) if len(to) == 1 else None
        language = (people.values_list("language", flat=True).first() or "") if people is not None else ""
        made = make_email(
            template_prefix, context, body_suffix="_message.txt", subject_prefix=subject_prefix, language=language
        )
        return made.message(to, headers=headers)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join a partnership by invitation (see partnerships.services.invitation_accept).
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in a few minutes ago counts as recent: staff sent straight from signing in to set up
        two-factor sign-in are not asked for their password a second time."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = getattr(context, "request", None)
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        if not records:
            return True
        return time.time() - float(records[-1]["at"]) >= account_settings.REAUTHENTICATION_TIMEOUT

    def get_client_ip(self, request: HttpRequest) -> str:
        """The one client-address rule (core/clientaddress.py), for allauth's own limits and the sessions list."""
        address = client_address(request)
        if address is None:
            raise PermissionDenied("The client's address is unknown.")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """A password for an email that is waiting (accounts/limits.py) is refused before it is checked."""
        super().pre_authenticate(request, **credentials)
        if "password" not in credentials:
            return
        email = attempted_email(request, credentials) or ""
        wait = services.waiting(rule=PASSWORD, account=email, address=client_address_for_limits(request))
        if wait is not None:
            person = get_user_model().objects.filter(email__iexact=email).first() if email else None
            services.sign_in_step_refused(person=person, rule=PASSWORD, wait=wait)
            raise ImmediateHttpResponse(too_many_attempts(request, wait=services.wait_text(wait), password=True))

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        # A code ended by our limit says how long to wait, instead of allauth's "try again later".
        ours = getattr(request, WAIT_MESSAGE, None)
        if ours and message == self.error_messages["too_many_login_attempts"]:
            message = ours
        super().add_message(request, level, message_template, message_context, extra_tags, message)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _(
            "That code is not right. Type the six-digit code your authenticator app shows now, or one of your "
            "recovery codes."
        ),
    }
