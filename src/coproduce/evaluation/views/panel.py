"""The parents' panel's pages: the panel (what it is for, joining and leaving, the reviews) and one review
(the quarter's results, the panel's comments, the service's response). Each view reads through the selectors
(404 when out of reach) and calls one service for a POST."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.evaluation.forms.panel import PanelCommentForm, ResponseForm
from coproduce.evaluation.selectors import panel as selectors
from coproduce.evaluation.selectors import results as results_selectors
from coproduce.evaluation.services import panel as panel_services
from coproduce.evaluation.services import reviews as review_services
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view

NAV = "evaluation"


@partnership_view("evaluation.view")
@require_http_methods(["GET", "POST"])
@never_cache
def panel(request: HttpRequest) -> HttpResponse:
    """What the panel is for; a member joins or leaves it (a POST); the reviews for those who see them."""
    actor = acting_membership(request)
    if request.method == "POST":
        if not may("evaluation.join_panel", actor):
            raise NotPermitted()
        if request.POST.get("action") == "leave":
            panel_services.panel_leave(actor=actor)
            messages.success(request, _("You have left the parents' panel. You can join again at any time."))
        else:
            panel_services.panel_join(actor=actor)
            messages.success(request, _("You are on the parents' panel. We will tell you when new results are ready."))
        return redirect("evaluation:panel", slug=partnership_slug(request))
    return render(
        request,
        "evaluation/panel/panel.html",
        {
            "nav_section": NAV,
            "may_join": may("evaluation.join_panel", actor),
            "on_panel": selectors.on_panel(actor),
            "reviews": selectors.reviews_for(actor),
            "panel_days": review_services.PANEL_DAYS,
        },
    )


def _results(actor: Any, review: Any) -> Any:
    """The quarter's results for the review's service, by the small-groups rule (the results pages' own)."""
    try:
        return results_selectors.subject_results(
            actor, review.subject_id, quarter=results_selectors.quarter_of(review.quarter_start)
        )
    except NotPermitted:
        return None


def _review_page(request: HttpRequest, review_id: int, **forms: Any) -> HttpResponse:
    actor = acting_membership(request)
    review = selectors.review_for(actor, review_id)
    response = review.the_response  # type: ignore[attr-defined]
    may_respond = may("evaluation.respond", actor, review)
    if may_respond and "response_form" not in forms:
        initial = {}
        if response is not None:
            initial = {"text": response.text, "promise": response.promise, "promise_due": response.promise_due}
        forms["response_form"] = ResponseForm(initial=initial, prefix="response")
    may_comment = may("evaluation.comment_review", actor, review)
    if may_comment and "comment_form" not in forms:
        forms["comment_form"] = PanelCommentForm(prefix="comment")
    return render(
        request,
        "evaluation/panel/review.html",
        {
            "nav_section": NAV,
            "review": review,
            "quarter": review_services.quarter_name(review.quarter_start),
            "results": _results(actor, review),
            "comments": selectors.review_comments(actor, review),
            "response": response,
            "may_comment": may_comment,
            "may_respond": may_respond,
            "may_manage": may("evaluation.manage", actor),
            "now": timezone.now(),
            **forms,
        },
    )


@partnership_view("evaluation.view")
@require_http_methods(["GET", "POST"])
@never_cache
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    """A review's page. POSTs, by ``action``: ``comment`` (the panel, in its time), ``respond`` and ``done``
    (the service, after it), ``release`` and ``hide`` (coordinators)."""
    actor = acting_membership(request)
    if request.method == "GET":
        return _review_page(request, review_id)
    found = selectors.review_for(actor, review_id)  # 404 for anyone who may not see it
    here = reverse("evaluation:review", kwargs={"slug": partnership_slug(request), "review_id": found.pk})
    action = request.POST.get("action", "")
    try:
        if action == "comment":
            form = PanelCommentForm(request.POST, prefix="comment")
            if not may("evaluation.comment_review", actor, found):
                raise NotPermitted()
            if not form.is_valid():
                return _review_page(request, review_id, comment_form=form)
            try:
                review_services.panel_comment_add(actor=actor, review_id=found.pk, text=form.cleaned_data["text"])
            except ServiceError as error:
                error.add_to(form)
                return _review_page(request, review_id, comment_form=form)
            messages.success(request, _("Thank you. Your comment is added, without your name."))
        elif action == "respond":
            response_form = ResponseForm(request.POST, prefix="response")
            if not may("evaluation.respond", actor, found):
                raise NotPermitted()
            if not response_form.is_valid():
                return _review_page(request, review_id, response_form=response_form)
            try:
                review_services.response_write(
                    actor=actor,
                    review_id=found.pk,
                    text=response_form.cleaned_data["text"],
                    promise=response_form.cleaned_data["promise"],
                    promise_due=response_form.cleaned_data["promise_due"],
                )
            except ServiceError as error:
                error.add_to(response_form)
                return _review_page(request, review_id, response_form=response_form)
            messages.success(request, _("Your response is published. The parents' panel is told."))
        elif action == "done":
            review_services.response_done(actor=actor, review_id=found.pk)
            messages.success(request, _("Marked as done on the commitments board."))
        elif action == "release":
            review_services.review_release(actor=actor, review_id=found.pk)
            messages.success(request, _("Released: the service's staff are told and can respond."))
        elif action == "hide":
            comment_id = request.POST.get("comment", "")
            if not comment_id.isdecimal():
                raise NotPermitted()
            review_services.panel_comment_hide(actor=actor, comment_id=int(comment_id))
            messages.success(request, _("The comment is hidden. Only coordinators see it now."))
        else:
            raise NotPermitted()
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(here)
