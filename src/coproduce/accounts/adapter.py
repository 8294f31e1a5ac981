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
from django.http import HttpRequest

from coproduce.accounts import services
from coproduce.accounts.forms import WAIT_MESSAGE
from coproduce.accounts.limits import PASSWORD
from coproduce.accounts.lockout import attempted_email
from coproduce.accounts.views import too_many_attempts
from coproduce.core.clientaddress import client_address


class AccountAdapter(DefaultAccountAdapter):
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
        wait = services.waiting(rule=PASSWORD, account=email, request=request)
        if wait is not None:
            person = get_user_model().objects.filter(email__iexact=email).first() if email else None
            services.sign_in_step_refused(person=person, rule=PASSWORD, wait=wait, request=request)
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
    pass
