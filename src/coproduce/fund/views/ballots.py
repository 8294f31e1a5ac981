"""The ballot and its receipt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import ApprovalBallotForm, CumulativeBallotForm, ReceiptForm
from coproduce.fund.models import Proposal, Round
from coproduce.fund.views._common import fund_url, render_page
from coproduce.partnerships.access import acting_membership, may, partnership_view


def _ballot_form(round_: Round, proposals: list[Proposal], data: Any = None, initial: Any = None) -> Any:
    form_class = ApprovalBallotForm if round_.ballot_kind == Round.Kind.APPROVAL else CumulativeBallotForm
    return form_class(data, proposals=proposals, round_=round_, initial=initial)


@partnership_view("fund.view")
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    if not may("fund.vote", actor, round_):
        raise NotPermitted()
    proposals = list(selectors.proposals_in(round_, on_ballot_only=True))
    existing = selectors.own_ballot(actor, round_)
    open_ = round_.phase == "voting"
    if request.method == "POST":
        form = _ballot_form(round_, proposals, data=request.POST)
        if form.is_valid():
            try:
                cast = services.ballot_submit(actor=actor, round_=round_, choices=form.ballot())
            except ServiceError as error:
                error.add_to(form)
                if error.code == "closed":
                    open_ = False
            else:
                messages.success(
                    request,
                    _("Your ballot is saved. Your receipt code is %(code)s: keep it to check your ballot was counted.")
                    % {"code": cast.receipt},
                )
                return redirect(fund_url(request, "ballot", round_id=round_.pk) + "#receipt")
    else:
        initial: dict[str, Any] = {}
        if existing is not None:
            chosen = {c.proposal_id: c.points for c in existing.choices.all()}
            if round_.ballot_kind == Round.Kind.APPROVAL:
                initial = {"choices": [str(pid) for pid in chosen]}
            else:
                initial = {f"points_{pid}": points for pid, points in chosen.items()}
        form = _ballot_form(round_, proposals, initial=initial)
    return render_page(
        request,
        "ballot.html",
        {"round": round_, "form": form, "proposals": proposals, "existing": existing, "open": open_},
    )


@partnership_view("fund.view")
def receipt(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    found = None
    looked = False
    counted = None
    if "code" in request.GET:
        form = ReceiptForm(request.GET)
        if form.is_valid():
            looked = True
            found = selectors.ballot_by_receipt(round_, form.cleaned_data["code"])
            if found is not None and round_.is_closed_for_voting:
                snapshot = selectors.latest_ready_results(round_)
                if snapshot is not None:
                    # Ballots cannot change after the close: results asked for since then count this one.
                    counted = snapshot.requested_at >= found.updated_at
    else:
        form = ReceiptForm()
    return render_page(
        request,
        "receipt.html",
        {"round": round_, "form": form, "found": found, "looked": looked, "counted": counted},
    )
