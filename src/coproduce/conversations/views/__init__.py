"""The conversation pages: the list, setting one up, voting one statement at a time, adding statements,
moderation, the report (the opinion map and the co-production lens), and Pol.is export and import.

Each view resolves what it needs through the selectors (None answers 404), calls one service for a
write, and renders. A ServiceError is shown next to its field (or at the top); NotPermitted is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.conversations import polis_io, selectors, services
from coproduce.conversations import report as report_data
from coproduce.conversations.forms import (
    ConversationForm,
    ImportForm,
    ModerateForm,
    SeedFromIdeaForm,
    StatementForm,
    day_of,
    end_of,
    start_of,
)
from coproduce.conversations.models import Conversation, Statement
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.models import Membership

NAV = "conversations"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _conversation_or_404(actor: Membership, conversation_id: int) -> Conversation:
    conversation = selectors.conversation_for(actor, conversation_id)
    if conversation is None:
        raise Http404
    return conversation


def _url(request: HttpRequest, name: str, conversation: Conversation, **kwargs: Any) -> str:
    return reverse(
        f"conversations:{name}",
        kwargs={"slug": partnership_slug(request), "conversation_id": conversation.pk, **kwargs},
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages with the person's own votes are not kept in shared caches or the back-forward cache."""
    response["Cache-Control"] = "no-store"
    return response


# --- The list and setting a conversation up ----------------------------------------------------


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
    conversation = _conversation_or_404(actor, conversation_id)
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
    item = _conversation_or_404(actor, conversation_id)
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
            },
        )
    )


# --- Voting -----------------------------------------------------------------------------------


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
        shown = _conversation_or_404(actor, conversation_id)
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
        conversation = _conversation_or_404(actor, conversation_id)
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
    conversation = _conversation_or_404(actor, conversation_id)
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


# --- Statements and moderation ------------------------------------------------------------------


@partnership_view("conversations.add_statement")
@require_http_methods(["GET", "POST"])
def statement_new(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = _conversation_or_404(actor, conversation_id)
    if not conversation.participants_may_add and not actor.is_coordinator:
        raise Http404
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
    conversation = _conversation_or_404(actor, conversation_id)
    ideas = _ideas_for_seeding(actor)
    if request.method == "POST":
        form = SeedFromIdeaForm(request.POST, ideas=ideas)
        if form.is_valid():
            from coproduce.voice import api as voice_api

            idea = voice_api.idea_visible_to(actor=actor, idea_id=form.cleaned_data["idea"])
            if idea is None:
                raise Http404
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


@partnership_view("conversations.moderate")
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Statements by status, with publish / take out for each, and a form to add a seed statement."""
    actor = acting_membership(request)
    conversation = _conversation_or_404(actor, conversation_id)
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
    conversation = _conversation_or_404(actor, conversation_id)
    statement = selectors.statement_for(actor, conversation, statement_id)
    if statement is None:
        raise Http404
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


# --- The report ---------------------------------------------------------------------------------


@partnership_view("conversations.view")
def report(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = _conversation_or_404(actor, conversation_id)
    context = report_data.report_context(actor, conversation)
    context.update({"nav_section": NAV, "conversation": conversation})
    return _no_store(render(request, "conversations/report.html", context))


# --- Pol.is export and import ----------------------------------------------------------------------


@partnership_view("conversations.export")
def export(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = _conversation_or_404(actor, conversation_id)
    return render(
        request,
        "conversations/export.html",
        {"nav_section": NAV, "conversation": conversation, "files": polis_io.EXPORT_FILES},
    )


def _download(
    request: HttpRequest, actor: Membership, conversation: Conversation, content: str | bytes, name: str, kind: str
) -> HttpResponse:
    """A file of the export as a download, recorded in the audit log (it holds every numbered person's votes)."""
    audit_record(
        actor=actor.user,
        action="conversations.exported",
        partnership_id=actor.partnership_id,
        target=conversation,
        detail={"file": name},
    )
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(response)


@partnership_view("conversations.export")
def export_file(request: HttpRequest, conversation_id: int, name: str) -> HttpResponse:
    actor = acting_membership(request)
    conversation = _conversation_or_404(actor, conversation_id)
    if name not in polis_io.EXPORT_FILES:
        raise Http404
    text = polis_io.export_file(conversation, name)
    return _download(request, actor, conversation, text, f"{name}.csv", "text/csv; charset=utf-8")


@partnership_view("conversations.export")
def export_zip(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Every file of the export in one zip, with a README naming the conversation and the time."""
    actor = acting_membership(request)
    conversation = _conversation_or_404(actor, conversation_id)
    now = timezone.now()
    data = polis_io.export_zip(conversation, now)
    return _download(request, actor, conversation, data, polis_io.zip_name(conversation, now), "application/zip")


@partnership_view("conversations.manage")
@require_http_methods(["GET", "POST"])
def conversation_import(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                conversation = polis_io.conversation_import(
                    actor=actor, topic=form.cleaned_data["topic"], uploads=form.cleaned_data["upload"]
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The conversation is imported. Its opinion map is being computed."))
                return redirect(_url(request, "detail", conversation))
    else:
        form = ImportForm()
    return render(request, "conversations/import.html", {"nav_section": NAV, "form": form})
