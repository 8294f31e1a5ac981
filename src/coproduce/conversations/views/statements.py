"""Adding statements: a participant's own, and a coordinator's grown from an idea in voice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.conversations import selectors, services
from coproduce.conversations.forms import SeedFromIdeaForm, StatementForm
from coproduce.conversations.models import Statement
from coproduce.conversations.views._common import NAV, _url
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.models import Membership


@partnership_view("conversations.add_statement")
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    if not conversation.participants_may_add and not actor.is_coordinator:
        raise NotPermitted()
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                statement = services.statement_add(
                    actor=actor, conversation=conversation, text=form.cleaned_data["text"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                if statement.status == Statement.Status.PENDING:
                    messages.success(
                        request, _("Thank you. A coordinator will check your statement before others vote on it.")
                    )
                else:
                    messages.success(
                        request, _("Thank you. Your statement is in the conversation for others to vote on.")
                    )
                return redirect(_url(request, "detail", conversation))
    else:
        form = StatementForm()
    return render(
        request, "conversations/statement_form.html", {"nav_section": NAV, "form": form, "conversation": conversation}
    )


def _ideas_for_seeding(actor: Membership) -> list[Any]:
    from coproduce.voice import api as voice_api

    return list(voice_api.ideas_visible_to(actor=actor, sort="newest")[:200])


@partnership_view("conversations.manage")
@require_http_methods(["GET", "POST"])
def statement_from_idea(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """A coordinator puts an idea into the conversation as a statement; the idea gets a response."""
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    ideas = _ideas_for_seeding(actor)
    if request.method == "POST":
        form = SeedFromIdeaForm(request.POST, ideas=ideas)
        if form.is_valid():
            from coproduce.voice import api as voice_api

            idea = voice_api.idea_visible_to(actor=actor, idea_id=form.cleaned_data["idea"])
            if idea is None:
                raise NotPermitted()
            try:
                services.statement_seed(
                    actor=actor,
                    conversation=conversation,
                    text=form.cleaned_data["text"],
                    idea=idea,
                    statement_url=_url(request, "detail", conversation),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The statement is added, and the idea's author can see where it went."))
                return redirect(_url(request, "moderation", conversation))
    else:
        initial: dict[str, Any] = {}
        wanted = request.GET.get("idea", "")
        if wanted.isdecimal() and any(idea.pk == int(wanted) for idea in ideas):
            chosen = next(idea for idea in ideas if idea.pk == int(wanted))
            initial = {"idea": chosen.pk, "text": chosen.title}
        form = SeedFromIdeaForm(initial=initial, ideas=ideas)
    return render(
        request, "conversations/from_idea.html", {"nav_section": NAV, "form": form, "conversation": conversation}
    )
