"""Responding to an idea, and the "you said, we did" page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.voice import selectors, services
from coproduce.voice.forms import RespondForm
from coproduce.voice.views._common import NAV, idea_url, paged

# --- Responses --------------------------------------------------------------------------------


@partnership_view("voice.respond")
@require_http_methods(["GET", "POST"])
def idea_respond(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = selectors.idea_for(actor, idea_id)
    if request.method == "POST":
        form = RespondForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.idea_respond(
                    actor=actor,
                    idea=idea,
                    status=data["status"],
                    text=data["text"],
                    link_url=data["link_url"],
                    link_label=data["link_label"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your response is published. The author and followers are told."))
                return redirect(idea_url(request, idea, "responses"))
    else:
        form = RespondForm()
    return render(request, "voice/respond.html", {"nav_section": NAV, "form": form, "idea": idea})


@partnership_view("voice.view")
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    page = paged(request, selectors.you_said_we_did(acting_membership(request)))
    return render(request, "voice/you_said_we_did.html", {"nav_section": NAV, "page": page})
