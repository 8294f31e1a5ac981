"""Comments: posting, editing and removing one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, may, partnership_view
from coproduce.voice import selectors, services
from coproduce.voice.forms import CommentEditForm, CommentForm, ReplyForm
from coproduce.voice.models import Comment
from coproduce.voice.views._common import NAV, idea_url
from coproduce.voice.views.ideas import idea_page

# --- Comments ---------------------------------------------------------------------------------


@partnership_view("voice.comment")
@require_POST
def comment_create(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = acting_membership(request)
    idea = selectors.idea_for(actor, idea_id)
    is_reply = bool(request.POST.get("parent"))
    form: CommentForm = ReplyForm(request.POST) if is_reply else CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = selectors.comment_for(actor, form.cleaned_data["parent"])
            if parent.idea_id != idea.pk:
                raise Http404
        try:
            comment = services.comment_create(actor=actor, idea=idea, body=form.cleaned_data["body"], parent=parent)
        except ServiceError as error:
            if error.field is None:  # the idea was withdrawn or hidden meanwhile: it takes no comments
                messages.error(request, error.message)
                return redirect(idea_url(request, idea))
            error.add_to(form)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(idea_url(request, idea, f"comment-{comment.pk}"))
    if is_reply and isinstance(form, ReplyForm):
        return idea_page(request, actor, idea, reply_form=form)
    return idea_page(request, actor, idea, comment_form=form)


def _own_comment(request: HttpRequest, comment_id: int) -> Comment:
    actor = acting_membership(request)
    comment = selectors.comment_for(actor, comment_id)
    if not may("voice.change_comment", actor, comment):
        raise NotPermitted()
    return comment


@partnership_view("voice.take_part")
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = acting_membership(request)
    comment = _own_comment(request, comment_id)
    if comment.deleted_at is not None or comment.hidden_at is not None:
        messages.error(request, _("This comment can no longer be changed."))
        return redirect(idea_url(request, comment.idea, f"comment-{comment.pk}"))
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                services.comment_update(actor=actor, comment=comment, body=form.cleaned_data["body"])
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your comment is changed."))
                return redirect(idea_url(request, comment.idea, f"comment-{comment.pk}"))
    else:
        form = CommentEditForm(initial={"body": comment.body})
    return render(request, "voice/comment_edit.html", {"nav_section": NAV, "form": form, "comment": comment})


@partnership_view("voice.take_part")
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    actor = acting_membership(request)
    comment = _own_comment(request, comment_id)
    if comment.deleted_at is not None:
        messages.info(request, _("This comment was already removed."))
        return redirect(idea_url(request, comment.idea, f"comment-{comment.pk}"))
    if request.method == "POST":
        services.comment_delete(actor=actor, comment=comment)
        messages.success(request, _("Your comment is removed. A note says it was removed by its author."))
        return redirect(idea_url(request, comment.idea, f"comment-{comment.pk}"))
    return render(request, "voice/comment_delete.html", {"nav_section": NAV, "comment": comment})
