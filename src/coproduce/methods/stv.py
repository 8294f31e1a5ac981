"""The single transferable vote as Scottish councils count it: the Scottish Local Government Elections Order
2007, Schedule 1, rules 45-52 (docs/counting.md says how each rule is implemented).

Every value is an integer number of units of 1/100 000 of a vote (:data:`UNIT`): a first preference is worth
100 000, a transfer value is cut to five decimal places as rule 48(3) says, so the arithmetic is exact and the
same count gives the same result on every machine. A tie that no earlier stage settles is settled by lot with a
seeded random choice, reported in the stage that needed it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coproduce.methods.blt import Election

__all__ = ["UNIT", "Stage", "StvResult", "droop_quota", "format_votes", "stv"]

UNIT = 100_000  # one vote, in units of 1/100 000 of a vote


def format_votes(units: int, places: int = 2) -> str:
    """``units`` (1/100 000 of a vote) as votes with ``places`` decimals, cut rather than rounded."""
    whole, part = divmod(units, UNIT)
    if places == 0:
        return str(whole)
    return f"{whole}.{part:05d}"[: len(str(whole)) + 1 + places]


def droop_quota(valid: int, seats: int) -> int:
    """Rule 46: the valid papers divided by one more than the seats, any fraction ignored, plus one."""
    return valid // (seats + 1) + 1


@dataclass(frozen=True)
class Stage:
    """One stage of the count: what happened, in words, and every candidate's total after it (in units)."""

    number: int
    description: str
    totals: Mapping[int, int]  # candidate number -> units
    non_transferable: int  # units not with any candidate (papers with no further preference, and fractions lost)
    elected: tuple[int, ...] = ()
    excluded: tuple[int, ...] = ()


@dataclass(frozen=True)
class StvResult:
    elected: tuple[int, ...]  # candidate numbers (from 1), in order of election
    quota: int  # in votes (rule 46 gives a whole number)
    valid: int  # valid papers
    stages: tuple[Stage, ...]
    seed: int
    lots: int  # how many ties were settled by lot


class _Parcel:
    """Papers with the same ranking, the same position in it and the same value."""

    __slots__ = ("count", "position", "ranking", "value")

    def __init__(self, ranking: tuple[int, ...], position: int, count: int, value: int) -> None:
        self.ranking = ranking
        self.position = position
        self.count = count
        self.value = value


def stv(election: Election, *, seats: int | None = None, seed: int = 0) -> StvResult:
    """Count ``election`` by the Scottish rules for ``seats`` seats (default: the file's)."""
    seats = election.seats if seats is None else seats
    names = election.candidates
    everyone = [n for n in range(1, len(names) + 1) if n not in election.withdrawn]
    if not seats >= 1:
        raise ValueError("there must be at least one seat.")
    chooser = random.Random(seed)  # noqa: S311 - a reproducible lot, not a secret
    lots = 0

    continuing: set[int] = set(everyone)
    piles: dict[int, list[_Parcel]] = {n: [] for n in everyone}
    totals: dict[int, int] = dict.fromkeys(everyone, 0)
    elected: list[int] = []
    pending: list[int] = []  # elected candidates whose surplus has not been transferred
    excluded: list[int] = []
    history: list[dict[int, int]] = []  # totals after each stage, for ties
    stages: list[Stage] = []

    def place(parcel: _Parcel) -> None:
        while parcel.position < len(parcel.ranking) and parcel.ranking[parcel.position] not in continuing:
            parcel.position += 1
        if parcel.position == len(parcel.ranking):
            return  # no further preference: not transferable
        to = parcel.ranking[parcel.position]
        piles[to].append(parcel)
        totals[to] += parcel.count * parcel.value

    # Rule 45: first preferences. Withdrawn candidates are skipped as if never ranked; a paper ranking no
    # candidate still standing is not valid.
    valid = 0
    for ballot in election.ballots:
        ranking = tuple(n for n in ballot.ranking if n not in election.withdrawn)
        if ranking and ballot.weight:
            valid += ballot.weight
            place(_Parcel(ranking, 0, ballot.weight, UNIT))
    quota_votes = droop_quota(valid, seats)
    quota = quota_votes * UNIT

    def name(n: int) -> str:
        return names[n - 1]

    def tie(tied: list[int], *, highest: bool, what: str) -> tuple[int, str]:
        """The one of ``tied`` (equal now) chosen by the most recent earlier stage at which their totals
        differed (highest or lowest there), else by lot: rules 49(2)-(3) and 51(2), quoted in docs/counting.md.

        Every recorded stage is looked at, the latest first; one at which the tied were all equal (the stage
        that has just ended, for a surplus or an exclusion) settles nothing and is passed over. When several
        are still equal (highest or lowest) at that stage, the stages before it decide between them."""
        nonlocal lots
        group = sorted(tied)
        for totals_then in reversed(history):
            values = {n: totals_then.get(n, 0) for n in group}
            if len(set(values.values())) > 1:
                best = (max if highest else min)(values.values())
                group = [n for n in group if values[n] == best]
                if len(group) == 1:
                    return group[0], ""
        choice = chooser.choice(group)
        lots += 1
        listed = ", ".join(name(n) for n in group)
        return choice, f" ({listed} were equal at every stage; {name(choice)} {what} by lot, seed {seed})"

    def record(description: str, newly_elected: Sequence[int] = (), newly_excluded: Sequence[int] = ()) -> None:
        snapshot = dict(totals)
        history.append(snapshot)
        stages.append(
            Stage(
                len(stages) + 1,
                description,
                snapshot,
                valid * UNIT - sum(snapshot.values()),
                tuple(newly_elected),
                tuple(newly_excluded),
            )
        )

    def elect_reaching_quota() -> list[int]:
        """Rule 47: those continuing who reach the quota are elected, the highest total first."""
        reached = [n for n in continuing if totals[n] >= quota]
        order: list[int] = []
        while reached:
            top = max(totals[n] for n in reached)
            tied = [n for n in reached if totals[n] == top]
            first, _ = (tied[0], "") if len(tied) == 1 else tie(tied, highest=True, what="goes first")
            order.append(first)
            reached.remove(first)
        for n in order:
            continuing.discard(n)
            elected.append(n)
            pending.append(n)
        return order

    def fill_last_seats() -> list[int]:
        """Rule 52: when the continuing candidates are as many as the seats left, they are all elected."""
        left = seats - len(elected)
        if left <= 0 or len(continuing) > left:
            return []
        order = sorted(continuing, key=lambda n: (-totals[n], n))
        for n in order:
            continuing.discard(n)
            elected.append(n)
        return order

    def elected_words(order: Sequence[int]) -> str:
        return "".join(f" {name(n)} elected." for n in order)

    newly = elect_reaching_quota()
    description = f"Stage 1: first preferences counted; the quota is {quota_votes} votes.{elected_words(newly)}"
    record(description, newly)

    while len(elected) < seats:
        last = fill_last_seats()
        if last:
            history.pop()
            stage = stages.pop()
            words = " ".join(name(n) for n in last)
            description = (
                f"{stage.description} The candidates left are as many as the seats left, so they are elected: {words}."
            )
            stages.append(
                Stage(
                    stage.number,
                    description,
                    stage.totals,
                    stage.non_transferable,
                    stage.elected + tuple(last),
                    stage.excluded,
                )
            )
            history.append(dict(stage.totals))
            break
        if not continuing:
            break
        surpluses = [n for n in pending if totals[n] > quota]
        if surpluses:
            # Rule 48 and 49: one surplus a stage, the largest first.
            top = max(totals[n] for n in surpluses)
            tied = [n for n in surpluses if totals[n] == top]
            source, note = (tied[0], "") if len(tied) == 1 else tie(tied, highest=True, what="goes first")
            pending.remove(source)
            surplus = totals[source] - quota
            held = totals[source]
            parcels = piles[source]
            piles[source] = []
            totals[source] = quota
            for parcel in parcels:
                # Rule 48(3): the transfer value, A / B cut to five decimal places, where A is the surplus times
                # the paper's value when received and B the candidate's total. What the cutting drops is lost.
                value = parcel.value * surplus // held
                if value:
                    place(_Parcel(parcel.ranking, parcel.position + 1, parcel.count, value))
            newly = elect_reaching_quota()
            description = (
                f"Stage {len(stages) + 1}: {name(source)}'s surplus of {format_votes(surplus)} votes moved{note}."
                f"{elected_words(newly)}"
            )
            record(description, newly)
            continue
        pending.clear()
        # Rule 50 and 51: exclude the candidate with the fewest votes; their papers move at their values.
        low = min(totals[n] for n in continuing)
        tied = [n for n in continuing if totals[n] == low]
        out, note = (tied[0], "") if len(tied) == 1 else tie(tied, highest=False, what="is excluded")
        continuing.discard(out)
        excluded.append(out)
        parcels = piles[out]
        piles[out] = []
        held = totals[out]
        totals[out] = 0
        for parcel in parcels:
            parcel.position += 1
            place(parcel)
        newly = elect_reaching_quota()
        description = (
            f"Stage {len(stages) + 1}: {name(out)} excluded with {format_votes(held)} votes{note}; "
            f"their papers moved.{elected_words(newly)}"
        )
        record(description, newly, (out,))

    return StvResult(tuple(elected), quota_votes, valid, tuple(stages), seed, lots)
