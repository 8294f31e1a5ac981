from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coproduce.accounts.services import wait_text


def too_many_attempts(request: HttpRequest, *, wait: str = "", password: bool = False) -> HttpResponse:
    """The 429 page: ``wait`` says how long, as a person reads it; ``password`` offers the other ways in."""
    return render(request, "429.html", {"wait": wait, "password_limit": password}, status=429)


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this on the 10th failed sign-in for an email from one address."""
    cool_off = settings.AXES_COOLOFF_TIME
    return too_many_attempts(request, wait=wait_text(cool_off), password=True)


@require_GET
@login_required
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Staff are sent here until they have set up an authenticator app."""
    return render(request, "accounts/mfa_required.html")
