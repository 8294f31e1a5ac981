"""The coordinators' pages: a service's questions of the partnership's own (at most three, with a warning
when one seems to ask who someone is or about their health), and the moderation of parents' comments before
a service reads them. No page here says who wrote a comment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.evaluation import selectors, services
from coproduce.evaluation.forms import QuestionForm, RemarkShowForm
from coproduce.evaluation.models import MOST_QUESTIONS
from coproduce.partnerships.access import acting_membership, partnership_slug, partnership_view

NAV = "evaluation"

# Why a comment needs a careful look, by the flag the answer's service set.
FLAG_REASONS: dict[str, Any] = {
    "phone": gettext_lazy("It may contain a phone number"),
    "email": gettext_lazy("It may contain an email address"),
}


def flag_reasons(flags: str) -> list[Any]:
    """The reasons, in words, for a remark's flags ("phone,email")."""
    return [FLAG_REASONS.get(flag, flag) for flag in flags.replace(" ", "").split(",") if flag]


def _url(request: HttpRequest, name: str, **kwargs: int) -> str:
    return cached_reverse(f"evaluation:{name}", kwargs={"slug": partnership_slug(request), **kwargs})


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # parents' own words, before anyone took names out
    return response


@partnership_view("evaluation.manage")
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest, subject_id: int) -> HttpResponse:
    """A service's live questions of the partnership's own, with a form to add one (while fewer than three)."""
    actor = acting_membership(request)
    subject = selectors.subject_for(actor, subject_id)
    live = list(selectors.live_questions(subject))
    form = QuestionForm()
    if request.method == "POST":
        # The checkbox is offered only once the wording was found worrying; it then stays until it is ticked.
        form = QuestionForm(request.POST, warnings=request.POST.getlist("warning"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.question_add(
                    actor=actor,
                    subject_id=subject.pk,
                    text=data["text"],
                    kind=data["kind"],
                    override_warning=bool(data.get("override_warning")),
                )
            except services.QuestionWarning as warning:
                found = [str(reason) for reason in warning.reasons] or [warning.message]
                form = QuestionForm(request.POST, warnings=found)
                form.is_valid()
                form.add_error(
                    "override_warning",
                    _("Check the question, change it, or tick the box to say you checked it."),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The question is added. Parents are asked it from now on."))
                return redirect(_url(request, "questions", subject_id=subject.pk))
    return render(
        request,
        "evaluation/manage/questions.html",
        {
            "nav_section": NAV,
            "subject": subject,
            "live": live,
            "form": form,
            "room": len(live) < MOST_QUESTIONS,
            "most": MOST_QUESTIONS,
        },
    )


@partnership_view("evaluation.manage")
@require_POST
def question_retire(request: HttpRequest, question_id: int) -> HttpResponse:
    actor = acting_membership(request)
    # The service's page to go back to (the form says which); the results when it is missing or not a number.
    subject = request.POST.get("subject", "")
    back = _url(request, "questions", subject_id=int(subject)) if subject.isdigit() else _url(request, "results")
    try:
        services.question_retire(actor=actor, question_id=question_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question is retired. Its answers so far are kept in the results."))
    return redirect(back)


@partnership_view("evaluation.manage")
def moderation(request: HttpRequest) -> HttpResponse:
    """The parents' comments waiting to be checked, the flagged ones first, each with why it was flagged."""
    actor = acting_membership(request)
    waiting = [{"remark": remark, "reasons": flag_reasons(remark.flags)} for remark in selectors.remarks_waiting(actor)]
    waiting.sort(key=lambda row: not row["reasons"])  # stable: the selector's order within each group
    return _no_store(render(request, "evaluation/manage/moderation.html", {"nav_section": NAV, "waiting": waiting}))


@partnership_view("evaluation.manage")
@require_http_methods(["GET", "POST"])
def remark(request: HttpRequest, remark_id: int) -> HttpResponse:
    """One comment: show it to the service (as edited here) or not."""
    actor = acting_membership(request)
    found = selectors.remark_for(actor, remark_id)
    form = RemarkShowForm(initial={"shown_text": found.shown_text or found.text})
    if request.method == "POST":
        if request.POST.get("action") == "hide":
            try:
                services.remark_hide(actor=actor, remark_id=found.pk)
            except ServiceError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The comment will not be shown to the service."))
                return redirect(_url(request, "moderation"))
        else:
            form = RemarkShowForm(request.POST)
            if form.is_valid():
                try:
                    services.remark_show(actor=actor, remark_id=found.pk, shown_text=form.cleaned_data["shown_text"])
                except ServiceError as error:
                    error.add_to(form)
                else:
                    messages.success(request, _("The comment will be shown to the service, in the words you checked."))
                    return redirect(_url(request, "moderation"))
    return _no_store(
        render(
            request,
            "evaluation/manage/remark.html",
            {"nav_section": NAV, "remark": found, "reasons": flag_reasons(found.flags), "form": form},
        )
    )
