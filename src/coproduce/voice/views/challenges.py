"""The challenge pages: the list, a new one, editing one, one challenge."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.voice import selectors, services
from coproduce.voice.forms import ChallengeForm
from coproduce.voice.models import Challenge
from coproduce.voice.views._common import NAV, idea_list_page, mark_supported

# --- Challenges -------------------------------------------------------------------------------


@partnership_view("voice.view")
def challenges(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    items = list(selectors.challenges_visible_to(actor))
    return render(
        request,
        "voice/challenges.html",
        {
            "nav_section": NAV,
            "open_challenges": [c for c in items if c.is_open],
            "closed_challenges": [c for c in items if not c.is_open],
            "may_add": may("voice.add_challenge", actor),
        },
    )


def _challenge_form_page(request: HttpRequest, challenge: Challenge | None) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"],
                "body": data["body"],
                "closes_at": ChallengeForm.closing_datetime(data["closes_at"]),
            }
            try:
                if challenge is None:
                    challenge = services.challenge_create(actor=actor, **fields)
                    messages.success(request, _("Your challenge is published. Everyone can now add ideas to it."))
                else:
                    challenge = services.challenge_update(actor=actor, challenge=challenge, **fields)
                    messages.success(request, _("The challenge is saved."))
            except ServiceError as error:
                error.add_to(form)
            else:
                return redirect("voice:challenge", slug=partnership_slug(request), challenge_id=challenge.pk)
    elif challenge is not None:
        form = ChallengeForm(
            initial={
                "title": challenge.title,
                "body": challenge.body,
                "closes_at": ChallengeForm.closing_date(challenge.closes_at),
            }
        )
    else:
        form = ChallengeForm()
    return render(request, "voice/challenge_form.html", {"nav_section": NAV, "form": form, "challenge": challenge})


@partnership_view("voice.add_challenge")
@require_http_methods(["GET", "POST"])
def challenge_new(request: HttpRequest) -> HttpResponse:
    return _challenge_form_page(request, None)


@partnership_view("voice.view")
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, challenge_id: int) -> HttpResponse:
    actor = acting_membership(request)
    challenge = selectors.challenge_for(actor, challenge_id)
    if not may("voice.change_challenge", actor, challenge):
        raise NotPermitted()
    return _challenge_form_page(request, challenge)


@partnership_view("voice.view")
def challenge(request: HttpRequest, challenge_id: int) -> HttpResponse:
    actor = acting_membership(request)
    item = selectors.challenge_for(actor, challenge_id)
    page = idea_list_page(
        request, selectors.ideas_visible_to(actor, challenge_id=item.pk, sort="supported"), searched=False
    )
    mark_supported(actor, page.object_list)
    return render(
        request,
        "voice/challenge.html",
        {
            "nav_section": NAV,
            "challenge": item,
            "page": page,
            "page_query": "",
            "may_add": may("voice.add_idea", actor) and item.is_open,
            "may_edit": may("voice.change_challenge", actor, item),
            "may_support": may("voice.support", actor),
        },
    )
