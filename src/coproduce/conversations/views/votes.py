"""Voting one statement at a time (with htmx, the next statement is swapped in; without JavaScript, a
redirect to it) and the person's own votes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from coproduce.conversations import selectors, services
from coproduce.conversations.forms import VotesRecordWithForm
from coproduce.conversations.models import Conversation
from coproduce.conversations.views._common import NAV, _is_htmx, _no_store, _url
from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.models import Membership


def _statement_param(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdecimal():
        raise BadRequest("statement must be a number")
    return int(str(value))


def _vote_context(
    request: HttpRequest, actor: Membership, conversation: Conversation, *, statement_id: int | None = None
) -> dict[str, Any]:
    state = selectors.voting_state(actor, conversation, statement_id=statement_id)
    return {
        "nav_section": NAV,
        "conversation": conversation,
        "state": state,
        "may_add": conversation.participants_may_add or actor.is_coordinator,
    }


@partnership_view("conversations.vote")
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """One statement at a time. GET shows the next one (or ``?statement=`` to change a vote); POST records
    the vote and, with htmx, swaps in the next statement; without JavaScript it redirects to it."""
    actor = acting_membership(request)
    if request.method == "GET":
        shown = selectors.conversation_for(actor, conversation_id)
        context = _vote_context(request, actor, shown, statement_id=_statement_param(request.GET.get("statement")))
        return _no_store(render(request, "conversations/vote.html", context))
    statement_id = _statement_param(request.POST.get("statement"))
    if statement_id is None:
        raise BadRequest("statement is required")
    error: str | None = None
    voted: str | None = None
    # A vote without a valid choice is asked again on the same statement; a statement or conversation
    # that takes no votes moves on to the next statement.
    retry = False
    # The service reads the statement with its conversation (one query) and answers 404 for a statement
    # outside this conversation, so the conversation is not looked up separately on this busy path.
    conversation: Conversation | None = None
    try:
        conversation = services.vote_cast(
            actor=actor, statement_id=statement_id, vote=request.POST.get("vote", ""), conversation_id=conversation_id
        ).conversation
        voted = request.POST.get("vote")
    except ServiceError as exc:
        error, retry = exc.message, exc.code == "invalid_vote"
    if conversation is None:
        conversation = selectors.conversation_for(actor, conversation_id)
    if _is_htmx(request):
        context = _vote_context(request, actor, conversation, statement_id=statement_id if retry else None)
        context.update({"vote_error": error, "just_voted": voted})
        return _no_store(render(request, "conversations/_partials/vote_card.html", context))
    if error:
        messages.error(request, error)
        target = _url(request, "vote", conversation)
        if retry:
            target += f"?statement={statement_id}"
        return redirect(target)
    messages.success(request, _("Your vote is recorded."))
    return redirect(_url(request, "vote", conversation))


@partnership_view("conversations.vote")
def my_votes(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    return _no_store(
        render(
            request,
            "conversations/my_votes.html",
            {
                "nav_section": NAV,
                "conversation": conversation,
                "voted": selectors.my_voted_statements(actor, conversation),
            },
        )
    )


@partnership_view("conversations.record_with")
@require_http_methods(["GET", "POST"])
def record_with(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """A worker or coordinator goes through the statements with a member who is here or on the phone and
    agreed, and records her votes (partnerships/assisted.py). Her own votes are neither shown nor replaced."""
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    statements = selectors.votable_statements(conversation)
    form = VotesRecordWithForm(request.POST or None, recorder=actor, statements=statements)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            recorded, kept = services.votes_record_with(
                actor=actor,
                member=member,
                agreed=form.cleaned_data["agreed"],
                conversation=conversation,
                votes=form.votes(),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            text = ngettext(
                "%(n)d vote recorded with %(name)s. They will be asked to check it.",
                "%(n)d votes recorded with %(name)s. They will be asked to check them.",
                recorded,
            ) % {"n": recorded, "name": member.user.name}
            if kept:
                text += " " + _("Votes they had already cast themselves were kept as they were.")
            messages.success(request, text)
            return redirect(_url(request, "detail", conversation))
    return _no_store(
        render(
            request,
            "conversations/record_with.html",
            {"nav_section": NAV, "conversation": conversation, "form": form, "statements": statements},
        )
    )
