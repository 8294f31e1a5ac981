"""What every fund page shares: finding a round, proposal or award (404 when out of reach), the
fund's URLs and rendering a fund template."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from coproduce.fund import selectors
from coproduce.fund.models import Award, Proposal, Round
from coproduce.partnerships.access import partnership_slug
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
