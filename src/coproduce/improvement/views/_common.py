"""What the improvement pages share: a test's address, the posted data, a number read from the address, and
the simple form page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.exceptions import ServiceError
from coproduce.improvement.models import TestOfChange
from coproduce.partnerships.access import partnership_slug

NAV = "improvement"


def pdsa_url(request: HttpRequest, test: TestOfChange, anchor: str = "") -> str:
    url = reverse("improvement:test", kwargs={"slug": partnership_slug(request), "test_id": test.pk})
    return f"{url}#{anchor}" if anchor else url


def posted_data(request: HttpRequest) -> Any:
    """The posted data for a bound form, or None for an unbound one (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def int_or_none(raw: str) -> int | None:
    return int(raw) if raw.isdecimal() and len(raw) < 10 else None


def simple_form_page(
    request: HttpRequest,
    *,
    form: Any,
    template: str,
    context: dict[str, Any],
    save: Any,
    success: str,
    next_url: Any,
) -> HttpResponse:
    """Validate, call ``save(cleaned_data)``, and on success go to ``next_url(result)`` with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(request, template, {"nav_section": NAV, "form": form, **context})
