"""Calendars: one event's .ics file, a person's private feed (read by her phone, without signing in), and the
page to get or renew her link."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.learning import ics, selectors
from coproduce.learning.services import calendars as services
from coproduce.partnerships.access import acting_membership, partnership_view

NAV = "learning"


def _ics_response(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store" if private else "private, max-age=300"
    return response


def _event_urls(request: HttpRequest, slug: str, events: list) -> dict[int, str]:  # type: ignore[type-arg]
    urls = {}
    for event in events:
        try:
            path = reverse("learning:event", kwargs={"slug": slug, "event_id": event.pk})
        except NoReverseMatch:  # the event pages are another part's; until they exist, the file itself
            path = reverse("learning:event-ics", kwargs={"slug": slug, "event_id": event.pk})
        urls[event.pk] = request.build_absolute_uri(path)
    return urls


@partnership_view("learning.view")
@require_GET
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    actor = acting_membership(request)
    event = selectors.event_for_calendar(actor, event_id)
    slug = actor.partnership.slug
    body = ics.calendar_of(
        [event], name=event.title, domain=request.get_host().split(":")[0], urls=_event_urls(request, slug, [event])
    )
    return _ics_response(body, f"event-{event.pk}.ics", private=False)


@require_GET
def feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """No sign-in: the secret in the address is the key. A wrong or renewed link answers 404."""
    found = selectors.feed_by_token(slug, token)
    events = list(selectors.feed_events(found))
    body = ics.calendar_of(
        events,
        name=found.partnership.name,
        domain=request.get_host().split(":")[0],
        urls=_event_urls(request, slug, events),
    )
    return _ics_response(body, "events.ics", private=True)


@partnership_view("learning.calendar_feed")
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    link = ""
    stopped = False
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            stopped = services.calendar_feed_delete(actor=actor)
        else:
            token = services.calendar_feed_renew(actor=actor)
            link = request.build_absolute_uri(
                reverse("learning:feed", kwargs={"slug": actor.partnership.slug, "token": token})
            )
    response = render(
        request,
        "learning/calendar.html",
        {
            "nav_section": NAV,
            "feed": selectors.feed_of(actor),
            "link": link,
            "webcal": link.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1) if link else "",
            "stopped": stopped,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
