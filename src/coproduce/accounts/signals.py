"""Audit receivers for sign-in events, so that every path into the account leaves a trace. The client's
address comes from the audit context of the request being answered (``core.audit``)."""

from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from coproduce.accounts.limits import PASSWORD_FAILURE
from coproduce.core.audit import audit_record


@receiver(user_logged_in)
def audit_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.signed_in", target=user, target_label="")


@receiver(user_logged_out)
def audit_signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="account.signed_out", target=user, target_label="")


@receiver(user_login_failed)
def audit_sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The attempted password is never recorded; the email only by linking to the account it names.
    email = (credentials.get("email") or credentials.get("username") or credentials.get("login") or "").strip()
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    detail: dict[str, Any] = {"known_account": user is not None}
    # The count for the email tried (accounts/limits.py), when the password was checked; an attempt the
    # lock-out refused was not.
    failure = getattr(request, PASSWORD_FAILURE, None)
    if failure is not None:
        detail["failures"] = failure.failures
        if failure.wait is not None:
            detail["wait_seconds"] = int(failure.wait.total_seconds())
    audit_record(
        actor=None,
        action="account.sign_in_failed",
        target=user,
        target_label="",
        detail=detail,
    )


@receiver(password_changed)
def audit_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.password_changed", target=user, target_label="")


@receiver(password_reset)
def audit_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.password_reset", target=user, target_label="")


@receiver(authenticator_added)
def audit_mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action="account.mfa_added",
        target=user,
        target_label="",
        detail={"type": authenticator.type},
    )


@receiver(authenticator_removed)
def audit_mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_record(
        actor=user,
        action="account.mfa_removed",
        target=user,
        target_label="",
        detail={"type": authenticator.type},
    )
