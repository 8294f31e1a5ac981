"""The rounds' pages: the list, a round, its settings, and the Pabulib files in and out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import ImportForm, RoundForm
from coproduce.fund.views._common import fund_url, render_page
from coproduce.partnerships.access import acting_membership, may, partnership_view


@partnership_view("fund.view")
def rounds(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return render_page(
        request,
        "rounds.html",
        {
            "rounds": list(selectors.rounds_for(actor)),
            "totals": selectors.ledger_totals(actor.partnership_id),
            "may_manage": may("fund.manage_rounds", actor),
        },
    )


def _round_settings(data: dict[str, Any]) -> services.RoundSettings:
    return services.RoundSettings(
        title=data["title"],
        description=data["description"],
        budget_pence=data["budget"],
        ballot_kind=data["ballot_kind"],
        min_choices=data["min_choices"],
        max_choices=data["max_choices"],
        within_budget=data["within_budget"],
        points=data["points"],
        voters=data["voters"],
        completion=data["completion"],
        proposals_from=data["proposals_from"],
        review_from=data["review_from"],
        voting_from=data["voting_from"],
        results_from=data["results_from"],
        delivery_from=data["delivery_from"],
    )


@partnership_view("fund.manage_rounds")
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = services.round_create(actor=actor, settings_=_round_settings(form.cleaned_data))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The round is set up."))
                return redirect(fund_url(request, "round", round_id=round_.pk))
    else:
        form = RoundForm(initial={"ballot_kind": "approval", "voters": "members", "completion": "add1"})
    available = selectors.ledger_totals(actor.partnership_id)["available"]
    return render_page(request, "round_form.html", {"form": form, "round": None, "available": available})


@partnership_view("fund.manage_rounds")
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                services.round_update(actor=actor, round_=round_, settings_=_round_settings(form.cleaned_data))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(fund_url(request, "round", round_id=round_.pk))
    else:
        form = RoundForm(initial=RoundForm.initial_for(round_))
    available = selectors.ledger_totals(actor.partnership_id, excluding_round=round_.pk)["available"]
    return render_page(request, "round_form.html", {"form": form, "round": round_, "available": available})


@partnership_view("fund.view")
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    phase = round_.phase
    return render_page(
        request,
        "round.html",
        {
            "round": round_,
            "phase": phase,
            "proposals": list(selectors.proposals_in(round_)),
            "ballot": selectors.own_ballot(actor, round_) if phase == "voting" else None,
            "may_vote": may("fund.vote", actor, round_),
            "may_propose": may("fund.propose", actor) and phase == "proposals",
            "may_manage": may("fund.manage_rounds", actor),
            "may_record_with": may("fund.record_with", actor, round_),
        },
    )


@partnership_view("fund.manage_rounds")
@require_http_methods(["GET", "POST"])
def round_import(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                try:
                    round_ = services.round_import_pabulib(actor=actor, text=text, filename=upload.name)
                except ServiceError as error:
                    error.add_to(form)
                else:
                    messages.success(request, _("The file is imported as a round. Its results are being worked out."))
                    return redirect(fund_url(request, "results", round_id=round_.pk))
    else:
        form = ImportForm()
    return render_page(request, "round_import.html", {"form": form})


@partnership_view("fund.view")
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = selectors.round_for(actor, round_id)
    if not round_.is_closed_for_voting:
        raise Http404  # ballots stay secret until voting closes
    response = HttpResponse(selectors.round_export_pabulib(round_), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{actor.partnership.slug}-round-{round_.pk}.pb"'
    return response
