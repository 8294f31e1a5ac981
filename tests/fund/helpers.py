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
