"""Moderation: statements by status, publishing or taking one out, and adding a seed statement."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.conversations import selectors, services
from coproduce.conversations.forms import ModerateForm, StatementForm
from coproduce.conversations.views._common import NAV, _url
from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("conversations.moderate")
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Statements by status, with publish / take out for each, and a form to add a seed statement."""
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    form = StatementForm()
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            try:
                services.statement_seed(actor=actor, conversation=conversation, text=form.cleaned_data["text"])
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The statement is added."))
                return redirect(_url(request, "moderation", conversation))
    return render(
        request,
        "conversations/moderation.html",
        {
            "nav_section": NAV,
            "conversation": conversation,
            "groups": selectors.statements_for_moderation(actor, conversation),
            "form": form,
        },
    )


@partnership_view("conversations.moderate")
@require_POST
def statement_moderate(request: HttpRequest, conversation_id: int, statement_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    statement = selectors.statement_for(actor, conversation, statement_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_url(request, "moderation", conversation))
    publish = form.cleaned_data["action"] == "publish"
    try:
        services.statement_moderate(
            actor=actor, statement=statement, publish=publish, reason=form.cleaned_data["reason"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The statement is published.") if publish else _("The statement is taken out."))
    return redirect(_url(request, "moderation", conversation))
