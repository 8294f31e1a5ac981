"""Flagging an idea or a comment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.voice import selectors, services
from coproduce.voice.forms import FlagForm
from coproduce.voice.models import Comment, Idea
from coproduce.voice.views._common import NAV, idea_url

# --- Flags ------------------------------------------------------------------------------------


def _flag_page(request: HttpRequest, *, idea: Idea, comment: Comment | None) -> HttpResponse:
    actor = acting_membership(request)
    back = idea_url(request, idea, f"comment-{comment.pk}" if comment else "")
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.flag_create(
                    actor=actor, reason=form.cleaned_data["reason"], idea=None if comment else idea, comment=comment
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(
                    request, _("Thank you. A coordinator will look at it and decide whether it breaks the house rules.")
                )
                return redirect(back)
    else:
        form = FlagForm()
    context = {"nav_section": NAV, "form": form, "idea": idea, "comment": comment, "back": back}
    return render(request, "voice/flag.html", context)


@partnership_view("voice.flag")
@require_http_methods(["GET", "POST"])
def idea_flag(request: HttpRequest, idea_id: int) -> HttpResponse:
    return _flag_page(request, idea=selectors.idea_for(acting_membership(request), idea_id), comment=None)


@partnership_view("voice.flag")
@require_http_methods(["GET", "POST"])
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_for(acting_membership(request), comment_id)
    return _flag_page(request, idea=comment.idea, comment=comment)
