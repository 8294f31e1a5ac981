"""The tallies of a decision: every method, quorum, the double majority, thresholds at the boundary."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.methods.decide import Answer, DecisionResult, count, quorum_met, threshold_passed


def yes_no(members: tuple[int, int, int], staff: tuple[int, int, int]) -> list[Answer]:
    answers = []
    for group, (yes, no, abstain) in (("member", members), ("staff", staff)):
        answers += [Answer(group, "yes")] * yes + [Answer(group, "no")] * no + [Answer(group, "abstain")] * abstain
    return answers


def test_consent_goes_ahead_without_a_block_and_disagreement_does_not_stop_it() -> None:
    answers = [Answer("member", "agree"), Answer("staff", "disagree"), Answer("member", "abstain")]
    result = count("consent", answers, options=[], eligible_members=2, eligible_staff=1)
    assert result.passed
    assert result.groups["everyone"].positions == {"agree": 1, "abstain": 1, "disagree": 1, "block": 0}
    assert result.groups["members"].positions["agree"] == 1 and result.groups["staff"].positions["disagree"] == 1
    assert "It goes ahead: no one blocked it." in result.lines


def test_one_block_stops_consent() -> None:
    answers = [Answer("member", "agree")] * 9 + [Answer("staff", "block")]
    result = count("consent", answers, options=[], eligible_members=9, eligible_staff=1)
    assert not result.passed
    assert "It does not go ahead: 1 block." in result.lines


def test_quorum_is_per_group_and_exact() -> None:
    answers = [Answer("member", "agree")] * 5 + [Answer("staff", "agree")] * 1
    ok = count("consent", answers, options=[], eligible_members=10, eligible_staff=4, quorum_members_percent=50)
    assert ok.passed and ok.groups["members"].quorum_met
    short = count(
        "consent",
        answers,
        options=[],
        eligible_members=10,
        eligible_staff=4,
        quorum_members_percent=50,
        quorum_staff_percent=30,  # 1 of 4 is 25 %
    )
    assert not short.passed and not short.groups["staff"].quorum_met and short.groups["members"].quorum_met
    assert any("quorum 30%: not met" in line for line in short.lines)


def test_quorum_boundaries() -> None:
    assert quorum_met(1, 3, 33) and not quorum_met(1, 3, 34)
    assert quorum_met(0, 0, 100) and quorum_met(0, 5, 0) and not quorum_met(0, 5, 1)


def test_threshold_boundaries() -> None:
    assert not threshold_passed(5, 5, 50) and threshold_passed(6, 5, 50)
    assert threshold_passed(2, 1, 66) and not threshold_passed(2, 1, 67)  # two thirds is 66.67 %
    assert threshold_passed(3, 0, 100) and not threshold_passed(99, 1, 100)
    assert not threshold_passed(0, 0, 50)


def test_yes_no_threshold_ignores_abstentions() -> None:
    result = count("yes_no", yes_no((3, 2, 10), (0, 0, 0)), options=[], threshold_percent=50, eligible_members=15)
    assert result.passed
    assert result.groups["everyone"].positions == {"yes": 3, "no": 2, "abstain": 10}


def test_yes_no_exactly_at_the_threshold_does_not_pass() -> None:
    result = count("yes_no", yes_no((2, 2, 0), (1, 1, 0)), options=[], threshold_percent=50, eligible_members=4)
    assert not result.passed
    assert "It did not pass: it needed more than 50% yes (of yes and no)." in result.lines


def test_double_majority_passes_among_staff_but_not_members() -> None:
    # Overall 8 yes of 14 (57 %) would pass; members alone 3 of 8 do not.
    answers = yes_no((3, 5, 1), (5, 1, 0))
    single = count("yes_no", answers, options=[], threshold_percent=50, eligible_members=9, eligible_staff=6)
    assert single.passed
    double = count(
        "yes_no", answers, options=[], threshold_percent=50, eligible_members=9, eligible_staff=6, double_majority=True
    )
    assert not double.passed
    assert double.groups["staff"].passed is True and double.groups["members"].passed is False
    assert "Members did not pass it." in double.lines and "Staff passed it." in double.lines
    assert double.lines[0] == "Members: 9 of 9 took part. Yes 3, No 5, Abstain 1."


def test_double_majority_passes_when_both_groups_do() -> None:
    answers = yes_no((5, 3, 0), (2, 1, 0))
    result = count(
        "yes_no", answers, options=[], threshold_percent=60, eligible_members=8, eligible_staff=3, double_majority=True
    )
    assert result.passed  # 62.5 % and 66.7 %, both above 60 %


def test_score_highest_total_wins_and_ties_are_shown() -> None:
    answers = [Answer("member", values={1: 5, 2: 3}), Answer("staff", values={1: 0, 2: 4, 3: 1})]
    result = count("score", answers, options=[1, 2, 3], max_score=5, labels={1: "Park", 2: "Library", 3: "Cafe"})
    assert result.winners == [2] and result.groups["everyone"].options == {1: 5, 2: 7, 3: 1}
    assert result.groups["members"].options == {1: 5, 2: 3, 3: 0}
    assert "Chosen: Library." in result.lines
    tied = count("score", [Answer("member", values={1: 2, 2: 2})], options=[1, 2], max_score=5)
    assert tied.winners == [1, 2] and "Equal first: option 1, option 2." in tied.lines


def test_score_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="above the most"):
        count("score", [Answer("member", values={1: 6})], options=[1], max_score=5)


def test_dots_over_the_budget_are_refused_and_at_the_budget_are_counted() -> None:
    with pytest.raises(ValueError, match="more than 5 dots"):
        count("dot", [Answer("member", values={1: 3, 2: 3})], options=[1, 2], dots=5)
    result = count("dot", [Answer("member", values={1: 3, 2: 2})], options=[1, 2], dots=5)
    assert result.winners == [1]


def test_a_withdrawn_option_is_left_out() -> None:
    result = count("score", [Answer("member", values={1: 1, 9: 5})], options=[1], max_score=5)
    assert result.winners == [1] and 9 not in result.groups["everyone"].options


def test_time_poll_most_yes_then_most_if_need_be() -> None:
    answers = [
        Answer("member", values={1: 2, 2: 2, 3: 1}),
        Answer("member", values={1: 1, 2: 2, 3: 2}),
        Answer("staff", values={1: 2, 2: 0, 3: 2}),
    ]
    # yes: 1 -> 2, 2 -> 2, 3 -> 2; if need be: 1 -> 1, 2 -> 0, 3 -> 1: options 1 and 3 are equal first.
    result = count("time_poll", answers, options=[1, 2, 3])
    assert result.winners == [1, 3]
    result = count("time_poll", answers[:2], options=[1, 2, 3])
    assert result.winners == [2]  # two yes, where 1 and 3 have one yes each
    with pytest.raises(ValueError, match="time poll"):
        count("time_poll", [Answer("member", values={1: 3})], options=[1])


def ranks(*order: int, group: str = "member") -> Answer:
    return Answer(group, values={option: rank for rank, option in enumerate(order, start=1)})


def test_irv_transfers_to_a_majority() -> None:
    answers = [ranks(1, 2)] * 4 + [ranks(2, 1)] * 3 + [ranks(3, 2)] * 2
    result = count("ranked_irv", answers, options=[1, 2, 3], labels={1: "A", 2: "B", 3: "C"})
    assert result.winners == [2]  # C's two go to B: 5 of 9
    assert result.stages[0].startswith("Round 1") and len(result.stages) == 2
    assert result.groups["everyone"].options == {1: 4, 2: 3, 3: 2}


def test_schulze_finds_the_condorcet_winner() -> None:
    answers = [ranks(1, 2, 3)] * 4 + [ranks(2, 3, 1)] * 3 + [ranks(3, 2, 1)] * 2
    result = count("ranked_schulze", answers, options=[1, 2, 3])
    assert result.winners == [2]  # B beats A 5-4 and C 7-2


def test_ranked_with_no_ballots_chooses_no_one() -> None:
    result = count("ranked_irv", [], options=[1, 2])
    assert result.winners == [] and not result.passed


def test_stv_elects_two_with_stages_in_words() -> None:
    labels = {11: "Aisha", 12: "Ben", 13: "Cara", 14: "Dev"}
    answers = (
        [ranks(11, 12)] * 6 + [ranks(12, 13)] * 2 + [ranks(13, 11)] * 2 + [ranks(14, 13)] * 1 + [ranks(12, 14)] * 1
    )
    result = count("stv", answers, options=[11, 12, 13, 14], seats=2, labels=labels)
    assert result.quota == "5"  # 12 // 3 + 1
    assert result.winners[0] == 11 and len(result.winners) == 2
    assert result.stages[0].startswith("Stage 1: first preferences counted; the quota is 5 votes.")
    assert len(result.stages) >= 2
    assert result.lines[-2].startswith("Elected, in order: Aisha,")


def test_stv_with_fewer_candidates_than_seats_is_refused() -> None:
    with pytest.raises(ValueError, match="2 candidates for 3 seats"):
        count("stv", [ranks(1, 2)], options=[1, 2], seats=3)


def test_two_options_with_one_rank_are_refused() -> None:
    with pytest.raises(ValueError, match="share a rank"):
        count("stv", [Answer("member", values={1: 1, 2: 1})], options=[1, 2], seats=1)


def test_positions_must_fit_the_method() -> None:
    with pytest.raises(ValueError, match="not an answer"):
        count("consent", [Answer("member", "yes")], options=[])
    with pytest.raises(ValueError, match="unknown method"):
        count("lottery", [], options=[])
    with pytest.raises(ValueError, match="needs a threshold"):
        count("yes_no", [], options=[])


def test_the_result_survives_json() -> None:
    answers = [ranks(11, 12)] * 3 + [ranks(12, 11, group="staff")] * 2
    result = count("stv", answers, options=[11, 12], seats=1, eligible_members=3, eligible_staff=2)
    stored = json.loads(json.dumps(result.to_json()))
    assert DecisionResult.from_json(stored) == result


positions = st.sampled_from(["yes", "no", "abstain"])
groups = st.sampled_from(["member", "staff"])


@given(st.lists(st.tuples(groups, positions), max_size=40), st.integers(50, 100), st.booleans())
def test_yes_no_passes_exactly_by_the_rule(votes: list[tuple[str, str]], threshold: int, double: bool) -> None:
    answers = [Answer(g, p) for g, p in votes]
    result = count(
        "yes_no",
        answers,
        options=[],
        threshold_percent=threshold,
        eligible_members=40,
        eligible_staff=40,
        double_majority=double,
    )

    def passes(of: list[Answer]) -> bool:
        yes = sum(a.position == "yes" for a in of)
        no = sum(a.position == "no" for a in of)
        return yes + no > 0 and (yes * 100 > threshold * (yes + no) or (threshold == 100 and no == 0))

    if double:
        expected = passes([a for a in answers if a.group == "member"]) and passes(
            [a for a in answers if a.group == "staff"]
        )
    else:
        expected = passes(answers)
    assert result.passed == expected
    # A double majority never passes what a single count would not, when the two groups agree on the way.
    if double and result.passed:
        assert result.groups["members"].passed and result.groups["staff"].passed


score_answers = st.lists(
    st.tuples(groups, st.dictionaries(st.integers(1, 4), st.integers(0, 5), max_size=4)), max_size=30
)


@given(score_answers, st.randoms())
def test_score_order_of_answers_does_not_matter_and_winners_hold_the_top(
    raw: list[tuple[str, dict[int, int]]], rnd: object
) -> None:
    answers = [Answer(g, values=v) for g, v in raw]
    result = count("score", answers, options=[1, 2, 3, 4], max_score=5)
    shuffled = list(answers)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert count("score", shuffled, options=[1, 2, 3, 4], max_score=5) == result
    totals = result.groups["everyone"].options
    for option in result.winners:
        assert totals[option] == max(totals.values())
    assert totals == {o: result.groups["members"].options[o] + result.groups["staff"].options[o] for o in (1, 2, 3, 4)}


ballots = st.lists(
    st.tuples(groups, st.permutations([1, 2, 3, 4, 5]), st.integers(1, 5)).map(
        lambda t: ranks(*t[1][: t[2]], group=t[0])
    ),
    min_size=1,
    max_size=40,
)


@given(ballots, st.integers(1, 3))
def test_stv_never_elects_more_than_the_seats_and_a_quota_of_firsts_is_elected(
    answers: list[Answer], seats: int
) -> None:
    result = count("stv", answers, options=[1, 2, 3, 4, 5], seats=seats)
    assert len(result.winners) <= seats and len(set(result.winners)) == len(result.winners)
    quota = len(answers) // (seats + 1) + 1
    firsts = result.groups["everyone"].options
    for option, n in firsts.items():
        if n >= quota:
            assert option in result.winners


@given(st.lists(st.tuples(groups, st.sampled_from(["agree", "abstain", "disagree", "block"])), max_size=30))
def test_consent_passes_exactly_when_no_one_blocks(votes: list[tuple[str, str]]) -> None:
    result = count("consent", [Answer(g, p) for g, p in votes], options=[])
    assert result.passed == all(p != "block" for _, p in votes)
