"""The fund pages: the ledger, rounds, proposals and their reviews, ballots and receipts, results,
awards with their payments and spending, and the open-data and Pabulib files.

Each view resolves what it needs through the selectors (None answers 404), calls one service for a
write, and renders. A service's ServiceError is shown next to its field (or at the top)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import (
    ApprovalBallotForm,
    ContributionForm,
    CumulativeBallotForm,
    ImportForm,
    PaymentForm,
    ProposalForm,
    ReceiptForm,
    ReviewForm,
    RoundForm,
    SpendForm,
)
from coproduce.fund.models import Award, Proposal, ResultSnapshot, Round
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.models import Membership

NAV = "fund"


def _round_or_404(actor: Membership, round_id: int) -> Round:
    round_ = selectors.round_for(actor, round_id)
    if round_ is None:
        raise Http404
    return round_


def _proposal_or_404(actor: Membership, proposal_id: int) -> Proposal:
    proposal = selectors.proposal_for(actor, proposal_id)
    if proposal is None:
        raise Http404
    return proposal


def _award_or_404(actor: Membership, award_id: int) -> Award:
    award = selectors.award_for(actor, award_id)
    if award is None:
        raise Http404
    return award


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"fund:{name}", kwargs={"slug": partnership_slug(request), **kwargs})


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"fund/{template}", {"nav_section": NAV, **context}, status=status)


# --- The ledger -------------------------------------------------------------------------------


@partnership_view("fund.view")
def ledger(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return _render(
        request,
        "ledger.html",
        {
            "totals": selectors.ledger_totals(actor.partnership_id),
            "by_organisation": selectors.contributions_by_organisation(actor),
            "contributions": list(selectors.contributions_for(actor)),
            "awards": list(selectors.awards_for(actor)),
            "may_add": may("fund.add_contribution", actor),
        },
    )


@partnership_view("fund.add_contribution")
@require_http_methods(["GET", "POST"])
def contribution_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    organisations = selectors.organisations_for(actor)
    if request.method == "POST":
        form = ContributionForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contribution_record(
                    actor=actor,
                    organisation=data["organisation"],
                    kind=data["kind"],
                    description=data["description"],
                    value_pence=data["value"],
                    received=data["received"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The contribution is recorded in the ledger."))
                return redirect(_url(request, "ledger"))
    else:
        form = ContributionForm(
            organisations=organisations, initial={"organisation": actor.organisation_id, "kind": "money"}
        )
    return _render(request, "contribution_form.html", {"form": form})


@partnership_view("fund.add_contribution")
@require_POST
def contribution_received(request: HttpRequest, contribution_id: int) -> HttpResponse:
    actor = acting_membership(request)
    contribution = selectors.contribution_for(actor, contribution_id)
    if contribution is None:
        raise Http404
    try:
        services.contribution_mark_received(actor=actor, contribution=contribution)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked as received."))
    return redirect(_url(request, "ledger") + "#contributions")


def _award_page(
    request: HttpRequest,
    award: Award,
    *,
    payment_form: PaymentForm | None = None,
    spend_form: SpendForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = acting_membership(request)
    may_pay = may("fund.record_payment", actor)
    may_report = may("fund.report_spend", actor, award)
    return _render(
        request,
        "award.html",
        {
            "award": award,
            "payments": list(selectors.payments_for(award)),
            "updates": list(award.spend_updates.all()),
            "payment_form": (payment_form or PaymentForm()) if may_pay else None,
            "spend_form": (spend_form or SpendForm()) if may_report else None,
            "form": payment_form if payment_form and payment_form.errors else spend_form,
        },
        status=status,
    )


@partnership_view("fund.view")
def award(request: HttpRequest, award_id: int) -> HttpResponse:
    return _award_page(request, _award_or_404(acting_membership(request), award_id))


@partnership_view("fund.record_payment")
@require_POST
def award_payment(request: HttpRequest, award_id: int) -> HttpResponse:
    actor = acting_membership(request)
    award = _award_or_404(actor, award_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(actor=actor, award=award, amount_pence=form.cleaned_data["amount"])
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect(_url(request, "award", award_id=award.pk))
    return _award_page(request, award, payment_form=form)


@partnership_view("fund.view")
@require_POST
def award_spend(request: HttpRequest, award_id: int) -> HttpResponse:
    actor = acting_membership(request)
    award = _award_or_404(actor, award_id)
    if not may("fund.report_spend", actor, award):
        raise NotPermitted()
    form = SpendForm(request.POST)
    if form.is_valid():
        try:
            services.spend_report(
                actor=actor,
                award=award,
                spent_to_date_pence=form.cleaned_data["spent"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your update is saved. Thank you."))
            return redirect(_url(request, "award", award_id=award.pk))
    return _award_page(request, award, spend_form=form)


@partnership_view("fund.view")
def grants_json(request: HttpRequest) -> HttpResponse:
    from coproduce.fund.opendata import grants_package

    actor = acting_membership(request)
    package = grants_package(actor.partnership, request=request)
    response = HttpResponse(json.dumps(package, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{actor.partnership.slug}-360giving.json"'
    return response


# --- Rounds -----------------------------------------------------------------------------------


@partnership_view("fund.view")
def rounds(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return _render(
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
                return redirect(_url(request, "round", round_id=round_.pk))
    else:
        form = RoundForm(initial={"ballot_kind": "approval", "voters": "members", "completion": "add1"})
    available = selectors.ledger_totals(actor.partnership_id)["available"]
    return _render(request, "round_form.html", {"form": form, "round": None, "available": available})


@partnership_view("fund.manage_rounds")
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                services.round_update(actor=actor, round_=round_, settings_=_round_settings(form.cleaned_data))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(_url(request, "round", round_id=round_.pk))
    else:
        form = RoundForm(initial=RoundForm.initial_for(round_))
    available = selectors.ledger_totals(actor.partnership_id, excluding_round=round_.pk)["available"]
    return _render(request, "round_form.html", {"form": form, "round": round_, "available": available})


@partnership_view("fund.view")
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
    phase = round_.phase
    return _render(
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
        },
    )


@partnership_view("fund.manage_rounds")
@require_http_methods(["GET", "POST"])
def round_import(request: HttpRequest) -> HttpResponse:
    from coproduce.fund.exchange import round_import_pabulib

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
                    round_ = round_import_pabulib(actor=actor, text=text, filename=upload.name)
                except ServiceError as error:
                    error.add_to(form)
                else:
                    messages.success(request, _("The file is imported as a round. Its results are being worked out."))
                    return redirect(_url(request, "results", round_id=round_.pk))
    else:
        form = ImportForm()
    return _render(request, "round_import.html", {"form": form})


@partnership_view("fund.view")
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    from coproduce.fund.exchange import round_export_pabulib

    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
    if not round_.is_closed_for_voting:
        raise Http404  # ballots stay secret until voting closes
    response = HttpResponse(round_export_pabulib(round_), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{actor.partnership.slug}-round-{round_.pk}.pb"'
    return response


# --- Proposals --------------------------------------------------------------------------------


def _proposal_kwargs(form: ProposalForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "beneficiaries": data["beneficiaries"],
        "cost_pence": data["cost"],
        "has_conflict": data["has_conflict"] == "yes",
        "conflict_details": data["conflict_details"],
        "delivered_by": data["delivered_by"],
    }


@partnership_view("fund.propose")
@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest, round_id: int) -> HttpResponse:
    from coproduce.voice import api as voice_api

    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
    organisations = selectors.organisations_for(actor)
    ideas = voice_api.ideas_visible_to(actor=actor, include_hidden=False)
    if request.method == "POST":
        form = ProposalForm(request.POST, organisations=organisations, ideas=ideas)
        if form.is_valid():
            try:
                proposal = services.proposal_create(
                    actor=actor,
                    round_=round_,
                    **_proposal_kwargs(form),
                    idea=form.cleaned_data.get("idea"),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your proposal is in. Staff will review it in public."))
                return redirect(_url(request, "proposal", proposal_id=proposal.pk))
    else:
        initial: dict[str, Any] = {}
        wanted = request.GET.get("idea", "")
        if wanted.isdecimal():
            idea = ideas.filter(pk=int(wanted)).first()
            if idea is not None:
                initial = {"idea": idea.pk, "title": idea.title[:140]}
        form = ProposalForm(organisations=organisations, ideas=ideas, initial=initial)
    return _render(
        request,
        "proposal_form.html",
        {"form": form, "round": round_, "proposal": None, "open": round_.phase == "proposals"},
    )


@partnership_view("fund.view")
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    proposal = _proposal_or_404(actor, proposal_id)
    phase = proposal.round.phase
    in_review = phase in ("proposals", "review")
    return _render(
        request,
        "proposal.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "reviews": list(selectors.reviews_of(proposal)),
            "may_edit": may("fund.change_proposal", actor, proposal) and in_review,
            "may_review": may("fund.review", actor) and in_review and proposal.proposer_id != actor.user_id,
        },
    )


@partnership_view("fund.take_part")
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    proposal = _proposal_or_404(actor, proposal_id)
    if not may("fund.change_proposal", actor, proposal):
        raise NotPermitted()
    organisations = selectors.organisations_for(actor)
    open_ = proposal.round.phase in ("proposals", "review")
    if request.method == "POST":
        form = ProposalForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                services.proposal_update(actor=actor, proposal=proposal, **_proposal_kwargs(form))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(_url(request, "proposal", proposal_id=proposal.pk))
    else:
        form = ProposalForm(
            organisations=organisations,
            initial={
                "title": proposal.title,
                "description": proposal.description,
                "beneficiaries": proposal.beneficiaries,
                "cost": proposal.proposed_cost_pence,
                "delivered_by": proposal.delivered_by_id,
                "has_conflict": "yes" if proposal.has_conflict else "no",
                "conflict_details": proposal.conflict_details,
            },
        )
    return _render(
        request, "proposal_form.html", {"form": form, "round": proposal.round, "proposal": proposal, "open": open_}
    )


@partnership_view("fund.review")
@require_http_methods(["GET", "POST"])
def proposal_review(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    proposal = _proposal_or_404(actor, proposal_id)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_review(
                    actor=actor,
                    proposal=proposal,
                    feasible=data["feasible"] == "yes",
                    cost_pence=data["cost"],
                    reason=data["reason"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your review is published."))
                return redirect(_url(request, "proposal", proposal_id=proposal.pk))
    else:
        form = ReviewForm(initial={"cost": proposal.cost_pence})
    return _render(
        request,
        "proposal_review.html",
        {
            "form": form,
            "proposal": proposal,
            "round": proposal.round,
            "open": proposal.round.phase in ("proposals", "review"),
        },
    )


# --- Ballots ----------------------------------------------------------------------------------


def _ballot_form(round_: Round, proposals: list[Proposal], data: Any = None, initial: Any = None) -> Any:
    form_class = ApprovalBallotForm if round_.ballot_kind == Round.Kind.APPROVAL else CumulativeBallotForm
    return form_class(data, proposals=proposals, round_=round_, initial=initial)


@partnership_view("fund.view")
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
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
                return redirect(_url(request, "ballot", round_id=round_.pk) + "#receipt")
    else:
        initial: dict[str, Any] = {}
        if existing is not None:
            chosen = {c.proposal_id: c.points for c in existing.choices.all()}
            if round_.ballot_kind == Round.Kind.APPROVAL:
                initial = {"choices": [str(pid) for pid in chosen]}
            else:
                initial = {f"points_{pid}": points for pid, points in chosen.items()}
        form = _ballot_form(round_, proposals, initial=initial)
    return _render(
        request,
        "ballot.html",
        {"round": round_, "form": form, "proposals": proposals, "existing": existing, "open": open_},
    )


@partnership_view("fund.view")
def receipt(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
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
    return _render(
        request,
        "receipt.html",
        {"round": round_, "form": form, "found": found, "looked": looked, "counted": counted},
    )


# --- Results ----------------------------------------------------------------------------------


@partnership_view("fund.view")
def results(request: HttpRequest, round_id: int) -> HttpResponse:
    from coproduce.fund.results import explain_for_page

    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
    snapshot = services.results_request(round_=round_)  # asks for them if needed; never waits
    context: dict[str, Any] = {
        "round": round_,
        "snapshot": snapshot,
        "ready": snapshot is not None and snapshot.status == ResultSnapshot.Status.READY,
        "late": services.results_late(snapshot),
        "may_manage": may("fund.manage_rounds", actor),
    }
    if context["ready"]:
        own = selectors.own_ballot(actor, round_)
        context.update(explain_for_page(round_, snapshot, own))  # type: ignore[arg-type]
    if getattr(request, "htmx", False) and request.GET.get("partial") == "status":
        return _render(request, "_partials/results_status.html", context)
    return _render(request, "results.html", context)


@partnership_view("fund.manage_rounds")
@require_POST
def awards_make(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = acting_membership(request)
    round_ = _round_or_404(actor, round_id)
    try:
        made = services.awards_make(actor=actor, round_=round_)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)d awards made. They are in the ledger.") % {"n": len(made)})
    return redirect(_url(request, "results", round_id=round_.pk))
