"""A round's results: the ballots as an election for ``methods.equal_shares``, the outcome of the Method
of Equal Shares (with the round's completion) and of greedy, and what they mean for each voter.

Amounts go to the method in whole pounds when the budget and every cost are whole pounds (as they
nearly always are), otherwise in pence: Add1 raises each voter's share by one unit at a time, and "one
pound" is the unit equalshares.net and the Pabulib files use. See docs/decisions/0006-the-pooled-fund.md.
"""

from __future__ import annotations

import time
from typing import Any

from coproduce.fund.models import Ballot, BallotChoice, Proposal, ResultSnapshot, Round
from coproduce.methods.equal_shares import Instance, equal_shares, explain, greedy


def _unit(round_: Round, costs: dict[int, int]) -> int:
    amounts = [round_.budget_pence, *costs.values()]
    return 100 if all(amount % 100 == 0 for amount in amounts) else 1


def election_for(round_: Round) -> tuple[Instance, list[int], int, dict[int, Proposal]]:
    """The round as an election: (instance, ballot ids in the order of ``instance.ballots``, pence per
    unit, proposals on the ballot by id)."""
    proposals = {
        p.pk: p for p in Proposal.objects.filter(round=round_, status=Proposal.Status.ON_BALLOT).order_by("pk")
    }
    unit = _unit(round_, {pk: p.cost_pence for pk, p in proposals.items()})
    ballots: dict[int, dict[str, int]] = {
        pk: {} for pk in Ballot.objects.filter(round=round_).order_by("pk").values_list("pk", flat=True)
    }
    rows = BallotChoice.objects.filter(ballot__round=round_).values_list("ballot_id", "proposal_id", "points")
    for ballot_id, proposal_id, points in rows.iterator(chunk_size=5000):
        if proposal_id in proposals:
            ballots[ballot_id][str(proposal_id)] = points if round_.ballot_kind == Round.Kind.CUMULATIVE else 1
    instance = Instance(
        budget=round_.budget_pence // unit,
        costs={str(pk): p.cost_pence // unit for pk, p in proposals.items()},
        ballots=list(ballots.values()),
        kind="cumulative" if round_.ballot_kind == Round.Kind.CUMULATIVE else "approval",
    )
    return instance, list(ballots), unit, proposals


def compute(round_: Round, completion: str) -> tuple[dict[str, Any], float]:
    """Work out the results; returns the snapshot's data and the seconds it took."""
    started = time.perf_counter()
    instance, ballot_ids, unit, proposals = election_for(round_)
    mes = equal_shares(instance, completion=completion)  # type: ignore[arg-type]
    plain = greedy(instance)
    explanation = explain(instance, mes, plain)
    supporters = dict.fromkeys(instance.costs, 0)
    points = dict.fromkeys(instance.costs, 0)
    for ballot in instance.ballots:
        for pid, weight in ballot.items():
            supporters[pid] += 1
            points[pid] += weight
    endowment_pence = float(mes.endowment) * unit
    data: dict[str, Any] = {
        "unit_pence": unit,
        "budget_pence": round_.budget_pence,
        "ballots": len(ballot_ids),
        "kind": instance.kind,
        "endowment_pence": round(endowment_pence, 2),
        "mes": {"selected": list(mes.selected), "cost_pence": mes.cost * unit, "runs": mes.runs},
        "greedy": {"selected": list(plain.selected), "cost_pence": plain.cost * unit},
        "covered": {"mes": explanation.covered_mes, "greedy": explanation.covered_greedy},
        "projects": {
            pid: {
                "title": proposals[int(pid)].title,
                "cost_pence": proposals[int(pid)].cost_pence,
                "supporters": supporters[pid],
                "points": points[pid],
            }
            for pid in instance.costs
        },
        "unfunded": {
            pid: {
                "supporters": info.supporters,
                "money_left_pence": round(info.supporters_money_left * unit),
                "shortfall_pence": round(info.shortfall * unit),
                "chosen_by_greedy": info.chosen_by_greedy,
            }
            for pid, info in explanation.unfunded.items()
        },
        # Each ballot's share of its endowment spent on projects it backed: the voter sees only their own.
        "shares": {str(bid): round(share, 6) for bid, share in zip(ballot_ids, explanation.spent_share, strict=True)},
    }
    seconds = time.perf_counter() - started
    data["seconds"] = round(seconds, 3)
    return data, seconds


def explain_for_page(round_: Round, snapshot: ResultSnapshot, own_ballot: Ballot | None) -> dict[str, Any]:
    """What the results page shows, from a ready snapshot; ``own_ballot`` is the person's own, if any."""
    data = snapshot.data
    projects = data["projects"]
    mes_selected = set(data["mes"]["selected"])
    greedy_selected = set(data["greedy"]["selected"])
    most_supporters = max((p["supporters"] for p in projects.values()), default=0) or 1
    rows = []
    for pid, project in sorted(projects.items(), key=lambda item: (-item[1]["supporters"], item[1]["title"])):
        unfunded = data["unfunded"].get(pid)
        rows.append(
            {
                "id": pid,
                "title": project["title"],
                "cost_pence": project["cost_pence"],
                "supporters": project["supporters"],
                "points": project["points"],
                "mes": pid in mes_selected,
                "greedy": pid in greedy_selected,
                "shortfall_pence": unfunded["shortfall_pence"] if unfunded else 0,
                "money_left_pence": unfunded["money_left_pence"] if unfunded else 0,
                "bar": round(100 * project["supporters"] / most_supporters),
            }
        )
    yours = None
    if own_ballot is not None:
        share = data["shares"].get(str(own_ballot.pk))
        backed = {str(c.proposal_id) for c in own_ballot.choices.all()}
        if share is not None:
            yours = {
                "share": share,
                "spent_pence": round(share * data["endowment_pence"]),
                "endowment_pence": round(data["endowment_pence"]),
                "funded": [r for r in rows if r["id"] in backed and r["mes"]],
                "funded_by_greedy": [r for r in rows if r["id"] in backed and r["greedy"]],
            }
    return {
        "data": data,
        "rows": rows,
        "funded": [r for r in rows if r["mes"]],
        "unfunded": sorted((r for r in rows if not r["mes"]), key=lambda r: r["shortfall_pence"]),
        "greedy_differs": mes_selected != greedy_selected,
        "only_mes": [r for r in rows if r["mes"] and not r["greedy"]],
        "only_greedy": [r for r in rows if r["greedy"] and not r["mes"]],
        "yours": yours,
        "chart_height": max(8, 8 * len(rows)),
        "left_over_pence": data["budget_pence"] - data["mes"]["cost_pence"],
        # The budget split evenly between the ballots; the completion step may have raised each share above it
        # (to spend what plain equal shares leave over), so the shares then add up to more than the budget.
        "first_share_pence": round(data["budget_pence"] / data["ballots"]) if data["ballots"] else 0,
        "shares_raised": data["endowment_pence"] * data["ballots"] > data["budget_pence"] + data["ballots"],
        "shares_total_pence": round(data["endowment_pence"] * data["ballots"]),
    }
