"""Properties of the Method of Equal Shares on many generated elections (hypothesis), and the floating-point
path checked against the exact one on the real elections in tests/data/pabulib."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods.equal_shares import Instance, Outcome, equal_shares, greedy
from coproduce.methods.pabulib import read_pb, to_instance

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"
COMPLETIONS = ["none", "add1", "add1-past-exhaustive"]


@st.composite
def instances(draw: Any) -> Instance:
    """Small elections with few distinct costs and weights, so that exact ties are frequent."""
    kind = draw(st.sampled_from(["approval", "cumulative"]))
    count = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(count)]
    costs = {p: draw(st.sampled_from([0, 5, 10, 12, 20, 30, 45])) for p in ids}
    budget = draw(st.integers(1, 120))
    weights = st.just(1) if kind == "approval" else st.integers(1, 4)
    ballot = st.dictionaries(st.sampled_from(ids), weights, max_size=count)
    ballots = draw(st.lists(ballot, max_size=12))
    return Instance(budget=budget, costs=costs, ballots=ballots, kind=kind)


def check_payments(instance: Instance, outcome: Outcome) -> None:
    endowment = float(outcome.endowment)
    for project in outcome.selected:
        payments = outcome.payments.get(project, {})
        paid = 0.0
        for group, amount in payments.items():
            assert amount >= 0
            ballots = outcome.groups[group]
            assert instance.ballots[ballots[0]].get(project, 0) > 0, "only supporters pay"
            paid += amount * len(ballots)
        assert paid == pytest.approx(instance.costs[project], rel=1e-9, abs=1e-9)
    for group, total in outcome.paid_by_group().items():
        assert total <= endowment * (1 + 1e-9), f"group {group} paid {total} > {endowment}"


@settings(max_examples=150, deadline=None)
@given(instances(), st.sampled_from(COMPLETIONS), st.sampled_from(["support", "id"]))
def test_never_over_budget_and_every_funded_project_is_paid_by_its_supporters(
    instance: Instance, completion: str, tie_break: str
) -> None:
    outcome = equal_shares(instance, completion=completion, tie_break=tie_break)  # type: ignore[arg-type]
    assert outcome.cost <= instance.budget
    assert outcome.cost == sum(instance.costs[p] for p in outcome.selected)
    assert len(set(outcome.selected)) == len(outcome.selected)
    check_payments(instance, outcome)
    assert greedy(instance).cost <= instance.budget


@settings(max_examples=100, deadline=None)
@given(instances(), st.sampled_from(COMPLETIONS), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_ballots(instance: Instance, completion: str, rnd: Any) -> None:
    shuffled = list(instance.ballots)
    rnd.shuffle(shuffled)
    other = Instance(budget=instance.budget, costs=instance.costs, ballots=shuffled, kind=instance.kind)
    first = equal_shares(instance, completion=completion)  # type: ignore[arg-type]
    second = equal_shares(other, completion=completion)  # type: ignore[arg-type]
    assert first.selected == second.selected
    assert first.endowment == second.endowment
    assert greedy(instance).selected == greedy(other).selected


@settings(max_examples=150, deadline=None)
@given(instances(), st.sampled_from(COMPLETIONS), st.sampled_from(["support", "id"]))
def test_floating_point_gives_the_exact_result(instance: Instance, completion: str, tie_break: str) -> None:
    fast = equal_shares(instance, completion=completion, tie_break=tie_break)  # type: ignore[arg-type]
    exact = equal_shares(instance, completion=completion, tie_break=tie_break, arithmetic="exact")  # type: ignore[arg-type]
    assert fast.selected == exact.selected
    assert fast.endowment == exact.endowment
    for project, payments in exact.payments.items():
        assert fast.payments[project] == pytest.approx(payments, rel=1e-9, abs=1e-9)


def test_identical_ballots_written_apart_are_merged() -> None:
    ballots = [{"a": 1, "b": 1}, {"b": 1, "a": 1}, {"a": 1}, {"b": 1, "a": 1}]
    instance = Instance(budget=40, costs={"a": 20, "b": 20}, ballots=ballots)
    outcome = equal_shares(instance, completion="none")
    assert sorted(sorted(g) for g in outcome.groups) == [[0, 1, 3], [2]]


@pytest.mark.parametrize(
    "name",
    [
        "Netherlands_Amsterdam_515.pb",
        "Netherlands_Assen_2024.pb",
        "Poland_Czestochowa_2024_Bleszno.pb",
        "Poland_Gdynia_2024_Maly_Kack__small.pb",
        "Poland_Katowice_2020_Szopienice-Burowiec.pb",
        "Poland_Swiecie_2023.pb",
        "Poland_Warszawa_2018_Muranow.pb",
        "Poland_Wieliczka_2023_Green_Budget.pb",
    ],
)
def test_floating_point_gives_the_exact_result_on_real_elections(name: str) -> None:
    instance = to_instance(read_pb(DATA / name))
    fast = equal_shares(instance, completion="none")
    exact = equal_shares(instance, completion="none", arithmetic="exact")
    assert fast.selected == exact.selected
    check_payments(instance, fast)


@pytest.mark.skipif(not os.environ.get("COPRODUCE_SLOW_TESTS"), reason="slow: set COPRODUCE_SLOW_TESTS=1")
def test_floating_point_gives_the_exact_result_with_add1_on_assen() -> None:
    instance = to_instance(read_pb(DATA / "Netherlands_Assen_2024.pb"))
    fast = equal_shares(instance, completion="add1")
    exact = equal_shares(instance, completion="add1", arithmetic="exact")
    assert fast.selected == exact.selected
    assert fast.endowment == exact.endowment
