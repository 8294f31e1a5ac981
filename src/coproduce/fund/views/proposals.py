"""The proposals' pages: putting one forward, reading, revising and reviewing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.fund import selectors, services
from coproduce.fund.forms import ProposalForm, ReviewForm
from coproduce.fund.views._common import fund_url, render_page
from coproduce.governance import api as governance_api
from coproduce.partnerships.access import acting_membership, may, partnership_view


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
    round_ = selectors.round_for(actor, round_id)
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
                return redirect(fund_url(request, "proposal", proposal_id=proposal.pk))
    else:
        initial: dict[str, Any] = {}
        wanted = request.GET.get("idea", "")
        if wanted.isdecimal():
            idea = ideas.filter(pk=int(wanted)).first()
            if idea is not None:
                initial = {"idea": idea.pk, "title": idea.title[:140]}
        form = ProposalForm(organisations=organisations, ideas=ideas, initial=initial)
    return render_page(
        request,
        "proposal_form.html",
        {"form": form, "round": round_, "proposal": None, "open": round_.phase == "proposals"},
    )


@partnership_view("fund.view")
def proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    proposal = selectors.proposal_for(actor, proposal_id)
    phase = proposal.round.phase
    in_review = phase in ("proposals", "review")
    reviews = list(selectors.reviews_of(proposal))
    # The register of interests, beside what each person proposed or reviewed (one query for them all).
    interests = governance_api.interests_of_people(
        actor=actor, user_ids=[proposal.proposer_id, *(r.reviewer_id for r in reviews)]
    )
    for review in reviews:
        review.interests = interests.get(review.reviewer_id, []) if review.reviewer_id else []  # type: ignore[attr-defined]
    return render_page(
        request,
        "proposal.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "reviews": reviews,
            "proposer_interests": interests.get(proposal.proposer_id, []) if proposal.proposer_id else [],
            "may_edit": may("fund.change_proposal", actor, proposal) and in_review,
            "may_review": may("fund.review", actor) and in_review and proposal.proposer_id != actor.user_id,
        },
    )


@partnership_view("fund.take_part")
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    proposal = selectors.proposal_for(actor, proposal_id)
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
                return redirect(fund_url(request, "proposal", proposal_id=proposal.pk))
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
    return render_page(
        request, "proposal_form.html", {"form": form, "round": proposal.round, "proposal": proposal, "open": open_}
    )


@partnership_view("fund.review")
@require_http_methods(["GET", "POST"])
def proposal_review(request: HttpRequest, proposal_id: int) -> HttpResponse:
    actor = acting_membership(request)
    proposal = selectors.proposal_for(actor, proposal_id)
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
                return redirect(fund_url(request, "proposal", proposal_id=proposal.pk))
    else:
        form = ReviewForm(initial={"cost": proposal.cost_pence})
    return render_page(
        request,
        "proposal_review.html",
        {
            "form": form,
            "proposal": proposal,
            "round": proposal.round,
            "open": proposal.round.phase in ("proposals", "review"),
        },
    )
