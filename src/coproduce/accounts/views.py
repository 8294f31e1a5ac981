from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this on the 10th failed sign-in for an email from one address."""
    return render(request, "429.html", status=429)


@require_GET
@login_required
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Staff are sent here until they have set up an authenticator app."""
    return render(request, "accounts/mfa_required.html")
