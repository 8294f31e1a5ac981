"""The partnership health check: the list (where a coordinator opens one), giving one's view, and the results."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.evaluation.forms.health import HealthAnswerForm, HealthCheckForm
from coproduce.evaluation.selectors import health as selectors
from coproduce.evaluation.services import health as services
from coproduce.partnerships.access import acting_membership, may, partnership_view
from coproduce.voice import api as voice_api

NAV = "evaluation"


def _url(request: HttpRequest, name: str, **kwargs: int) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": acting_membership(request).partnership.slug, **kwargs})


def _page(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    return render(request, f"evaluation/health/{template}", {"nav_section": NAV, **context})


@partnership_view("evaluation.see_health")
@require_http_methods(["GET", "POST"])
def health(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    may_open = may("evaluation.manage", actor)
    today = timezone.localdate()
    form = None
    if may_open:
        if request.method == "POST":
            form = HealthCheckForm(request.POST)
            if form.is_valid():
                try:
                    check = services.health_check_open(actor=actor, **form.cleaned_data)
                except ServiceError as error:
                    error.add_to(form)
                else:
                    messages.success(
                        request,
                        _("“%(title)s” is open. Everyone taking part is being told.") % {"title": check.title},
                    )
                    return redirect(_url(request, "health"))
        else:
            form = HealthCheckForm(initial=HealthCheckForm.initial_for(today))
    elif request.method == "POST":
        raise NotPermitted()
    checks = list(selectors.health_checks(actor))
    return _page(
        request,
        "list.html",
        {
            "form": form,
            "today": today,
            "checks": checks,
            "last": checks[0] if checks else None,
            "may_answer": may("evaluation.answer_health", actor),
        },
    )


@partnership_view("evaluation.answer_health")
@require_http_methods(["GET", "POST"])
def health_answer(request: HttpRequest, check_id: int) -> HttpResponse:
    actor = acting_membership(request)
    check = selectors.health_check_for(actor, check_id)
    today = timezone.localdate()
    if check.answered:  # type: ignore[attr-defined]
        messages.info(request, _("You have already given your view in this health check. Each person answers once."))
        return redirect(_url(request, "health"))
    if not services.is_open(check, today):
        if today < check.opens_on:
            messages.info(request, _("This health check is not open yet."))
            return redirect(_url(request, "health"))
        messages.info(request, _("This health check has closed. Here is what people said."))
        return redirect(_url(request, "health-results", check_id=check.pk))
    if request.method == "POST":
        form = HealthAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.health_answer(actor=actor, check_id=check.pk, scores=form.scores())
            except services.HealthAlreadyAnswered as error:
                messages.info(request, error.message)
                return redirect(_url(request, "health"))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Thank you. Your view is counted."))
                return redirect(_url(request, "health"))
    else:
        form = HealthAnswerForm()
    side = services.side_of(actor)
    return _page(request, "answer.html", {"check": check, "form": form, "as_staff": side == "staff"})


@partnership_view("evaluation.see_health")
def health_results(request: HttpRequest, check_id: int) -> HttpResponse:
    actor = acting_membership(request)
    results = selectors.health_results(actor, check_id)
    voice = voice_api.equal_voice_summary(actor=actor) if results.ready else None
    return _page(
        request,
        "results.html",
        {
            "results": results,
            "voice": voice,
            "smallest_group": selectors.SMALLEST_GROUP,
            "notable_gap": selectors.NOTABLE_GAP,
        },
    )
