"""Writing down what was decided: the outcome, its owner, when it is due and when it is looked back at."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.decisions import forms, selectors, services
from coproduce.decisions.views._common import NAV, decision_url, posted_data
from coproduce.decisions.views.decisions import outcome_of
from coproduce.partnerships.access import acting_membership, may, partnership_view
from coproduce.partnerships.selectors import people_visible_to


@partnership_view("decisions.view")
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    if not may("decisions.outcome", actor, decision):
        raise NotPermitted()
    if decision.is_open:
        messages.error(request, _("Close the decision before you write down what was decided."))
        return redirect(decision_url(request, decision))
    if outcome_of(decision) is not None:
        messages.info(request, _("What was decided is already written down."))
        return redirect(decision_url(request, decision))
    people = [
        (person.pk, person.user.display_name)
        for person in people_visible_to(actor)
        if person.is_member or person.is_staff_role
    ]
    form = forms.OutcomeForm(posted_data(request), people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outcome_record(
                actor=actor,
                decision=decision,
                statement=data["statement"],
                owner_membership_id=data["owner"],
                due_on=data["due_on"],
                review_on=data["review_on"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("What was decided is saved, and it is on the commitments board."))
            return redirect(decision_url(request, decision))
    return render(request, "decisions/outcome_form.html", {"nav_section": NAV, "decision": decision, "form": form})
