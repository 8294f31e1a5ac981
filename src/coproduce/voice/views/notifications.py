"""Notifications and how often to email them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_slug, partnership_view
from coproduce.voice import selectors, services
from coproduce.voice.forms import DigestForm
from coproduce.voice.views._common import NAV, paged

# --- Notifications ----------------------------------------------------------------------------


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        count = services.notifications_mark_read(actor=actor)
        if count:
            messages.success(request, _("All your notifications are marked as read."))
        return redirect("voice:notifications", slug=partnership_slug(request))
    page = paged(request, selectors.notifications_for(actor))
    return render(request, "voice/notifications.html", {"nav_section": NAV, "page": page})


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = DigestForm(request.POST)
        if form.is_valid():
            try:
                services.digest_preference_set(actor=actor, frequency=form.cleaned_data["frequency"])
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your email setting is saved."))
                return redirect("voice:notifications", slug=partnership_slug(request))
    else:
        form = DigestForm(initial={"frequency": selectors.digest_frequency(actor)})
    return render(request, "voice/notification_settings.html", {"nav_section": NAV, "form": form})
