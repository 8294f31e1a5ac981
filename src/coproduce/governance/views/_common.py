"""What the agreement's pages share: the address of a part of the agreement page, the posted data, and the
simple form page (validate, call the service, go back with a message; on a refusal keep what was typed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coproduce.core.exceptions import ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.access import partnership_slug

NAV = "agreement"


def agreement_url(request: HttpRequest, anchor: str = "") -> str:
    url = cached_reverse("governance:agreement", kwargs={"slug": partnership_slug(request)})
    return f"{url}#{anchor}" if anchor else url


def seat_url(request: HttpRequest, seat_id: int) -> str:
    return cached_reverse("governance:seat", kwargs={"slug": partnership_slug(request), "seat_id": seat_id})


def posted(request: HttpRequest) -> Any:
    """The posted data for a bound form, or None for an unbound one (an empty POST is still a POST)."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    success: str,
    next_url: Callable[[Any], str],
    heading: str,
    button: str,
    cancel_url: str,
    caption: str = "",
    intro: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, success)
            return redirect(next_url(result))
    return render(
        request,
        "governance/form.html",
        {
            "nav_section": NAV,
            "form": form,
            "heading": heading,
            "button": button,
            "cancel_url": cancel_url,
            "caption": caption,
            "intro": intro,
            **(context or {}),
        },
    )
