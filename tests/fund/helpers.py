"""Making fund objects for tests: money in the ledger, a round in a given phase, proposals on its ballot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coproduce.fund.models import Contribution, Proposal, Round
from tests.factories import OrganisationFactory

PHASES = ["proposals", "review", "voting", "results", "delivery"]
DATES = ["proposals_from", "review_from", "voting_from", "results_from", "delivery_from"]


def phase_dates(phase: str) -> dict[str, Any]:
    """Dates that put a round in ``phase``, which began an hour ago; each phase lasts a day."""
    now = timezone.now()
    index = PHASES.index(phase) if phase != "upcoming" else -1
    return {field: now - timedelta(hours=1) + timedelta(days=k - index) for k, field in enumerate(DATES)}


def move_to(round_: Round, phase: str) -> Round:
    Round.objects.filter(pk=round_.pk).update(**phase_dates(phase))
    round_.refresh_from_db()
    return round_


def add_money(partnership: Any, pounds: int = 50_000, *, organisation: Any = None) -> Contribution:
    return Contribution.objects.create(
        partnership=partnership,
        organisation=organisation or OrganisationFactory(partnership=partnership),
        kind="money",
        description="Money for tests",
        value_pence=pounds * 100,
        received_at=timezone.now(),
    )


def make_round(partnership: Any, *, phase: str = "voting", budget: int = 10_000, **fields: Any) -> Round:
    return Round.objects.create(
        partnership=partnership,
        title=fields.pop("title", "Test round"),
        budget_pence=budget * 100,
        **{**phase_dates(phase), **fields},
    )


def make_proposal(round_: Round, *, cost: int = 1_000, proposer: Any = None, **fields: Any) -> Proposal:
    return Proposal.objects.create(
        round=round_,
        proposer=proposer,
        title=fields.pop("title", f"Project costing £{cost}"),
        description=fields.pop("description", "What it would do."),
        beneficiaries=fields.pop("beneficiaries", "Parents"),
        cost_pence=cost * 100,
        proposed_cost_pence=cost * 100,
        status=fields.pop("status", Proposal.Status.ON_BALLOT),
        **fields,
    )


def make_pot(
    partnership: Any,
    *,
    set_aside: int = 5_000,
    keyworker_limit: int = 150,
    coordinator_limit: int = 500,
    yearly_cap: int = 1_000,
    categories: tuple[str, ...] = ("travel", "childcare", "clothes", "learning", "other"),
    money: int | None = None,
    on: Any = None,
) -> Any:
    """A flexible pot (amounts in pounds) for the year holding ``on`` (today), with the fund holding
    ``money`` (default: as much as the pot sets aside) and the named categories active."""
    from coproduce.fund.models import BarrierCategory, FlexiblePot
    from coproduce.fund.services.flexible import year_for

    starts_on, ends_on = year_for(on or timezone.localdate())
    add_money(partnership, money if money is not None else set_aside)
    pot = FlexiblePot.objects.create(
        partnership=partnership,
        starts_on=starts_on,
        ends_on=ends_on,
        set_aside_pence=set_aside * 100,
        keyworker_limit_pence=keyworker_limit * 100,
        coordinator_limit_pence=coordinator_limit * 100,
        yearly_cap_pence=yearly_cap * 100,
    )
    BarrierCategory.objects.bulk_create(
        [
            BarrierCategory(pot=pot, slug=slug, name=slug.capitalize(), examples=f"{slug} examples")
            for slug in categories
        ]
    )
    return pot
