"""The events list, an event's page, and the forms to create, change and cancel events and series."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.core.qr import qr_svg
from coproduce.learning import selectors, services
from coproduce.learning.forms import CancelEventForm, EventForm, SeriesForm, event_initial
from coproduce.learning.models import Event
from coproduce.learning.views._common import (
    NAV,
    event_url,
    form_page,
    no_store,
    posted_data,
    section_url,
)
from coproduce.partnerships.access import acting_membership, may, partnership_view
from coproduce.partnerships.models import Membership
from coproduce.partnerships.selectors import organisation_choices_for


@partnership_view("learning.view")
def events(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    past = request.GET.get("when") == "past"
    now = timezone.now()
    if past:
        listed = selectors.events_visible_to(actor, since=now - timedelta(days=366), until=now).order_by("-starts_at")
    else:
        listed = selectors.events_visible_to(actor, since=now, until=now + timedelta(days=366))
    return render(
        request,
        "learning/events.html",
        {
            "nav_section": NAV,
            "events": listed,
            "past": past,
            "may_add": may("learning.create_event", actor),
            "may_report": actor.is_staff_role,
            "may_calendar": may("learning.calendar_feed", actor),
            "may_my_payments": may("learning.my_payments", actor),
            "may_decide_claims": may("learning.decide_claims", actor),
        },
    )


@partnership_view("learning.view")
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.event_for(actor, event_id)
    organiser = may("learning.organise", actor, found)
    registration = selectors.registration_of(actor, found)
    if registration is not None:
        registration.waiting_number = selectors.waiting_place(registration)  # type: ignore[attr-defined]
    response = render(
        request,
        "learning/event.html",
        {
            "nav_section": NAV,
            "event": found,
            "registration": registration,
            "organiser": organiser,
            "may_register": may("learning.register", actor, found),
            "started": found.starts_at <= timezone.now(),
            "people": selectors.register_for(actor, found) if organiser else None,
            "waiting": selectors.waiting_list(actor, found) if organiser else None,
            "claim_state": _claim_state(actor, found),
        },
    )
    return no_store(response) if organiser or registration else response


def _claim_state(actor: Membership, found: Event) -> str:
    """ "claim" for a member ticked present at a paid-time event that has ended and who has not claimed yet;
    "claimed" once she has; else ""."""
    if not (may("learning.claim", actor) and found.paid_time and not found.cancelled_at):
        return ""
    if found.ends_at > timezone.now() or selectors.attendance_of(actor, found) is None:
        return ""
    return "claimed" if selectors.own_claim(actor, found) is not None else "claim"


def _organisations(request: HttpRequest, keep: int | None = None) -> Any:
    """Coordinators choose any organisation still in the partnership; other staff, their own."""
    actor = acting_membership(request)
    choices = organisation_choices_for(actor, keep=keep)
    if actor.is_coordinator:
        return choices
    return choices.filter(pk=actor.organisation_id) if actor.organisation_id else choices.none()


@partnership_view("learning.create_event")
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = EventForm(
        posted_data(request), initial={"host": actor.organisation_id}, organisations=_organisations(request)
    )
    return form_page(
        request,
        form=form,
        template="learning/event_form.html",
        context={"editing": None},
        save=lambda: services.event_create(actor=actor, fields=services.EventFields(**form.event_fields())),
        success=_("The event is listed. People can register now."),
        next_url=lambda created: event_url(request, created),
    )


@partnership_view("learning.create_event")
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.event_to_organise(actor, event_id)
    form = EventForm(
        posted_data(request), initial=event_initial(found), organisations=_organisations(request, keep=found.host_id)
    )
    return form_page(
        request,
        form=form,
        template="learning/event_form.html",
        context={"editing": found},
        save=lambda: services.event_update(
            actor=actor, event=found, fields=services.EventFields(**form.event_fields())
        ),
        success=_("Saved. The event page shows the changes."),
        next_url=lambda updated: event_url(request, updated),
    )


@partnership_view("learning.create_event")
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.event_to_organise(actor, event_id)
    form = CancelEventForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(actor=actor, event=found, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The event is cancelled. Everyone who registered is told."))
            return redirect(event_url(request, found))
    return render(request, "learning/event_cancel.html", {"nav_section": NAV, "event": found, "form": form})


@partnership_view("learning.create_event")
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = SeriesForm(
        posted_data(request), initial={"host": actor.organisation_id}, organisations=_organisations(request)
    )

    def save() -> list[Any]:
        data = form.cleaned_data
        fields = form.event_fields()
        timing = services.SeriesTiming(
            rule=data["rule"],
            starts_on=data["day"],
            start_time=data["start_time"],
            duration_minutes=int((fields.pop("ends_at") - fields.pop("starts_at")).total_seconds() // 60),
            until=data["until"],
            count=data["count"],
        )
        return services.series_create(actor=actor, timing=timing, details=services.EventDetails(**fields))

    def success(created: list[Any]) -> str:
        return ngettext("%(n)d event is listed.", "%(n)d events are listed.", len(created)) % {"n": len(created)}

    return form_page(
        request,
        form=form,
        template="learning/series_form.html",
        context={},
        save=save,
        success=success,
        next_url=lambda created: event_url(request, created[0]) if created else section_url(request, "events"),
    )


@partnership_view("learning.view")
def event_card(request: HttpRequest, event_id: int) -> HttpResponse:
    """A card for a hub's noticeboard: the event's name, when and where, and a QR code and link to its page.
    For the event's organisers; a cancelled event has none."""
    actor = acting_membership(request)
    found = selectors.event_to_organise(actor, event_id)
    if found.cancelled_at is not None:
        messages.error(request, _("This event is cancelled, so it has no card."))
        return redirect(event_url(request, found))
    link = request.build_absolute_uri(event_url(request, found))
    return render(
        request, "learning/event_card.html", {"nav_section": NAV, "event": found, "link": link, "qr": qr_svg(link)}
    )
