"""Giving (or changing) one's answer to a decision, with the answer form of its method."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.decisions import forms, selectors, services
from coproduce.decisions.views._common import decision_url
from coproduce.decisions.views.decisions import render_decision
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("decisions.comment")  # members and staff: observers read, they do not answer
@require_POST
def answer(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    if not may("decisions.answer", actor, decision):
        raise NotPermitted()
    if not decision.is_open:
        messages.error(request, _("This decision has closed, so answers can no longer be given or changed."))
        return redirect(decision_url(request, decision))
    form = forms.answer_form(decision, selectors.options_of(decision), data=request.POST)
    if form.is_valid():
        try:
            services.answer_give(actor=actor, decision=decision, **form.answer())
        except ServiceError as error:
            error.add_to(form)
        else:
            if form.answer().get("position") in forms.NEEDS_REASON:
                messages.success(
                    request,
                    _(
                        "Your answer is saved. The person who raised it is told about your objection, and can "
                        "change the proposal to meet it."
                    ),
                )
            else:
                messages.success(request, _("Your answer is saved. You can change it until the decision closes."))
            return redirect(decision_url(request, decision, "answer"))
    return render_decision(request, decision, form=form, status=200)
