"""The discussion beside a decision: adding a comment, and a coordinator hiding one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.decisions import forms, selectors, services
from coproduce.decisions.views._common import decision_url
from coproduce.decisions.views.decisions import render_decision
from coproduce.partnerships.access import acting_membership, partnership_view


@partnership_view("decisions.comment")
@require_POST
def comment(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(actor=actor, decision=decision, body=form.cleaned_data["body"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect(decision_url(request, decision, "discussion"))
    return render_decision(request, decision, comment_form=form)


@partnership_view("decisions.hide_comment")
@require_POST
def comment_hide(request: HttpRequest, decision_id: int, comment_id: int) -> HttpResponse:
    """The button beside each comment (a plain POST form): the comment is kept for the record and everyone
    else reads that a coordinator hid it."""
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    found = selectors.comment_for(actor, comment_id, decision=decision)
    try:
        services.comment_hide(actor=actor, comment=found)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The comment is hidden. Everyone else reads that a coordinator hid it."))
    return redirect(decision_url(request, decision, f"comment-{found.pk}"))
