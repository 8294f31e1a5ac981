from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
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


class MFAAdapter(DefaultMFAAdapter):
    pass
