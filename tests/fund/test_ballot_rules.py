"""Property tests of the ballot rules and receipts (no database): whatever a ballot says, it is either
refused or within its round's limits, and a receipt depends on the ballot's content alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.exceptions import ServiceError
from coproduce.fund.models import Round
from coproduce.fund.services import check_ballot, receipt_for

costs_st = st.dictionaries(st.integers(1, 50), st.integers(1, 10_000_00), min_size=1, max_size=12)


@given(
    costs=costs_st,
    picks=st.dictionaries(st.integers(1, 60), st.integers(-2, 12), max_size=15),
    kind=st.sampled_from(["approval", "cumulative"]),
    fewest=st.integers(1, 5),
    extra=st.integers(0, 5),
    within=st.booleans(),
    budget=st.integers(1, 20_000_00),
    points=st.integers(1, 20),
)
def test_a_ballot_is_refused_or_within_its_limits(
    costs: dict[int, int],
    picks: dict[int, int],
    kind: str,
    fewest: int,
    extra: int,
    within: bool,
    budget: int,
    points: int,
) -> None:
    round_ = Round(
        ballot_kind=kind,
        min_choices=fewest,
        max_choices=fewest + extra,
        within_budget=within,
        budget_pence=budget,
        points=points,
    )
    refusal = ""
    try:
        total_points, total_cost = check_ballot(round_, costs, picks)
    except ServiceError as error:
        refusal = error.message
    if refusal:
        return  # refused, with a message for the person
    assert picks and set(picks) <= set(costs)
    assert all(p >= 1 for p in picks.values())
    assert total_points == sum(picks.values()) and total_cost == sum(costs[p] for p in picks)
    if kind == "approval":
        assert all(p == 1 for p in picks.values())
        assert min(fewest, len(costs)) <= len(picks) <= fewest + extra
        assert not within or total_cost <= budget
    else:
        assert total_points <= points


@given(choices=st.dictionaries(st.integers(1, 10**6), st.integers(1, 100), min_size=1, max_size=10))
def test_a_receipt_depends_on_the_content_not_the_order(choices: dict[int, int]) -> None:
    reordered = dict(reversed(list(choices.items())))
    code = receipt_for(7, "user:3", choices)
    assert code == receipt_for(7, "user:3", reordered)
    assert len(code) == 11 and code[5] == "-"
    changed = {**choices, max(choices) + 1: 1}
    assert receipt_for(7, "user:3", changed) != code
    assert receipt_for(8, "user:3", choices) != code  # another round
    assert receipt_for(7, "user:4", choices) != code  # another voter
