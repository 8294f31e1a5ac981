"""Registering for an event with what would help the person come, and cancelling in one step."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.learning import selectors, services
from coproduce.learning.forms import RegistrationForm, needs_initial
from coproduce.learning.models import Registration
from coproduce.learning.views._common import NAV, event_url, no_store, posted_data
from coproduce.partnerships.access import acting_membership, may, partnership_view


def _needs(form: RegistrationForm) -> services.NeedsData | None:
    answers = form.needs()
    return None if answers is None else services.NeedsData(**answers)


def place_message(registration: Registration, waiting_number: int | None) -> str:
    if registration.status == Registration.Status.REGISTERED:
        return _("You have a place.")
    return _("The event is full. You are number %(n)d on the waiting list: we will tell you if a place comes free.") % {
        "n": waiting_number or 1
    }


@partnership_view("learning.view")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    """Register (or, when already registered, change what would help) in one form."""
    actor = acting_membership(request)
    event = selectors.event_for(actor, event_id)
    if not may("learning.register", actor, event):
        raise NotPermitted()
    registration = selectors.registration_of(actor, event)
    needs = selectors.needs_of(actor, registration) if registration else None
    form = RegistrationForm(posted_data(request), initial=needs_initial(needs))
    if request.method == "POST" and form.is_valid():
        try:
            if registration is None:
                registration = services.registration_make(actor=actor, event=event, needs=_needs(form))
                messages.success(request, place_message(registration, selectors.waiting_place(registration)))
            else:
                services.needs_update(actor=actor, registration=registration, needs=_needs(form))
                messages.success(request, _("Saved. The organisers will see what would help you come."))
        except ServiceError as error:
            error.add_to(form)
        else:
            return redirect(event_url(request, event, anchor="your-place"))
    return no_store(
        render(
            request,
            "learning/register.html",
            {"nav_section": NAV, "event": event, "form": form, "registration": registration},
        )
    )


@partnership_view("learning.view")
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    """A confirmation page (no JavaScript needed) with one button."""
    actor = acting_membership(request)
    event = selectors.event_for(actor, event_id)
    registration = selectors.registration_of(actor, event)
    if registration is None:
        messages.info(request, _("You are not registered for this event."))
        return redirect(event_url(request, event))
    if request.method == "POST":
        had_place = registration.status == Registration.Status.REGISTERED
        try:
            services.registration_cancel(actor=actor, registration=registration)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You have cancelled your place. Thank you for telling us.")
                if had_place
                else _("You have left the waiting list."),
            )
        return redirect(event_url(request, event))
    return no_store(
        render(
            request,
            "learning/registration_cancel.html",
            {"nav_section": NAV, "event": event, "registration": registration},
        )
    )
