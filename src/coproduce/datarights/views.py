"""Pages: leaving, removing someone, asking for erasure, and the coordinators' erasure requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.datarights import selectors, services
from coproduce.partnerships.access import acting_membership, partnership_view

PAGE_SIZE = 50


@partnership_view("datarights.leave")
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    error = None
    if request.method == "POST":
        try:
            services.membership_leave(actor=actor)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("You have left %(name)s.") % {"name": actor.partnership.name})
            return redirect("core:landing")
    return render(
        request,
        "datarights/leave.html",
        {
            "error": error,
            "outcome": selectors.leaving_outcome(actor),
            "erasure": selectors.open_erasure_of(actor),
            "prompts": selectors.leaving_prompts(actor),
        },
    )


@partnership_view("datarights.remove_person")
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = acting_membership(request)
    target = selectors.person_in_partnership(actor, membership_id)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(actor=actor, membership=target)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("%(name)s is no longer in the partnership. They have been told by email.")
                % {"name": target.user.name},
            )
            return redirect("partnerships:people", slug=actor.partnership.slug)
    return render(
        request,
        "datarights/remove.html",
        {"nav_section": "people", "error": error, "target": target, "outcome": selectors.leaving_outcome(target)},
    )


@partnership_view("datarights.ask_erasure")
@require_http_methods(["GET", "POST"])
def erasure(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        try:
            services.erasure_request(actor=actor)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You have asked for your data to be erased. A coordinator will confirm it."))
        return redirect("datarights:erasure", slug=actor.partnership.slug)
    return render(
        request,
        "datarights/erasure.html",
        {"outcome": selectors.erasure_outcome(actor), "asked": selectors.open_erasure_of(actor)},
    )


@partnership_view("datarights.confirm_erasure")
def erasures(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    page = Paginator(selectors.erasure_requests_visible_to(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "datarights/erasures.html", {"nav_section": "erasures", "page": page})


@partnership_view("datarights.confirm_erasure")
@require_http_methods(["GET", "POST"])
def erasure_confirm(request: HttpRequest, erasure_id: int) -> HttpResponse:
    actor = acting_membership(request)
    found = selectors.open_erasure_for(actor, erasure_id)
    error = None
    if request.method == "POST":
        try:
            services.erasure_confirm(actor=actor, erasure=found)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("The erasure is done. The request stays on the list, with no name on it."))
            return redirect("datarights:erasures", slug=actor.partnership.slug)
    person = selectors.person_in_partnership(actor, found.membership_id or 0)
    return render(
        request,
        "datarights/erasure_confirm.html",
        {
            "nav_section": "erasures",
            "error": error,
            "erasure": found,
            "person": person,
            "outcome": selectors.erasure_outcome(person),
        },
    )
