"""What the learning pages share: an event's address, the posted data, and the simple form page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coproduce.core.exceptions import ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.access import partnership_slug

NAV = "learning"


def event_url(request: HttpRequest, event: Any, name: str = "event", anchor: str = "") -> str:
    url = cached_reverse(f"learning:{name}", kwargs={"slug": partnership_slug(request), "event_id": event.pk})
    return f"{url}#{anchor}" if anchor else url


def section_url(request: HttpRequest, name: str) -> str:
    return cached_reverse(f"learning:{name}", kwargs={"slug": partnership_slug(request)})


def posted_data(request: HttpRequest) -> Any:
    """The posted data for a bound form, or None for an unbound one (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def no_store(response: HttpResponse) -> HttpResponse:
    """Pages with a person's answers or names are not kept by the browser or any cache on the way."""
    response["Cache-Control"] = "no-store"
    return response


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    template: str,
    context: dict[str, Any],
    save: Any,
    success: Any,
    next_url: Any,
) -> HttpResponse:
    """Validate, call ``save()``, and on success go to ``next_url(result)`` with the message ``success`` (a
    string, or a function of the result)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save()
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result))
    return render(request, template, {"nav_section": NAV, "form": form, **context})
