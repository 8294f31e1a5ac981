"""A member's ballot recorded with her by a worker or coordinator, entered from her paper form, and the
printable paper ballot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import add_record_with_fields
from coproduce.fund.views._common import fund_url, render_page
from coproduce.fund.views.ballots import _ballot_form
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.assisted import Channel, PaperFormsForm


def _record(request: HttpRequest, round_id: int, *, paper: bool) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    proposals = list(selectors.proposals_in(round_, on_ballot_only=True))
    members = selectors.members_to_record_with(actor)
    open_ = round_.phase == "voting"
    form = add_record_with_fields(
        _ballot_form(round_, proposals, data=request.POST if request.method == "POST" else None),
        members=members,
        paper=paper,
    )
    if request.method == "POST" and open_ and form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.ballot_record_with(
                actor=actor,
                round_=round_,
                member=member,
                choices=form.ballot(),  # type: ignore[attr-defined]
                agreed=form.cleaned_data["agreed"],
                channel=Channel.PAPER if paper else Channel.ASSISTED,
                paper_ref=form.cleaned_data.get("paper_ref", ""),
            )
        except ServiceError as error:
            error.add_to(form)
            if error.code == "closed":
                open_ = False
        else:
            words = (
                _("%(name)s's paper ballot is entered. She is asked to check it.")
                if paper
                else _("%(name)s's ballot is recorded with her. She is asked to check it.")
            )
            messages.success(request, words % {"name": member.user.name})
            return redirect(fund_url(request, "ballot-paper" if paper else "ballot-record-with", round_id=round_.pk))
    context: dict[str, Any] = {"round": round_, "form": form, "proposals": proposals, "open": open_, "paper": paper}
    return render_page(request, "ballot_record_with.html", context)


@partnership_view("fund.record_with")
@require_http_methods(["GET", "POST"])
def ballot_record_with(request: HttpRequest, round_id: int) -> HttpResponse:
    return _record(request, round_id, paper=False)


@partnership_view("fund.record_with")
@require_http_methods(["GET", "POST"])
def ballot_paper(request: HttpRequest, round_id: int) -> HttpResponse:
    return _record(request, round_id, paper=True)


@partnership_view("fund.record_with")
def ballot_paper_form(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    proposals = list(selectors.proposals_in(round_, on_ballot_only=True))
    form = PaperFormsForm(request.GET if request.GET else None)
    return render_page(
        request,
        "ballot_paper_form.html",
        {"round": round_, "proposals": proposals, "form": form, "numbers": form.numbers(f"B{round_.pk}")},
    )
