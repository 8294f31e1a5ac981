"""The fund in the public API: rounds, a round with its projects, and a round's results with its awards.

The same selectors and services as the fund's pages: everyone in the partnership reads the rounds and their
results (``fund.view``); ballots stay secret (a person sees only her own share of the result). Money is in
integer pence. A round's results are asked for, never waited on: ``status`` says whether they are ready."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema

from coproduce.api.framework import PageQuery, actor, may, page_of, paginate, router
from coproduce.fund import selectors, services
from coproduce.fund.models import Award, Proposal, ResultSnapshot, Round
from coproduce.fund.results import explain_for_page

r = router("fund")

ROUNDS = "/partnerships/{slug}/fund/rounds"
ROUND = ROUNDS + "/{round_id}"


class RoundOut(Schema):
    """A round as the rounds page lists it."""

    id: int
    title: str
    phase: str  # upcoming, proposals, review, voting, results or delivery
    budget_pence: int
    ballot_kind: str  # approval or cumulative
    voters: str  # members, or members_and_staff
    proposals_from: datetime
    review_from: datetime
    voting_from: datetime
    results_from: datetime
    delivery_from: datetime
    imported: bool  # imported from a Pabulib file to check results: holds no money
    awards_made_at: datetime | None
    proposal_count: int
    ballot_count: int


class ProjectOut(Schema):
    """A proposal in a round."""

    id: int
    title: str
    description: str
    beneficiaries: str
    cost_pence: int
    status: str  # submitted, on_ballot or not_feasible
    delivered_by: str | None  # the organisation's name


class RoundDetailOut(RoundOut):
    description: str
    completion: str  # the Method of Equal Shares' completion: add1, add1-past-exhaustive or none
    min_choices: int
    max_choices: int
    within_budget: bool
    points: int
    projects: list[ProjectOut]
    you_may_vote: bool
    you_voted: bool  # during voting: whether your ballot is in


class ResultProjectOut(Schema):
    proposal_id: int
    title: str
    cost_pence: int
    supporters: int
    points: int
    funded: bool  # by the Method of Equal Shares
    funded_usual_way: bool  # by counting votes the usual way (most votes first)
    shortfall_pence: int  # how much more its backers would have needed (0 when funded)


class AwardOut(Schema):
    id: int
    proposal_id: int
    title: str
    amount_pence: int
    paid_pence: int
    organisation: str | None
    awarded_at: datetime


class YourShareOut(Schema):
    share_pence: int  # your equal share of the budget
    spent_pence: int  # how much of it went to projects you backed
    funded: list[int]  # the funded projects you backed (proposal ids)


class ResultsOut(Schema):
    round_id: int
    # not_yet (voting has not closed), pending (being worked out), ready or failed
    status: str
    method: str  # "equal_shares": the Method of Equal Shares
    completion: str
    ballots: int | None
    budget_pence: int
    spent_pence: int | None
    left_over_pence: int | None
    share_pence: int | None  # each voter's share of the budget, once raised by the completion
    usual_way_spent_pence: int | None
    projects: list[ResultProjectOut]
    yours: YourShareOut | None
    computed_at: datetime | None
    awards: list[AwardOut]


def _round(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.pk,
        "title": round_.title,
        "phase": round_.phase,
        "budget_pence": round_.budget_pence,
        "ballot_kind": round_.ballot_kind,
        "voters": round_.voters,
        "proposals_from": round_.proposals_from,
        "review_from": round_.review_from,
        "voting_from": round_.voting_from,
        "results_from": round_.results_from,
        "delivery_from": round_.delivery_from,
        "imported": bool(round_.imported_from),
        "awards_made_at": round_.awards_made_at,
        "proposal_count": getattr(round_, "proposal_count", 0),
        "ballot_count": getattr(round_, "ballot_count", 0),
    }


def _project(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "description": proposal.description,
        "beneficiaries": proposal.beneficiaries,
        "cost_pence": proposal.cost_pence,
        "status": proposal.status,
        "delivered_by": proposal.delivered_by.name if proposal.delivered_by is not None else None,
    }


def _award(award: Award) -> dict[str, Any]:
    return {
        "id": award.pk,
        "proposal_id": award.proposal_id,
        "title": award.proposal.title,
        "amount_pence": award.amount_pence,
        "paid_pence": int(getattr(award, "paid_pence", 0)),
        "organisation": award.organisation.name if award.organisation is not None else None,
        "awarded_at": award.awarded_at,
    }


@r.get(ROUNDS, response=page_of(RoundOut))
def list_rounds(request: HttpRequest, slug: str, page: Query[PageQuery]) -> Any:
    """The partnership's rounds, the latest voting first (as the rounds page lists them)."""
    person = actor(request, slug)
    return paginate(request, selectors.rounds_for(person), schema_fn=_round, order="-voting_from")


@r.get(ROUND, response=RoundDetailOut)
def get_round(request: HttpRequest, slug: str, round_id: int) -> Any:
    """One round with its projects (each proposal, with its status)."""
    person = actor(request, slug)
    round_ = selectors.round_for(person, round_id)
    counted = selectors.rounds_for(person).filter(pk=round_.pk).first() or round_
    voting = round_.phase == "voting"
    return {
        **_round(counted),
        "description": round_.description,
        "completion": round_.completion,
        "min_choices": round_.min_choices,
        "max_choices": round_.max_choices,
        "within_budget": round_.within_budget,
        "points": round_.points,
        "projects": [_project(p) for p in selectors.proposals_in(round_)],
        "you_may_vote": voting and may("fund.vote", person, round_),
        "you_voted": voting and selectors.own_ballot(person, round_) is not None,
    }


@r.get(ROUND + "/results", response=ResultsOut)
def get_results(request: HttpRequest, slug: str, round_id: int) -> Any:
    """A round's results as its results page shows them: the projects funded by the Method of Equal Shares,
    what counting votes the usual way would have funded, your own share, and the awards made."""
    person = actor(request, slug)
    round_ = selectors.round_for(person, round_id)
    snapshot = services.results_request(round_=round_)  # asks for them if needed; never waits
    awards = [_award(a) for a in selectors.awards_for(person).filter(round_id=round_.pk)]
    out: dict[str, Any] = {
        "round_id": round_.pk,
        "status": "not_yet" if snapshot is None else snapshot.status,
        "method": "equal_shares",
        "completion": round_.completion,
        "ballots": None,
        "budget_pence": round_.budget_pence,
        "spent_pence": None,
        "left_over_pence": None,
        "share_pence": None,
        "usual_way_spent_pence": None,
        "projects": [],
        "yours": None,
        "computed_at": None,
        "awards": awards,
    }
    if snapshot is None or snapshot.status != ResultSnapshot.Status.READY:
        return out
    page = explain_for_page(round_, snapshot, selectors.own_ballot(person, round_))
    data = page["data"]
    yours = page["yours"]
    out.update(
        ballots=data["ballots"],
        spent_pence=data["mes"]["cost_pence"],
        left_over_pence=page["left_over_pence"],
        share_pence=round(data["endowment_pence"]),
        usual_way_spent_pence=data["greedy"]["cost_pence"],
        computed_at=snapshot.computed_at,
        projects=[
            {
                "proposal_id": int(row["id"]),
                "title": row["title"],
                "cost_pence": row["cost_pence"],
                "supporters": row["supporters"],
                "points": row["points"],
                "funded": row["mes"],
                "funded_usual_way": row["greedy"],
                "shortfall_pence": row["shortfall_pence"],
            }
            for row in page["rows"]
        ],
        yours=None
        if yours is None
        else {
            "share_pence": yours["endowment_pence"],
            "spent_pence": yours["spent_pence"],
            "funded": [int(row["id"]) for row in yours["funded"]],
        },
    )
    return out
