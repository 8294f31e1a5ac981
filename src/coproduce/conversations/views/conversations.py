"""The list of conversations, setting one up and changing it, one conversation's page and its report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.conversations import report as report_data
from coproduce.conversations import selectors, services
from coproduce.conversations.forms import ConversationForm, day_of, end_of, start_of
from coproduce.conversations.views._common import NAV, _no_store, _url
from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("conversations.view")
def conversations(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    items = list(selectors.conversations_visible_to(actor)[:100])
    return render(
        request,
        "conversations/list.html",
        {"nav_section": NAV, "conversations": items, "may_manage": may("conversations.manage", actor)},
    )


def _form_dates(form: ConversationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"opens_at": start_of(data.get("opens_on")), "closes_at": end_of(data.get("closes_on"))}


@partnership_view("conversations.manage")
@require_http_methods(["GET", "POST"])
def conversation_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = ConversationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conversation = services.conversation_create(
                    actor=actor,
                    topic=data["topic"],
                    description=data["description"],
                    participants_may_add=data["participants_may_add"],
                    moderation=data["moderation"],
                    seeds=services.seed_lines(data["seeds"]),
                    **_form_dates(form),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The conversation is set up."))
                return redirect(_url(request, "detail", conversation))
    else:
        form = ConversationForm()
    return render(request, "conversations/form.html", {"nav_section": NAV, "form": form, "conversation": None})


@partnership_view("conversations.manage")
@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    if request.method == "POST":
        form = ConversationForm(request.POST, with_seeds=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.conversation_update(
                    actor=actor,
                    conversation=conversation,
                    topic=data["topic"],
                    description=data["description"],
                    participants_may_add=data["participants_may_add"],
                    moderation=data["moderation"],
                    **_form_dates(form),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(_url(request, "detail", conversation))
    else:
        form = ConversationForm(
            with_seeds=False,
            initial={
                "topic": conversation.topic,
                "description": conversation.description,
                "participants_may_add": conversation.participants_may_add,
                "moderation": conversation.moderation,
                "opens_on": day_of(conversation.opens_at),
                "closes_on": day_of(conversation.closes_at),
            },
        )
    return render(request, "conversations/form.html", {"nav_section": NAV, "form": form, "conversation": conversation})


@partnership_view("conversations.view")
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    item = selectors.conversation_for(actor, conversation_id)
    state = selectors.voting_state(actor, item) if may("conversations.vote", actor) else None
    return _no_store(
        render(
            request,
            "conversations/detail.html",
            {
                "nav_section": NAV,
                "conversation": item,
                "state": state,
                "my_statements": selectors.my_own_statements(actor, item),
                "totals": selectors.vote_totals(item),
                "may_vote": may("conversations.vote", actor),
                "may_add": may("conversations.add_statement", actor)
                and (item.participants_may_add or actor.is_coordinator),
                "may_manage": may("conversations.manage", actor),
                "may_record_with": may("conversations.record_with", actor),
            },
        )
    )


@partnership_view("conversations.view")
def report(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    context = report_data.report_context(actor, conversation)
    context.update({"nav_section": NAV, "conversation": conversation})
    return _no_store(render(request, "conversations/report.html", context))
