"""A member's answer recorded with her by a worker or coordinator, entered from her paper form, and the
printable paper form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.decisions import forms, selectors, services
from coproduce.decisions.views._common import NAV, decision_url, posted_data
from coproduce.decisions.views.decisions import method_words
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.assisted import Channel, PaperFormsForm


def _record(request: HttpRequest, decision_id: int, *, paper: bool) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    options = selectors.options_of(decision)
    form = forms.add_record_with_fields(
        forms.answer_form(decision, options, data=posted_data(request)),
        members=selectors.members_to_record_with(actor, decision),
        paper=paper,
    )
    open_ = decision.is_open
    if request.method == "POST" and open_ and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.answer_record_with(
                actor=actor,
                decision=decision,
                member=member,
                agreed=form.cleaned_data["agreed"],
                channel=Channel.PAPER if paper else Channel.ASSISTED,
                paper_ref=form.cleaned_data.get("paper_ref", ""),
                **form.answer(),  # type: ignore[attr-defined]
            )
        except ServiceError as error:
            error.add_to(form)
            if error.code == "closed":
                open_ = False
        else:
            words = (
                _("%(name)s's paper form is entered. She is asked to check it.")
                if paper
                else _("%(name)s's answer is recorded with her. She is asked to check it.")
            )
            messages.success(request, words % {"name": member.user.name})
            return redirect(
                decision_url(request, decision, name="decisions:paper" if paper else "decisions:record-with")
            )
    context: dict[str, Any] = {
        "nav_section": NAV,
        "decision": decision,
        "method_words": method_words(decision),
        "form": form,
        "open": open_,
        "paper": paper,
    }
    return render(request, "decisions/record_with.html", context)


@partnership_view("decisions.record_with")
@require_http_methods(["GET", "POST"])
def record_with(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _record(request, decision_id, paper=False)


@partnership_view("decisions.record_with")
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _record(request, decision_id, paper=True)


@partnership_view("decisions.record_with")
def paper_form(request: HttpRequest, decision_id: int) -> HttpResponse:
    actor = acting_membership(request)
    decision = selectors.decision_for(actor, decision_id)
    options = selectors.options_of(decision)
    form = PaperFormsForm(request.GET if request.GET else None)
    positions = forms.CONSENT_POSITIONS if decision.method == "consent" else forms.YES_NO_POSITIONS
    context: dict[str, Any] = {
        "nav_section": NAV,
        "decision": decision,
        "method_words": method_words(decision),
        "options": options,
        "positions": positions if decision.method in ("consent", "yes_no") else [],
        "time_values": forms.TIME_POLL_VALUES,
        "scores": list(range((decision.max_score or 0) + 1)),
        "form": form,
        "numbers": form.numbers(f"D{decision.pk}"),
    }
    return render(request, "decisions/paper_form.html", context)
