"""The tallies of a decision, for every method the decisions capability offers: consent, yes/no/abstain with a
threshold, scores, dots, a time poll, ranked choice (instant runoff or Schulze) and several seats by STV.

Pure functions on plain dataclasses, no database: the decisions app turns its answers into :class:`Answer`
values, calls :func:`count`, and stores :meth:`DecisionResult.to_json` on the decision. Members and staff are
always counted side by side, with a quorum for each; with a double majority a yes/no proposal passes only when
both groups, counted separately, pass the threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coproduce.methods.blt import Ballot, Election
from coproduce.methods.ranked import irv, schulze
from coproduce.methods.stv import stv

__all__ = [
    "GROUPS",
    "METHODS",
    "Answer",
    "DecisionResult",
    "GroupTally",
    "count",
    "quorum_met",
    "threshold_passed",
]

METHODS = ("consent", "yes_no", "score", "dot", "time_poll", "ranked_irv", "ranked_schulze", "stv")
POSITIONS: dict[str, tuple[str, ...]] = {
    "consent": ("agree", "abstain", "disagree", "block"),
    "yes_no": ("yes", "no", "abstain"),
}
GROUPS = ("members", "staff", "everyone")
_GROUP_OF = {"member": "members", "staff": "staff"}
_GROUP_WORDS = {"members": "Members", "staff": "Staff", "everyone": "Everyone"}
YES, IF_NEED_BE = 2, 1  # a time poll's values: 0 no, 1 if need be, 2 yes


@dataclass(frozen=True)
class Answer:
    """One person's answer. ``group`` is "member" or "staff" (or "other" for a ballot imported from a file,
    counted among everyone only); ``position`` is consent's or yes/no's position ("" for the other methods);
    ``values`` maps an option's id to its score, dots, availability (0 no, 1 if need be, 2 yes) or rank (1
    first)."""

    group: str
    position: str = ""
    values: Mapping[int, int] = field(default_factory=dict)


@dataclass
class GroupTally:
    """What one group (members, staff, or everyone) did."""

    eligible: int
    taking_part: int
    quorum_percent: int
    quorum_met: bool
    positions: dict[str, int] = field(default_factory=dict)  # consent and yes/no
    options: dict[int, int] = field(default_factory=dict)  # totals; time poll: "yes"; ranked: first preferences
    if_need_be: dict[int, int] = field(default_factory=dict)  # time poll only
    passed: bool | None = None  # consent and yes/no: whether this group, on its own, would pass it


@dataclass
class DecisionResult:
    """The result of a count: per group, whether it passed, the winning options, and the count in words."""

    method: str
    groups: dict[str, GroupTally]
    quorum_met: bool
    passed: bool
    winners: list[int]
    lines: list[str]
    stages: list[str] = field(default_factory=list)
    quota: str | None = None  # STV, in votes
    double_majority: bool = False
    lots: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (option ids become strings as JSON keys must)."""
        return {
            "method": self.method,
            "groups": {
                name: {
                    "eligible": g.eligible,
                    "taking_part": g.taking_part,
                    "quorum_percent": g.quorum_percent,
                    "quorum_met": g.quorum_met,
                    "positions": dict(g.positions),
                    "options": {str(k): v for k, v in g.options.items()},
                    "if_need_be": {str(k): v for k, v in g.if_need_be.items()},
                    "passed": g.passed,
                }
                for name, g in self.groups.items()
            },
            "quorum_met": self.quorum_met,
            "passed": self.passed,
            "winners": list(self.winners),
            "lines": list(self.lines),
            "stages": list(self.stages),
            "quota": self.quota,
            "double_majority": self.double_majority,
            "lots": self.lots,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DecisionResult:
        """The result :meth:`to_json` wrote."""
        groups = {
            name: GroupTally(
                eligible=g["eligible"],
                taking_part=g["taking_part"],
                quorum_percent=g["quorum_percent"],
                quorum_met=g["quorum_met"],
                positions=dict(g["positions"]),
                options={int(k): v for k, v in g["options"].items()},
                if_need_be={int(k): v for k, v in g["if_need_be"].items()},
                passed=g["passed"],
            )
            for name, g in data["groups"].items()
        }
        return cls(
            method=data["method"],
            groups=groups,
            quorum_met=data["quorum_met"],
            passed=data["passed"],
            winners=[int(w) for w in data["winners"]],
            lines=list(data["lines"]),
            stages=list(data["stages"]),
            quota=data["quota"],
            double_majority=data["double_majority"],
            lots=data["lots"],
        )


def quorum_met(taking_part: int, eligible: int, percent: int) -> bool:
    """At least ``percent`` % of the ``eligible`` took part (exact: no rounding). No quorum (0) is always met,
    and so is a quorum of a group with no one in it."""
    return percent == 0 or eligible == 0 or taking_part * 100 >= percent * eligible


def threshold_passed(yes: int, no: int, percent: int) -> bool:
    """Yes is more than ``percent`` % of yes and no together (abstentions left out); a threshold of 100 means
    everyone who said yes or no said yes. With no yes and no no, nothing passes."""
    if yes + no == 0:
        return False
    if percent >= 100:
        return no == 0
    return yes * 100 > percent * (yes + no)


def _check(method: str, answers: Sequence[Answer], options: Sequence[int], settings: Mapping[str, int | None]) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}.")
    if len(set(options)) != len(options):
        raise ValueError("an option is listed twice.")
    known = set(options)
    allowed = POSITIONS.get(method)
    for answer in answers:
        if answer.group not in ("member", "staff", "other"):
            raise ValueError(f"unknown group {answer.group!r}.")
        if allowed is not None and answer.position not in allowed:
            raise ValueError(f"{answer.position!r} is not an answer to a {method} decision.")
        if allowed is None and answer.position:
            raise ValueError(f"a {method} decision takes no position.")
        if any(v < 0 for v in answer.values.values()):
            raise ValueError("a value is negative.")
        _check_values(method, answer, known, settings)


def _check_values(method: str, answer: Answer, known: set[int], settings: Mapping[str, int | None]) -> None:
    values = {k: v for k, v in answer.values.items() if k in known}  # a withdrawn option's values are left out
    if method == "score":
        top = settings["max_score"] or 0
        if any(v > top for v in values.values()):
            raise ValueError(f"a score is above the most, {top}.")
    elif method == "dot":
        budget = settings["dots"] or 0
        if sum(values.values()) > budget:
            raise ValueError(f"more than {budget} dots are spread.")
    elif method == "time_poll":
        if any(v > YES for v in values.values()):
            raise ValueError("a time poll answer is 0 (no), 1 (if need be) or 2 (yes).")
    elif method in ("ranked_irv", "ranked_schulze", "stv"):
        ranks = [v for v in answer.values.values() if v]
        if len(set(ranks)) != len(ranks):
            raise ValueError("two options share a rank.")


def count(
    method: str,
    answers: Sequence[Answer],
    *,
    options: Sequence[int],
    threshold_percent: int | None = None,
    max_score: int | None = None,
    dots: int | None = None,
    seats: int | None = None,
    eligible_members: int = 0,
    eligible_staff: int = 0,
    quorum_members_percent: int = 0,
    quorum_staff_percent: int = 0,
    double_majority: bool = False,
    seed: int = 0,
    labels: Mapping[int, str] | None = None,
) -> DecisionResult:
    """Count ``answers`` to a decision by ``method``. ``options`` are the option ids still standing (a value
    for any other option is left out); ``labels`` name them in the words of the result (default "option
    <id>"). Raises ``ValueError`` for answers the method cannot take, and for an STV count with fewer
    candidates than seats."""
    _check(method, answers, options, {"max_score": max_score, "dots": dots})
    if method == "yes_no" and threshold_percent is None:
        raise ValueError("a yes/no decision needs a threshold.")
    if method == "stv" and (seats is None or seats < 1):
        raise ValueError("an STV count needs at least one seat.")
    if method == "stv" and seats is not None and len(options) < seats:
        raise ValueError(f"there are {len(options)} candidates for {seats} seats: there must be at least as many.")
    names = {o: (labels or {}).get(o, f"option {o}") for o in options}
    by_group: dict[str, list[Answer]] = {"members": [], "staff": [], "everyone": list(answers)}
    for answer in answers:
        if answer.group in _GROUP_OF:
            by_group[_GROUP_OF[answer.group]].append(answer)
    eligible = {
        "members": eligible_members,
        "staff": eligible_staff,
        "everyone": eligible_members + eligible_staff,
    }
    quorum = {"members": quorum_members_percent, "staff": quorum_staff_percent, "everyone": 0}
    groups = {
        name: _tally(method, by_group[name], options, eligible[name], quorum[name], threshold_percent)
        for name in GROUPS
    }
    quorum_ok = groups["members"].quorum_met and groups["staff"].quorum_met
    result = DecisionResult(method, groups, quorum_ok, False, [], [], double_majority=double_majority)
    if method in ("consent", "yes_no"):
        _decide_position(result, threshold_percent)
    elif method in ("score", "dot"):
        _decide_totals(result, groups["everyone"].options, names)
    elif method == "time_poll":
        _decide_time(result, groups["everyone"], names)
    else:
        _decide_ranked(result, answers, options, names, seats, seed)
    result.lines[:0] = _group_lines(result, names)
    return result


def _tally(
    method: str, answers: list[Answer], options: Sequence[int], eligible: int, quorum: int, threshold: int | None
) -> GroupTally:
    tally = GroupTally(eligible, len(answers), quorum, quorum_met(len(answers), eligible, quorum))
    if method in POSITIONS:
        counted = Counter(a.position for a in answers)
        tally.positions = {p: counted.get(p, 0) for p in POSITIONS[method]}
        if method == "consent":
            tally.passed = tally.positions["block"] == 0
        else:
            tally.passed = threshold_passed(tally.positions["yes"], tally.positions["no"], threshold or 0)
        return tally
    tally.options = dict.fromkeys(options, 0)
    if method in ("score", "dot"):
        for a in answers:
            for option in options:
                tally.options[option] += a.values.get(option, 0)
    elif method == "time_poll":
        tally.if_need_be = dict.fromkeys(options, 0)
        for a in answers:
            for option in options:
                value = a.values.get(option, 0)
                if value == YES:
                    tally.options[option] += 1
                elif value == IF_NEED_BE:
                    tally.if_need_be[option] += 1
    else:
        for a in answers:
            ranking = _ranking(a, options)
            if ranking:
                tally.options[ranking[0]] += 1
    return tally


def _ranking(answer: Answer, options: Sequence[int]) -> list[int]:
    """The options still standing that ``answer`` ranked, best first (a rank of 0 means not ranked)."""
    standing = set(options)
    return [o for o, rank in sorted(answer.values.items(), key=lambda item: item[1]) if rank and o in standing]


def _decide_position(result: DecisionResult, threshold: int | None) -> None:
    groups = result.groups
    if result.method == "consent":
        blocks = groups["everyone"].positions["block"]
        result.passed = result.quorum_met and blocks == 0
        if blocks:
            result.lines.append(f"It does not go ahead: {_plural(blocks, 'block')}.")
        elif not result.quorum_met:
            result.lines.append("It does not go ahead: not enough people took part (the quorum was not met).")
        else:
            result.lines.append("It goes ahead: no one blocked it.")
        return
    if result.double_majority:
        both = bool(groups["members"].passed) and bool(groups["staff"].passed)
        result.passed = result.quorum_met and both
        verdict = "passed" if result.passed else "did not pass"
        rule = f"members and staff each needed more than {threshold}% yes (of yes and no)"
        if threshold == 100:
            rule = "members and staff each needed everyone who voted yes or no to say yes"
        result.lines.append(f"It {verdict}: {rule}.")
        for name in ("members", "staff"):
            said = "passed it" if groups[name].passed else "did not pass it"
            result.lines.append(f"{_GROUP_WORDS[name]} {said}.")
    else:
        result.passed = result.quorum_met and bool(groups["everyone"].passed)
        verdict = "passed" if result.passed else "did not pass"
        rule = f"it needed more than {threshold}% yes (of yes and no)"
        if threshold == 100:
            rule = "it needed everyone who voted yes or no to say yes"
        result.lines.append(f"It {verdict}: {rule}.")
    if not result.quorum_met:
        result.lines.append("Not enough people took part: the quorum was not met.")


def _decide_totals(result: DecisionResult, totals: Mapping[int, int], names: Mapping[int, str]) -> None:
    unit = "points" if result.method == "score" else "dots"
    best = max(totals.values(), default=0)
    result.winners = [o for o, total in totals.items() if total == best and best > 0]
    result.passed = result.quorum_met and bool(result.winners)
    for option, total in sorted(totals.items(), key=lambda item: -item[1]):
        result.lines.append(f"{names[option]}: {total} {unit}.")
    _winner_line(result, names)


def _decide_time(result: DecisionResult, everyone: GroupTally, names: Mapping[int, str]) -> None:
    def key(option: int) -> tuple[int, int]:
        return (everyone.options[option], everyone.if_need_be[option])

    best = max((key(o) for o in everyone.options), default=(0, 0))
    result.winners = [o for o in everyone.options if key(o) == best and best != (0, 0)]
    result.passed = result.quorum_met and bool(result.winners)
    for option in sorted(everyone.options, key=lambda o: (-key(o)[0], -key(o)[1])):
        yes, maybe = key(option)
        result.lines.append(f"{names[option]}: {yes} can come, {maybe} can come if need be.")
    _winner_line(result, names)


def _winner_line(result: DecisionResult, names: Mapping[int, str]) -> None:
    if not result.winners:
        result.lines.append("No option was chosen.")
    elif len(result.winners) == 1:
        result.lines.append(f"Chosen: {names[result.winners[0]]}.")
    else:
        result.lines.append(f"Equal first: {', '.join(names[w] for w in result.winners)}.")
    if not result.quorum_met:
        result.lines.append("Not enough people took part: the quorum was not met.")


def _decide_ranked(
    result: DecisionResult,
    answers: Sequence[Answer],
    options: Sequence[int],
    names: Mapping[int, str],
    seats: int | None,
    seed: int,
) -> None:
    number = {option: i for i, option in enumerate(options, start=1)}
    papers = Counter(tuple(number[o] for o in _ranking(a, options)) for a in answers)
    ballots = tuple(Ballot(weight, ranking) for ranking, weight in sorted(papers.items()) if ranking)
    election = Election(tuple(names[o] for o in options), seats or 1, ballots)
    if result.method == "stv":
        counted = stv(election, seats=seats, seed=seed)
        result.winners = [options[n - 1] for n in counted.elected]
        result.stages = [stage.description for stage in counted.stages]
        result.quota = str(counted.quota)
        result.lots = counted.lots
        words = ", ".join(names[w] for w in result.winners)
        result.lines.append(f"Elected, in order: {words}." if words else "No one was elected.")
        result.lines.append(f"The quota was {result.quota} votes, from {counted.valid} valid papers.")
    elif not ballots:
        result.lines.append("No one ranked any option.")
    elif result.method == "ranked_irv":
        runoff = irv(election, seed=seed)
        result.winners = [options[runoff.winner - 1]] if runoff.winner else []
        result.stages = [r.description for r in runoff.rounds]
        result.lots = runoff.lots
    else:
        ranked = schulze(election, seed=seed)
        result.winners = [options[ranked.winner - 1]] if ranked.winner else []
        result.stages = _schulze_words(ranked.ranking, ranked.tied_winners, election)
        result.lots = ranked.lots
    result.passed = result.quorum_met and bool(result.winners)
    if result.method != "stv" and result.winners:
        result.lines.append(f"Chosen: {names[result.winners[0]]}.")
    if not result.quorum_met:
        result.lines.append("Not enough people took part: the quorum was not met.")


def _schulze_words(ranking: Sequence[int], tied: Sequence[int], election: Election) -> list[str]:
    order = ", ".join(election.name(n) for n in ranking)
    words = [f"Compared in pairs, the order is: {order}."]
    if len(tied) > 1:
        listed = ", ".join(election.name(n) for n in tied)
        words.append(f"No one beats {listed}; the winner among them was chosen by lot.")
    return words


def _group_lines(result: DecisionResult, names: Mapping[int, str]) -> list[str]:
    lines = []
    for name in ("members", "staff"):
        g = result.groups[name]
        if g.eligible == 0 and g.taking_part == 0:
            continue
        took = f"{_GROUP_WORDS[name]}: {g.taking_part} of {g.eligible} took part"
        if g.quorum_percent:
            met = "met" if g.quorum_met else "not met"
            took += f" (quorum {g.quorum_percent}%: {met})"
        if g.positions:
            took += ". " + ", ".join(f"{p.capitalize()} {n}" for p, n in g.positions.items())
        lines.append(took + ".")
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
