"""One winner from ranked ballots: instant runoff and the Schulze method, on the data :mod:`blt` reads.

Candidates are the BLT numbers (from 1); withdrawn candidates are left out as if never ranked. A tie no rule
settles is settled by lot with a seeded random choice, which the result reports.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from coproduce.methods.blt import Election

__all__ = ["IrvResult", "IrvRound", "SchulzeResult", "irv", "schulze"]


@dataclass(frozen=True)
class IrvRound:
    number: int
    description: str
    totals: Mapping[int, int]  # candidate -> votes this round
    exhausted: int


@dataclass(frozen=True)
class IrvResult:
    winner: int | None  # None when no ballot ranks anyone
    rounds: tuple[IrvRound, ...]
    lots: int


def irv(election: Election, *, seed: int = 0) -> IrvResult:
    """Instant runoff: a candidate with more than half of the papers still counting wins; otherwise the one with
    fewest is excluded (a tie by the most recent round at which the tied differed, then by lot) and their papers
    go to the next preference still standing."""
    names = election.candidates
    standing = {n for n in range(1, len(names) + 1) if n not in election.withdrawn}
    chooser = random.Random(seed)  # noqa: S311 - a reproducible lot, not a secret
    lots = 0
    rounds: list[IrvRound] = []
    ballots = [(b.weight, b.ranking) for b in election.ballots if b.weight]
    while standing:
        totals = dict.fromkeys(standing, 0)
        exhausted = 0
        for weight, ranking in ballots:
            top = next((n for n in ranking if n in standing), None)
            if top is None:
                exhausted += weight
            else:
                totals[top] += weight
        counting = sum(totals.values())
        number = len(rounds) + 1
        best = max(totals.values())
        leaders = [n for n in standing if totals[n] == best]
        if counting and (2 * best > counting or len(standing) == 1):
            winner = leaders[0]
            words = f"Round {number}: {names[winner - 1]} has {best} of {counting} votes, more than half, and wins."
            rounds.append(IrvRound(number, words, totals, exhausted))
            return IrvResult(winner, tuple(rounds), lots)
        if not counting:
            rounds.append(IrvRound(number, f"Round {number}: no paper ranks a candidate still standing.", totals, 0))
            return IrvResult(None, tuple(rounds), lots)
        low = min(totals.values())
        tied = sorted(n for n in standing if totals[n] == low)
        note = ""
        for earlier in reversed(rounds):
            if len(tied) == 1:
                break
            values = {n: earlier.totals.get(n, 0) for n in tied}
            fewest = min(values.values())
            tied = [n for n in tied if values[n] == fewest]
        if len(tied) > 1:
            out = chooser.choice(tied)
            lots += 1
            note = f" (chosen by lot among {', '.join(names[n - 1] for n in tied)}, seed {seed})"
        else:
            out = tied[0]
        standing.discard(out)
        words = f"Round {number}: no one has more than half; {names[out - 1]} excluded with {low} votes{note}."
        rounds.append(IrvRound(number, words, totals, exhausted))
    return IrvResult(None, tuple(rounds), lots)


@dataclass(frozen=True)
class SchulzeResult:
    winner: int | None
    ranking: tuple[int, ...]  # candidates, best first (by how many others each beats by strongest path)
    tied_winners: tuple[int, ...]  # every candidate no other beats; winner is one of them (by lot if several)
    pairwise: Mapping[tuple[int, int], int]  # (a, b) -> voters ranking a above b
    strongest: Mapping[tuple[int, int], int]  # (a, b) -> strength of the strongest path from a to b
    lots: int


def schulze(election: Election, *, seed: int = 0) -> SchulzeResult:
    """The Schulze method (winning votes): a candidate ranked above an unranked one is preferred to it; two
    unranked candidates are equal on that paper."""
    candidates = [n for n in range(1, len(election.candidates) + 1) if n not in election.withdrawn]
    index = {n: i for i, n in enumerate(candidates)}
    size = len(candidates)
    d = [[0] * size for _ in range(size)]
    for ballot in election.ballots:
        ranked = [index[n] for n in ballot.ranking if n in index]
        unranked = [i for i in range(size) if i not in set(ranked)]
        for place, a in enumerate(ranked):
            for b in ranked[place + 1 :]:
                d[a][b] += ballot.weight
            for b in unranked:
                d[a][b] += ballot.weight
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(size)] for i in range(size)]
    for k in range(size):
        for i in range(size):
            if i == k:
                continue
            for j in range(size):
                if j not in (i, k):
                    p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))
    beats = [sum(1 for j in range(size) if p[i][j] > p[j][i]) for i in range(size)]
    order = sorted(range(size), key=lambda i: (-beats[i], candidates[i]))
    potential = [candidates[i] for i in range(size) if all(p[i][j] >= p[j][i] for j in range(size))]
    lots = 0
    winner: int | None = None
    if len(potential) == 1:
        winner = potential[0]
    elif potential:
        winner = random.Random(seed).choice(sorted(potential))  # noqa: S311 - a reproducible lot
        lots = 1
    return SchulzeResult(
        winner,
        tuple(candidates[i] for i in order),
        tuple(sorted(potential)),
        {(candidates[i], candidates[j]): d[i][j] for i in range(size) for j in range(size) if i != j},
        {(candidates[i], candidates[j]): p[i][j] for i in range(size) for j in range(size) if i != j},
        lots,
    )
