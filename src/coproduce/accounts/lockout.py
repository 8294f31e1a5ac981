"""How django-axes names the account being tried, so the lock-out is keyed on email + address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from coproduce.accounts.limits import account_of_email


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """allauth authenticates with ``email=…``; the sign-in form posts it as ``login``."""
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("email")
    return (account_of_email(value) or None) if isinstance(value, str) else None
