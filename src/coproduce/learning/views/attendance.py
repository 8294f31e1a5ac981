"""The attendance register on the day, and what organisers must arrange (the totals, without names).

A tick is a small form posting ``present`` as a value (never a toggle) with a ``client_token``: sending the same
tick twice (a slow connection, a retry) changes nothing. Without JavaScript the page posts and comes back to the
person's row; with JavaScript (static/learning/register.js) ticks are sent in the background and kept in the
browser until the server confirms them, which it does with a small JSON answer."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.learning import selectors, services
from coproduce.learning.forms import AttendanceForm
from coproduce.learning.models import Event
from coproduce.learning.views._common import NAV, event_url, no_store
from coproduce.partnerships.access import acting_membership, partnership_view


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@partnership_view("learning.view")
def needs(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    event = selectors.event_to_organise(actor, event_id)
    return no_store(
        render(
            request,
            "learning/needs.html",
            {
                "nav_section": NAV,
                "event": event,
                "totals": selectors.needs_totals(actor, event),
            },
        )
    )


@partnership_view("learning.view")
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    event = selectors.event_to_organise(actor, event_id)
    if request.method == "POST":
        return _tick(request, event)
    people = selectors.register_for(actor, event)
    for person in people:
        person.token = secrets.token_urlsafe(12)  # type: ignore[attr-defined]
    opens = timezone.localtime(event.starts_at).date()
    return no_store(
        render(
            request,
            "learning/attendance.html",
            {"nav_section": NAV, "event": event, "people": people, "not_yet": timezone.localdate() < opens},
        )
    )


def _tick(request: HttpRequest, event: Event) -> HttpResponse:
    actor = acting_membership(request)
    form = AttendanceForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("That tick could not be read. Reload the page and tick again.")
    else:
        data = form.cleaned_data
        try:
            current = services.attendance_mark(
                actor=actor,
                event=event,
                user_id=data["person"],
                present=data["present"],
                client_token=data["client_token"],
            )
        except ServiceError as refused:
            error = refused.message
    if _wants_json(request):
        if error:
            return no_store(JsonResponse({"saved": False, "error": error}, status=400))
        return no_store(JsonResponse({"saved": True, "person": data["person"], "present": current.present}))
    if error:
        messages.error(request, error)
        return redirect(event_url(request, event, "attendance"))
    messages.success(request, _("Saved. Present.") if current.present else _("Saved. Not here."))
    return redirect(event_url(request, event, "attendance", anchor=f"person-{data['person']}"))
