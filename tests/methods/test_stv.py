"""STV by the Scottish rules: the official declarations, exact arithmetic, and properties of any count."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods.blt import Ballot, Election, read_blt
from coproduce.methods.stv import UNIT, droop_quota, format_votes, stv

STV = Path(__file__).resolve().parent.parent / "data" / "stv"


def surname(election: Election, number: int) -> str:
    return next(word for word in election.name(number).split() if word.isupper() and len(word) > 1)


def test_almond_2022_matches_the_declaration() -> None:
    # Declared: quota 2 782; Kevin Lang and Norrie Work elected at stage 1, Louise Young at stage 2, Lewis
    # Younie at stage 8.
    election = read_blt(STV / "edinburgh_2022_ward1.blt")
    result = stv(election)
    assert result.valid == 13_909 and result.quota == 2_782
    assert [surname(election, n) for n in result.elected] == ["LANG", "WORK", "YOUNG", "YOUNIE"]
    elected_at = {surname(election, n): stage.number for stage in result.stages for n in stage.elected}
    assert elected_at == {"LANG": 1, "WORK": 1, "YOUNG": 2, "YOUNIE": 8}
    assert len(result.stages) == 8 and result.lots == 0
    assert result.stages[1].description.startswith("Stage 2: Kevin LANG")
    assert "surplus of 3122.00 votes moved" in result.stages[1].description


def test_torry_ferryhill_2019_matches_the_declaration() -> None:
    # Declared: 3 783 papers, 40 rejected, quota 1 872, Audrey Nicoll elected.
    election = read_blt(STV / "aberdeen_2019_by_election_torry-ferryhill.blt")
    result = stv(election)
    assert result.valid == 3_783 - 40 and result.quota == 1_872
    assert [election.name(n) for n in result.elected] == ["Audrey NICOLL"]


def test_every_stage_accounts_for_every_vote() -> None:
    election = read_blt(STV / "edinburgh_2022_ward1.blt")
    result = stv(election)
    for stage in result.stages:
        assert sum(stage.totals.values()) + stage.non_transferable == result.valid * UNIT
        assert all(isinstance(units, int) for units in stage.totals.values())


def test_transfer_values_are_cut_to_five_decimal_places() -> None:
    # 10 papers, 7 of them A then B.
    ballots = (Ballot(7, (1, 2)), Ballot(1, (2,)), Ballot(1, (3,)), Ballot(1, (4,)))
    result = stv(Election(("A", "B", "C", "D"), 1, ballots))
    assert result.quota == 6  # 10 // 2 + 1
    assert result.elected == (1,)  # one seat: A has a quota at once
    three = Election(("A", "B", "C", "D"), 2, ballots)
    counted = stv(three)
    assert counted.quota == 4  # 10 // 3 + 1
    second = counted.stages[1]
    assert second.totals[2] == UNIT + 7 * 42_857  # surplus 3 of 7: 3/7 = 0.42857 each
    assert format_votes(second.totals[2], 5) == "3.99999"


def test_the_last_seats_go_to_the_continuing_candidates_when_they_equal_the_seats_left() -> None:
    ballots = (Ballot(5, (1,)), Ballot(3, (2,)), Ballot(2, (3,)))
    result = stv(Election(("A", "B", "C"), 2, ballots))
    assert result.quota == 4
    assert result.elected == (1, 2)  # B never reaches the quota: C is excluded and B is the one left
    assert result.stages[-1].elected[-1] == 2


def test_an_exclusion_tie_no_stage_settles_is_a_seeded_lot_reported() -> None:
    ballots = (Ballot(5, (1,)), Ballot(2, (2,)), Ballot(2, (3,)), Ballot(3, (4,)))
    election = Election(("A", "B", "C", "D"), 2, ballots)
    result = stv(election, seed=3)
    assert result.lots == 1
    assert [s.number for s in result.stages if "by lot, seed 3" in s.description] == [2]  # B and C tied at 2
    assert result.stages[-1].excluded  # the stage that also filled the last seat keeps its exclusion
    assert stv(election, seed=3) == result


def test_droop_quota_ignores_fractions() -> None:
    assert droop_quota(13_909, 4) == 2_782
    assert droop_quota(10, 4) == 3
    assert droop_quota(100, 1) == 51


@st.composite
def elections(draw: st.DrawFn) -> Election:
    size = draw(st.integers(min_value=1, max_value=6))
    seats = draw(st.integers(min_value=1, max_value=size))
    rankings = st.permutations(list(range(1, size + 1))).flatmap(
        lambda order: st.integers(min_value=1, max_value=size).map(lambda k: tuple(order[:k]))
    )
    ballots = draw(st.lists(st.builds(Ballot, st.integers(min_value=1, max_value=20), rankings), max_size=15))
    return Election(tuple(f"C{n}" for n in range(1, size + 1)), seats, tuple(ballots))


@settings(max_examples=200, deadline=None)
@given(elections(), st.integers(min_value=0, max_value=3))
def test_the_elected_never_exceed_the_seats_and_are_distinct(election: Election, seed: int) -> None:
    result = stv(election, seed=seed)
    assert len(result.elected) <= election.seats
    assert len(set(result.elected)) == len(result.elected)
    if result.valid:
        assert len(result.elected) == election.seats  # rule 52 always fills the seats


@settings(max_examples=200, deadline=None)
@given(elections())
def test_a_candidate_with_a_quota_of_first_preferences_is_elected(election: Election) -> None:
    result = stv(election)
    first = dict.fromkeys(range(1, len(election.candidates) + 1), 0)
    for ballot in election.ballots:
        if ballot.ranking:
            first[ballot.ranking[0]] += ballot.weight
    for n, votes in first.items():
        if result.valid and votes >= result.quota:
            assert n in result.elected
            assert n in result.stages[0].elected


@settings(max_examples=200, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_the_order_of_ballots_does_not_matter(election: Election, shuffler) -> None:
    ballots = list(election.ballots)
    shuffler.shuffle(ballots)
    shuffled = Election(election.candidates, election.seats, tuple(ballots))
    assert stv(shuffled).elected == stv(election).elected
