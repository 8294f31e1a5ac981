"""The Method of Equal Shares (MES) for participatory budgeting, its completions, and utilitarian greedy.

Every voter gets an equal share of the budget (the *endowment*). Round by round, the project that can be
paid for by its supporters at the lowest price per unit of utility (the *affordability* ρ) is funded: each
supporter pays ρ × their utility for it, or everything they have left if that is less. Projects whose
supporters together have less money left than the project costs drop out. See https://equalshares.net/.

* Approval ballots use **cost utilities** (a voter's utility for a project they approve is its cost), as
  equalshares.net and ``pabutools``' ``Cost_Sat`` do; cumulative ballots use the **points** as utilities.
* Completion ``"add1"``: raise every voter's endowment by one currency unit and re-run while the outcome
  stays within the budget and is not exhaustive (the last outcome within budget is kept).
  ``"add1-past-exhaustive"``: the same without stopping at exhaustiveness.
* Ties (projects with exactly the same affordability) are broken by a documented rule, ``tie_break``:
  ``"support"`` (default) prefers the project with more supporters, then the lower cost, then the smaller
  project id (as text); ``"id"`` prefers the smaller project id (as text), as ``pabutools`` does.
* Arithmetic: ``"float"`` (default) computes with 64-bit floats over groups of identical ballots, and
  every decision whose margin is within a relative :data:`TOLERANCE` (a near-tie between projects, or a
  project whose supporters have almost exactly its cost left) is re-decided exactly with fractions, by
  replaying the rounds so far in exact arithmetic. ``"exact"`` computes everything with fractions (slow;
  the reference the float path is tested against). See ``docs/decisions/0010-equal-shares-arithmetic.md``.

This module is pure: numpy and the standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

Kind = Literal["approval", "cumulative"]
Completion = Literal["none", "add1", "add1-past-exhaustive"]
TieBreak = Literal["support", "id"]
Arithmetic = Literal["float", "exact"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Relative margin under which a floating-point decision is re-checked with exact fractions.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Instance:
    """A participatory budgeting election.

    ``budget`` and ``costs`` are whole currency units (the fund app passes pence). Each ballot maps the
    project ids a voter backs to a positive weight: 1 for approval, the points given for cumulative.
    Projects missing from a ballot, or with weight 0, are not backed by that voter.
    """

    budget: int
    costs: Mapping[str, int]
    ballots: Sequence[Mapping[str, int]]
    kind: Kind = "approval"

    def __post_init__(self) -> None:
        if self.kind not in ("approval", "cumulative"):
            raise ValueError(f"Unknown kind of ballot {self.kind!r}: use 'approval' or 'cumulative'.")
        if not isinstance(self.budget, int) or self.budget < 0:
            raise ValueError("The budget must be a whole, non-negative number of currency units.")
        for project, cost in self.costs.items():
            if not isinstance(cost, int) or cost < 0:
                raise ValueError(f"The cost of project {project!r} must be a whole, non-negative number.")
        for number, ballot in enumerate(self.ballots, start=1):
            for project, weight in ballot.items():
                if project not in self.costs:
                    raise ValueError(f"Ballot {number} backs project {project!r}, which is not in the election.")
                if not isinstance(weight, int) or weight < 0:
                    raise ValueError(f"Ballot {number} gives project {project!r} a weight that is not whole and >= 0.")


@dataclass(frozen=True)
class Outcome:
    """The result of a rule.

    ``selected`` is in the order the projects were chosen. ``endowment`` is the final per-voter endowment
    (for ``greedy``: the budget divided by the number of voters, for comparison). ``groups`` lists the
    ballots (indices into ``Instance.ballots``) in each group of identical ballots, and ``payments`` maps
    each project funded by MES to ``{group index: amount each voter of that group paid}``.
    """

    selected: tuple[str, ...]
    cost: int
    rule: str
    completion: str
    endowment: Fraction
    tie_break: str = "support"
    runs: int = 1
    groups: tuple[tuple[int, ...], ...] = ()
    payments: Mapping[str, Mapping[int, float]] = field(default_factory=dict)

    def paid_by_group(self) -> dict[int, float]:
        """Total paid by each voter of each group, over all funded projects."""
        totals: dict[int, float] = {}
        for per_group in self.payments.values():
            for group, amount in per_group.items():
                totals[group] = totals.get(group, 0.0) + amount
        return totals


@dataclass(frozen=True)
class UnfundedProject:
    """How far an unfunded project was from being funded by MES, at the final endowment."""

    cost: int
    supporters: int
    supporters_money_left: float
    shortfall: float  # the extra money its supporters would have needed (0 if they had enough left)
    chosen_by_greedy: bool


@dataclass(frozen=True)
class Explanation:
    """What a result means for the people who voted.

    ``spent_share`` gives, per ballot, the share of that voter's endowment spent on projects they backed
    (under MES every payment goes to a project the voter backed). ``covered_mes`` / ``covered_greedy``: the
    share of voters with at least one funded project they backed.
    """

    spent_share: tuple[float, ...]
    unfunded: Mapping[str, UnfundedProject]
    covered_mes: float
    covered_greedy: float
    only_mes: tuple[str, ...]
    only_greedy: tuple[str, ...]


# --------------------------------------------------------------------------------------------------------------
# Preparation: identical ballots merged into weighted groups, supporters per project as numpy arrays.


@dataclass
class _Prepared:
    ids: list[str]
    cost: list[int]
    voters: int
    groups: list[tuple[int, ...]]
    weight: FloatArray  # voters per group
    weight_int: list[int]
    sup: list[IntArray]  # per project: the groups backing it
    util: list[FloatArray]  # per project: the utility of each supporting group
    util_int: list[list[int]]
    msup: list[FloatArray]  # per project: weight of each supporting group
    mutil: list[FloatArray]  # per project: weight × utility
    total_util: list[int]
    supporters: list[int]  # voters backing each project
    rank: list[int]  # tie-breaking rank: lower wins
    candidates: list[int]  # backed projects with a positive cost
    free: list[int]  # backed projects costing nothing (always selected first)


def _prepare(instance: Instance, tie_break: TieBreak) -> _Prepared:
    ids = list(instance.costs)
    index = {project: i for i, project in enumerate(ids)}
    cost = [instance.costs[p] for p in ids]
    approval = instance.kind == "approval"
    # Group identical ballots cheaply first (the same items in the same order), then merge the groups whose
    # backed projects (and points) agree.
    written: dict[tuple[tuple[str, int], ...], int] = {}
    written_of = [written.setdefault(tuple(ballot.items()), len(written)) for ballot in instance.ballots]
    grouped: dict[tuple[tuple[int, int], ...], int] = {}
    group_of_written: list[int] = []
    for items in written:
        if approval:
            key = tuple(sorted((index[p], 1) for p, w in items if w > 0))
        else:
            key = tuple(sorted((index[p], w) for p, w in items if w > 0))
        group_of_written.append(grouped.setdefault(key, len(grouped)))
    keys = list(grouped)
    group_of = np.array(group_of_written, dtype=np.int64)[np.array(written_of, dtype=np.int64)]
    members = np.argsort(group_of, kind="stable").tolist()
    sizes = np.bincount(group_of, minlength=len(keys)).tolist()
    groups: list[tuple[int, ...]] = []
    start = 0
    for size in sizes:
        groups.append(tuple(members[start : start + size]))
        start += size
    weight_int = [len(g) for g in groups]
    sup_lists: list[list[int]] = [[] for _ in ids]
    util_lists: list[list[int]] = [[] for _ in ids]
    for g, key in enumerate(keys):
        for j, w in key:
            sup_lists[j].append(g)
            util_lists[j].append(cost[j] if approval else w)
    weight = np.array(weight_int, dtype=np.float64)
    sup = [np.array(s, dtype=np.int64) for s in sup_lists]
    util = [np.array(u, dtype=np.float64) for u in util_lists]
    msup = [weight[s] for s in sup]
    mutil = [m * u for m, u in zip(msup, util, strict=True)]
    weight_i64 = np.array(weight_int, dtype=np.int64)
    total_util = [int(np.dot(weight_i64[s], np.array(u, dtype=np.int64))) for s, u in zip(sup, util_lists, strict=True)]
    supporters = [int(weight_i64[s].sum()) for s in sup]
    if tie_break == "support":
        order = sorted(range(len(ids)), key=lambda j: (-supporters[j], cost[j], ids[j]))
    elif tie_break == "id":
        order = sorted(range(len(ids)), key=lambda j: ids[j])
    else:
        raise ValueError(f"Unknown tie-breaking rule {tie_break!r}: use 'support' or 'id'.")
    rank = [0] * len(ids)
    for position, j in enumerate(order):
        rank[j] = position
    backed = [j for j in range(len(ids)) if supporters[j] > 0]
    free = sorted((j for j in backed if cost[j] == 0), key=lambda j: rank[j])
    candidates = [j for j in backed if cost[j] > 0]
    return _Prepared(
        ids=ids,
        cost=cost,
        voters=len(instance.ballots),
        groups=groups,
        weight=weight,
        weight_int=weight_int,
        sup=sup,
        util=util,
        util_int=util_lists,
        msup=msup,
        mutil=mutil,
        total_util=total_util,
        supporters=supporters,
        rank=rank,
        candidates=candidates,
        free=free,
    )


# --------------------------------------------------------------------------------------------------------------
# Exact arithmetic.


class _Exact:
    """Budgets of every group in exact fractions, advanced round by round."""

    def __init__(self, prep: _Prepared, endowment: Fraction) -> None:
        self.prep = prep
        self.budget: list[Fraction] = [endowment] * len(prep.groups)
        self.rounds = 0  # how many selected projects have been paid for

    def affordable(self, j: int) -> bool:
        prep = self.prep
        w = prep.weight_int
        money = sum((w[g] * self.budget[g] for g in prep.sup[j].tolist()), Fraction(0))
        return money >= prep.cost[j]

    def rho(self, j: int) -> Fraction:
        """The affordability of project ``j``: the least ρ with Σ weight × min(budget, ρ × utility) = cost."""
        prep = self.prep
        merged: dict[tuple[Fraction, int], int] = {}
        for g, u in zip(prep.sup[j].tolist(), prep.util_int[j], strict=True):
            key = (self.budget[g], u)
            merged[key] = merged.get(key, 0) + prep.weight_int[g]
        rich = list(merged.items())
        paid = Fraction(0)
        utility = sum(m * u for (_, u), m in rich)
        while True:
            rho = (prep.cost[j] - paid) / utility
            poor = [item for item in rich if item[0][0] < rho * item[0][1]]
            if not poor:
                return rho
            rich = [item for item in rich if item[0][0] >= rho * item[0][1]]
            paid += sum((m * b for (b, _), m in poor), Fraction(0))
            utility -= sum(m * u for (_, u), m in poor)
            if utility == 0:  # everyone is poor: only when the project is not affordable
                return rho

    def pay(self, j: int, rho: Fraction) -> dict[int, Fraction]:
        prep = self.prep
        paid: dict[int, Fraction] = {}
        for g, u in zip(prep.sup[j].tolist(), prep.util_int[j], strict=True):
            amount = min(self.budget[g], rho * u)
            self.budget[g] -= amount
            paid[g] = amount
        self.rounds += 1
        return paid

    def advance(self, order: list[int], upto: int) -> None:
        """Replay the selections ``order[self.rounds:upto]`` exactly."""
        while self.rounds < upto:
            j = order[self.rounds]
            self.pay(j, self.rho(j))


@dataclass
class _Run:
    selected: list[int]
    payments: dict[int, tuple[IntArray, FloatArray]]


def _run_exact(prep: _Prepared, endowment: Fraction) -> _Run:
    ex = _Exact(prep, endowment)
    alive = set(prep.candidates)
    lower: dict[int, Fraction] = {j: Fraction(prep.cost[j], prep.total_util[j]) for j in alive}
    selected = list(prep.free)
    payments: dict[int, tuple[IntArray, FloatArray]] = {}
    while alive:
        best: Fraction | None = None
        tied: list[int] = []
        for j in sorted(alive, key=lambda k: lower[k]):
            if best is not None and lower[j] > best:
                break
            if not ex.affordable(j):
                alive.discard(j)
                continue
            rho = ex.rho(j)
            lower[j] = rho
            if best is None or rho < best:
                best, tied = rho, [j]
            elif rho == best:
                tied.append(j)
        if best is None:
            break
        chosen = min(tied, key=lambda k: prep.rank[k])
        paid = ex.pay(chosen, best)
        groups = prep.sup[chosen]
        payments[chosen] = (groups, np.array([float(paid[g]) for g in groups.tolist()], dtype=np.float64))
        selected.append(chosen)
        alive.discard(chosen)
    return _Run(selected, payments)


# --------------------------------------------------------------------------------------------------------------
# Floating point, with exact re-checks of near decisions.


def _rho_float(cost: float, budgets: FloatArray, util: FloatArray, msup: FloatArray, mutil: FloatArray) -> float:
    """Least ρ with Σ m·min(b, ρ·u) = cost, for an affordable project (Σ m·b ≥ cost)."""
    ratio = budgets / util
    rho = cost / float(mutil.sum())
    if float(ratio.min()) >= rho:  # nobody runs out of money: the common case
        return rho
    order = np.argsort(ratio, kind="stable")
    ratio = ratio[order]
    paid = msup[order] * budgets[order]
    paid_before = np.cumsum(paid) - paid
    util_from = np.cumsum(mutil[order][::-1])[::-1]
    rhos = (cost - paid_before) / util_from
    fits = rhos <= ratio
    k = int(np.argmax(fits)) if bool(fits.any()) else len(rhos) - 1
    return float(rhos[k])


def _run_float(prep: _Prepared, endowment: Fraction) -> _Run:
    budgets = np.full(len(prep.groups), float(endowment), dtype=np.float64)
    alive = set(prep.candidates)
    lower = {j: prep.cost[j] / prep.total_util[j] for j in alive}
    selected = list(prep.free)
    paid_order: list[int] = []  # the projects paid for, in order (for exact replays)
    payments: dict[int, tuple[IntArray, FloatArray]] = {}
    exact: _Exact | None = None

    def exact_now() -> _Exact:
        nonlocal exact
        if exact is None:
            exact = _Exact(prep, endowment)
        exact.advance(paid_order, len(paid_order))
        return exact

    while alive:
        best = math.inf
        evaluated: list[tuple[float, int]] = []
        for j in sorted(alive, key=lambda k: lower[k]):
            if lower[j] > best * (1 + TOLERANCE):
                break
            groups = prep.sup[j]
            b = budgets[groups]
            money = float(np.dot(prep.msup[j], b))
            cost = prep.cost[j]
            if money < cost * (1 - TOLERANCE) or (money < cost * (1 + TOLERANCE) and not exact_now().affordable(j)):
                alive.discard(j)
                continue
            rho = _rho_float(float(cost), b, prep.util[j], prep.msup[j], prep.mutil[j])
            lower[j] = rho
            evaluated.append((rho, j))
            best = min(best, rho)
        if not evaluated:
            break
        near = [j for rho, j in evaluated if rho <= best * (1 + TOLERANCE)]
        if len(near) == 1:
            chosen, rho = near[0], best
        else:
            ex = exact_now()
            exact_rho = {j: ex.rho(j) for j in near}
            least = min(exact_rho.values())
            chosen = min((j for j in near if exact_rho[j] == least), key=lambda k: prep.rank[k])
            rho = float(least)
        groups = prep.sup[chosen]
        b = budgets[groups]
        pay = np.minimum(b, rho * prep.util[chosen])
        budgets[groups] = np.maximum(b - pay, 0.0)
        payments[chosen] = (groups, pay)
        selected.append(chosen)
        paid_order.append(chosen)
        alive.discard(chosen)
    return _Run(selected, payments)


# --------------------------------------------------------------------------------------------------------------
# Public rules.


def equal_shares(
    instance: Instance,
    *,
    completion: Completion = "add1",
    tie_break: TieBreak = "support",
    arithmetic: Arithmetic = "float",
) -> Outcome:
    """The Method of Equal Shares, with the given completion (see the module's docstring)."""
    if completion not in ("none", "add1", "add1-past-exhaustive"):
        raise ValueError(f"Unknown completion {completion!r}.")
    if arithmetic not in ("float", "exact"):
        raise ValueError(f"Unknown arithmetic {arithmetic!r}.")
    prep = _prepare(instance, tie_break)
    run = _run_exact if arithmetic == "exact" else _run_float
    if prep.voters == 0:
        return _outcome(prep, _Run(list(prep.free), {}), completion, tie_break, Fraction(0), runs=0)
    endowment = Fraction(instance.budget, prep.voters)
    result = run(prep, endowment)
    runs = 1
    if completion != "none":
        backed = set(prep.candidates)
        previous, previous_endowment = result, endowment
        while True:
            spent = sum(prep.cost[j] for j in result.selected)
            if spent > instance.budget:
                result, endowment = previous, previous_endowment
                break
            left = instance.budget - spent
            chosen = set(result.selected)
            unchosen = [j for j in backed if j not in chosen]
            if not unchosen:
                break
            if completion == "add1" and all(prep.cost[j] > left for j in unchosen):
                break
            previous, previous_endowment = result, endowment
            endowment += 1
            result = run(prep, endowment)
            runs += 1
    return _outcome(prep, result, completion, tie_break, endowment, runs=runs)


def _outcome(prep: _Prepared, run: _Run, completion: str, tie_break: str, endowment: Fraction, *, runs: int) -> Outcome:
    payments = {
        prep.ids[j]: dict(zip(groups.tolist(), pay.tolist(), strict=True)) for j, (groups, pay) in run.payments.items()
    }
    return Outcome(
        selected=tuple(prep.ids[j] for j in run.selected),
        cost=sum(prep.cost[j] for j in run.selected),
        rule="equal-shares",
        completion=completion,
        endowment=endowment,
        tie_break=tie_break,
        runs=runs,
        groups=tuple(prep.groups),
        payments=payments,
    )


def greedy(instance: Instance, *, tie_break: TieBreak = "support") -> Outcome:
    """Utilitarian greedy: projects by support (approval: voters; cumulative: points), each funded if it fits.

    Ties in support are broken by ``tie_break`` as in :func:`equal_shares`.
    """
    prep = _prepare(instance, tie_break)
    score = prep.supporters if instance.kind == "approval" else prep.total_util
    order = sorted(range(len(prep.ids)), key=lambda j: (-score[j], prep.rank[j]))
    left = instance.budget
    selected: list[int] = []
    for j in order:
        if score[j] > 0 and prep.cost[j] <= left:
            selected.append(j)
            left -= prep.cost[j]
    endowment = Fraction(instance.budget, prep.voters) if prep.voters else Fraction(0)
    return Outcome(
        selected=tuple(prep.ids[j] for j in selected),
        cost=instance.budget - left,
        rule="greedy",
        completion="none",
        endowment=endowment,
        tie_break=tie_break,
        runs=1,
        groups=tuple(prep.groups),
    )


def explain(instance: Instance, mes: Outcome, greedy_outcome: Outcome) -> Explanation:
    """Explain an MES outcome to voters, and compare it with greedy's (see :class:`Explanation`)."""
    voters = len(instance.ballots)
    share = [0.0] * voters
    endowment = float(mes.endowment)
    if endowment > 0:
        for group, amount in mes.paid_by_group().items():
            for member in mes.groups[group]:
                share[member] = min(1.0, amount / endowment)
    left_by_ballot = [endowment * (1 - s) for s in share]
    funded_mes = set(mes.selected)
    funded_greedy = set(greedy_outcome.selected)
    backers: dict[str, list[int]] = {p: [] for p in instance.costs}
    covered_mes = covered_greedy = 0
    for number, ballot in enumerate(instance.ballots):
        backed = [p for p, w in ballot.items() if w > 0]
        for p in backed:
            backers[p].append(number)
        covered_mes += any(p in funded_mes for p in backed)
        covered_greedy += any(p in funded_greedy for p in backed)
    unfunded: dict[str, UnfundedProject] = {}
    for project, cost in instance.costs.items():
        if project in funded_mes:
            continue
        money = sum(left_by_ballot[b] for b in backers[project])
        unfunded[project] = UnfundedProject(
            cost=cost,
            supporters=len(backers[project]),
            supporters_money_left=money,
            shortfall=max(0.0, cost - money),
            chosen_by_greedy=project in funded_greedy,
        )
    return Explanation(
        spent_share=tuple(share),
        unfunded=unfunded,
        covered_mes=covered_mes / voters if voters else 0.0,
        covered_greedy=covered_greedy / voters if voters else 0.0,
        only_mes=tuple(p for p in mes.selected if p not in funded_greedy),
        only_greedy=tuple(p for p in greedy_outcome.selected if p not in funded_mes),
    )
