"""Pol.is export (the page, each file and the zip, each download audited) and import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.conversations import polis_io, selectors, services
from coproduce.conversations.forms import ImportForm
from coproduce.conversations.models import Conversation
from coproduce.conversations.views._common import NAV, _no_store, _url
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.models import Membership


@partnership_view("conversations.export")
def export(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
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
    conversation = selectors.conversation_for(actor, conversation_id)
    if name not in polis_io.EXPORT_FILES:
        raise NotPermitted()
    text = selectors.polis_export_file(conversation, name)
    return _download(request, actor, conversation, text, f"{name}.csv", "text/csv; charset=utf-8")


@partnership_view("conversations.export")
def export_zip(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Every file of the export in one zip, with a README naming the conversation and the time."""
    actor = acting_membership(request)
    conversation = selectors.conversation_for(actor, conversation_id)
    now = timezone.now()
    data = selectors.polis_export_zip(conversation, now)
    return _download(request, actor, conversation, data, polis_io.zip_name(conversation.pk, now), "application/zip")


@partnership_view("conversations.manage")
@require_http_methods(["GET", "POST"])
def conversation_import(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                conversation = services.conversation_import(
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
