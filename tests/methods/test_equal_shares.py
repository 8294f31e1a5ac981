"""The Method of Equal Shares: hand-worked examples, official outcomes, greedy, explanations, bad input."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from coproduce.methods.equal_shares import Instance, equal_shares, explain, greedy
from coproduce.methods.pabulib import read_pb, to_instance

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"


def official(name: str) -> tuple[Instance, set[str]]:
    pb = read_pb(DATA / name)
    return to_instance(pb), {p["project_id"] for p in pb.projects if p.get("selected") == "1"}


def majority_and_minority() -> Instance:
    """Six voters want three 30-unit projects; four want one 40-unit project; budget 100 (10 each)."""
    ballots = [{"a1": 1, "a2": 1, "a3": 1}] * 6 + [{"b": 1}] * 4
    return Instance(budget=100, costs={"a1": 30, "a2": 30, "a3": 30, "b": 40}, ballots=ballots, kind="approval")


@pytest.mark.parametrize("arithmetic", ["float", "exact"])
def test_equal_shares_gives_the_minority_its_share_where_greedy_does_not(arithmetic: str) -> None:
    instance = majority_and_minority()
    mes = equal_shares(instance, completion="none", arithmetic=arithmetic)  # type: ignore[arg-type]
    # Round 1: a1, a2, a3 and b cost 5, 5, 5 and 10 per supporter (ρ = 1/6, 1/6, 1/6, 1/4): a1 (tie: id).
    # Round 2: a2 takes the majority's last 5 each; a3 is then unaffordable; b is paid by its four supporters.
    assert mes.selected == ("a1", "a2", "b")
    assert mes.cost == 100
    assert mes.endowment == Fraction(10)
    assert greedy(instance).selected == ("a1", "a2", "a3")
    majority_group = next(g for g, ballots in enumerate(mes.groups) if 0 in ballots)
    minority_group = next(g for g, ballots in enumerate(mes.groups) if 9 in ballots)
    assert mes.payments["a1"] == {majority_group: pytest.approx(5.0)}
    assert mes.payments["b"] == {minority_group: pytest.approx(10.0)}


def test_ties_follow_the_chosen_rule() -> None:
    # Each supporter of "x" (4) or "a" (2) would pay 10, but x's price per unit of utility is lower.
    ballots = [{"x": 1}] * 4 + [{"a": 1}] * 2
    instance = Instance(budget=60, costs={"a": 20, "x": 40}, ballots=ballots)
    # ρ(x) = 1/4 < ρ(a) = 1/2: not a tie; both are funded, x first.
    assert equal_shares(instance, completion="none").selected == ("x", "a")
    tied = Instance(budget=40, costs={"b": 20, "a": 20, "c": 10}, ballots=[{"b": 1, "a": 1, "c": 1}] * 2)
    # With cost utilities every project backed by both voters has ρ = 1/2: a three-way tie.
    assert equal_shares(tied, completion="none", tie_break="id").selected[0] == "a"
    assert equal_shares(tied, completion="none", tie_break="support").selected[0] == "c"  # lower cost


def test_poor_supporters_pay_what_they_have_and_the_rest_pay_more() -> None:
    # Voter 0 has spent most of their share on "p"; "q" is then paid mostly by voters 1 and 2.
    instance = Instance(
        budget=30,
        costs={"p": 8, "q": 12},
        ballots=[{"p": 10, "q": 1}, {"q": 1}, {"q": 1}],
        kind="cumulative",
    )
    outcome = equal_shares(instance, completion="none", arithmetic="exact")
    # ρ(p) = 8/10 < ρ(q) = 12/3: p first, voter 0 pays 8 of 10. For q voter 0 has 2 left, less than
    # ρ·1 = 4, so voter 0 pays 2 and the others (10 each) pay (12 - 2) / 2 = 5 each.
    assert outcome.selected == ("p", "q")
    group_of = {ballots[0]: g for g, ballots in enumerate(outcome.groups)}
    assert outcome.payments["q"][group_of[0]] == pytest.approx(2.0)
    assert outcome.payments["q"][group_of[1]] == pytest.approx(5.0)


def test_add1_raises_the_endowment_until_the_budget_would_be_exceeded() -> None:
    # Plain MES leaves money unspent: "big" needs 60 of voters who have only 50 between them.
    instance = Instance(
        budget=100,
        costs={"big": 60, "small": 40},
        ballots=[{"big": 1}] * 5 + [{"small": 1}] * 5,
    )
    plain = equal_shares(instance, completion="none")
    assert plain.selected == ("small",)
    completed = equal_shares(instance, completion="add1")
    # With 12 each, "big"'s five supporters have 60: both are funded at exactly the budget.
    assert set(completed.selected) == {"big", "small"}
    assert completed.cost == 100
    assert completed.endowment == 12
    assert completed.runs == 3


def test_add1_stops_at_an_exhaustive_outcome_but_past_exhaustive_continues() -> None:
    # After plain MES (endowment 10) "c" alone is funded and nothing else fits what is left (20 < 25),
    # so Add1 stops. Continuing, "a" becomes affordable at 13 each (26 >= 25), but a + c = 105 > 100,
    # so the last outcome within budget (endowment 12: c alone) is kept.
    instance = Instance(
        budget=100,
        costs={"a": 25, "b": 25, "c": 80},
        ballots=[{"a": 1, "b": 1}] * 2 + [{"c": 1}] * 8,
    )
    add1 = equal_shares(instance, completion="add1")
    assert add1.selected == ("c",)
    assert add1.runs == 1
    past = equal_shares(instance, completion="add1-past-exhaustive")
    assert past.selected == ("c",)
    assert past.endowment == 12
    assert past.runs == 4


def test_zero_cost_projects_with_support_are_funded_first_and_unbacked_never() -> None:
    instance = Instance(budget=10, costs={"free": 0, "paid": 10, "nobody": 1}, ballots=[{"free": 1, "paid": 1}] * 2)
    assert equal_shares(instance, completion="none").selected == ("free", "paid")


def test_no_voters_selects_nothing() -> None:
    instance = Instance(budget=10, costs={"a": 5}, ballots=[])
    assert equal_shares(instance).selected == ()
    assert greedy(instance).selected == ()


def test_cumulative_points_are_the_utilities() -> None:
    # Voter 0 puts 9 points on "a", 1 on "b"; voter 1 the reverse. Each project costs 10, budget 20.
    instance = Instance(
        budget=20,
        costs={"a": 10, "b": 10},
        ballots=[{"a": 9, "b": 1}, {"a": 1, "b": 9}],
        kind="cumulative",
    )
    outcome = equal_shares(instance, completion="none", arithmetic="exact")
    assert set(outcome.selected) == {"a", "b"}
    group_of_first = next(g for g, ballots in enumerate(outcome.groups) if 0 in ballots)
    assert outcome.payments["a"][group_of_first] == pytest.approx(9.0)  # ρ = 1 per point
    assert greedy(instance).selected == ("a", "b")  # 10 points each: tie by support, cost, then id


def test_greedy_by_votes_skips_projects_that_no_longer_fit() -> None:
    instance = Instance(
        budget=100,
        costs={"a": 70, "b": 50, "c": 30},
        ballots=[{"a": 1, "b": 1}] * 3 + [{"b": 1}] * 2 + [{"c": 1}],
    )
    outcome = greedy(instance)
    assert outcome.selected == ("b", "c")  # b (5 votes), a (3) does not fit in 50, c (1) does
    assert outcome.cost == 80


def test_explanation_of_the_majority_and_minority() -> None:
    instance = majority_and_minority()
    mes = equal_shares(instance, completion="none")
    result = explain(instance, mes, greedy(instance))
    assert result.spent_share == pytest.approx((1.0,) * 10)
    assert result.covered_mes == 1.0
    assert result.covered_greedy == pytest.approx(0.6)
    assert result.only_mes == ("b",)
    assert result.only_greedy == ("a3",)
    a3 = result.unfunded["a3"]
    assert (a3.supporters, a3.supporters_money_left, a3.shortfall, a3.chosen_by_greedy) == (6, 0.0, 30.0, True)


def test_explanation_shows_how_far_an_unfunded_project_was() -> None:
    instance = Instance(budget=100, costs={"big": 60, "small": 40}, ballots=[{"big": 1}] * 5 + [{"small": 1}] * 5)
    mes = equal_shares(instance, completion="none")
    result = explain(instance, mes, greedy(instance))
    big = result.unfunded["big"]
    assert big.supporters_money_left == pytest.approx(50.0)
    assert big.shortfall == pytest.approx(10.0)
    assert result.spent_share[0] == 0.0
    assert result.spent_share[9] == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"budget": -1, "costs": {}, "ballots": []}, "budget"),
        ({"budget": 10, "costs": {"a": 1.5}, "ballots": []}, "cost"),
        ({"budget": 10, "costs": {"a": 1}, "ballots": [{"b": 1}]}, "not in the election"),
        ({"budget": 10, "costs": {"a": 1}, "ballots": [{"a": -1}]}, "weight"),
        ({"budget": 10, "costs": {"a": 1}, "ballots": [], "kind": "ordinal"}, "kind"),
    ],
)
def test_bad_instances_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Instance(**kwargs)  # type: ignore[arg-type]


def test_unknown_options_are_refused() -> None:
    instance = majority_and_minority()
    with pytest.raises(ValueError, match="completion"):
        equal_shares(instance, completion="add2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tie-breaking"):
        equal_shares(instance, tie_break="random")  # type: ignore[arg-type]


# Official outcomes: the "selected" column of these files is the outcome the city announced.


@pytest.mark.parametrize("tie_break", ["support", "id"])
@pytest.mark.parametrize("name", ["Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb"])
def test_official_outcomes_of_mes_with_add1(name: str, tie_break: str) -> None:
    instance, selected = official(name)
    outcome = equal_shares(instance, completion="add1", tie_break=tie_break)  # type: ignore[arg-type]
    assert set(outcome.selected) == selected
    assert len(outcome.selected) == len(selected)
    assert outcome.cost <= instance.budget


@pytest.mark.parametrize("tie_break", ["support", "id"])
def test_official_outcome_of_wieliczka_green_budget_add1_past_exhaustive(tie_break: str) -> None:
    instance, selected = official("Poland_Wieliczka_2023_Green_Budget.pb")
    outcome = equal_shares(instance, completion="add1-past-exhaustive", tie_break=tie_break)  # type: ignore[arg-type]
    assert set(outcome.selected) == selected
    assert int(outcome.endowment) == 315  # 1 000 000 / 6 586 + 164
    # Stopping at the first exhaustive outcome gives a smaller endowment and a different selection.
    stopped = equal_shares(instance, completion="add1", tie_break=tie_break)  # type: ignore[arg-type]
    assert stopped.endowment < outcome.endowment
    assert set(stopped.selected) != selected


def test_feasibility_is_not_monotone_in_the_endowment_so_add1_steps_one_unit_at_a_time() -> None:
    # Three voters, budget 78. Each endowment is tried by giving the same voters a larger budget to share
    # (budget = 3 × endowment) and checking the cost against the real budget, 78.
    costs = {"p0": 40, "p1": 50, "p2": 25, "p3": 30}
    ballots = [{"p0": 1, "p1": 1, "p2": 1, "p3": 1}, {"p1": 1}, {"p0": 1, "p3": 1}]

    def cost_at(endowment: int) -> int:
        instance = Instance(budget=3 * endowment, costs=costs, ballots=ballots)
        return equal_shares(instance, completion="none", arithmetic="exact").cost

    assert [cost_at(e) <= 78 for e in (32, 33, 34, 35)] == [True, False, False, True]
    # A search that assumed "once over budget, always over budget" could stop anywhere; Add1 stops at the
    # first endowment over budget and keeps the outcome before it.
    outcome = equal_shares(Instance(budget=78, costs=costs, ballots=ballots), completion="add1")
    assert outcome.endowment == 32
    assert outcome.selected == ("p3",)
