"""Moderation: the queue, hiding and showing, dismissing a flag, the house rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_slug, partnership_view
from coproduce.voice import selectors, services
from coproduce.voice.forms import ModerationForm
from coproduce.voice.models import Comment, Idea
from coproduce.voice.views._common import NAV, paged

# --- Moderation -------------------------------------------------------------------------------


@partnership_view("voice.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    hidden_ideas, hidden_comments = selectors.hidden_items(actor)
    return render(
        request,
        "voice/moderation.html",
        {
            "nav_section": NAV,
            "page": paged(request, selectors.moderation_queue(actor)),
            "hidden_ideas": list(hidden_ideas[:100]),
            "hidden_comments": list(hidden_comments[:100]),
        },
    )


def _moderate_page(request: HttpRequest, *, idea: Idea, comment: Comment | None) -> HttpResponse:
    actor = acting_membership(request)
    target: Idea | Comment = comment if comment is not None else idea
    if request.method == "POST":
        form = ModerationForm(request.POST, hidden=target.hidden_at is not None)
        if form.is_valid():
            hide = form.cleaned_data["action"] == "hide"
            try:
                services.moderation_set_hidden(
                    actor=actor,
                    hidden=hide,
                    reason=form.cleaned_data["reason"],
                    idea=None if comment else idea,
                    comment=comment,
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                if hide:
                    messages.success(request, _("It is hidden. Its author sees your reason."))
                else:
                    messages.success(request, _("It is shown again. Its author sees your reason."))
                return redirect("voice:moderation", slug=partnership_slug(request))
    else:
        form = ModerationForm(hidden=target.hidden_at is not None)
    context = {"nav_section": NAV, "form": form, "idea": idea, "comment": comment, "target": target}
    return render(request, "voice/moderate.html", context)


@partnership_view("voice.moderate")
@require_http_methods(["GET", "POST"])
def moderate_idea(request: HttpRequest, idea_id: int) -> HttpResponse:
    return _moderate_page(request, idea=selectors.idea_for(acting_membership(request), idea_id), comment=None)


@partnership_view("voice.moderate")
@require_http_methods(["GET", "POST"])
def moderate_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_for(acting_membership(request), comment_id)
    return _moderate_page(request, idea=comment.idea, comment=comment)


@partnership_view("voice.moderate")
@require_POST
def flag_dismiss(request: HttpRequest, flag_id: int) -> HttpResponse:
    actor = acting_membership(request)
    flag = selectors.flag_for(actor, flag_id)  # another partnership's flag, or none: a 404
    if flag.resolved_at is not None:
        messages.info(request, _("That flag has already been dealt with."))
    else:
        services.flag_dismiss(actor=actor, flag=flag)
        messages.success(request, _("The flag is dismissed. The content stays as it is."))
    return redirect("voice:moderation", slug=partnership_slug(request))


@partnership_view("voice.view")
def house_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "voice/house_rules.html", {"nav_section": NAV})
