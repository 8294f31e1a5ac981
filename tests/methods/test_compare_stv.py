"""Our counts against other people's programs (test-only dependencies): votekit and pystv for STV, pref_voting
for instant runoff and Schulze, on the ten real Scottish elections and on made-up ballots.

votekit and pystv count STV nearly as Scottish councils do (Droop quota, weighted inclusive transfers of
surpluses) and agree with us on all ten real elections. They depart from the Scottish rules in two ways that
can change who is elected; ``test_where_votekit_and_pystv_depart_from_the_scottish_rules`` and
``test_where_not_cutting_transfer_values_changes_the_result`` show one case of each, and there the rules win.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyrcv  # the pystv distribution installs the module pyrcv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.iterative_methods import instant_runoff_for_truncated_linear_orders, instant_runoff_put
from pref_voting.margin_based_methods import beat_path
from pref_voting.profiles import Profile
from pref_voting.profiles_with_ties import ProfileWithTies
from votekit import elections as votekit_elections
from votekit.ballot import Ballot as VotekitBallot
from votekit.pref_profile import PreferenceProfile

from coproduce.methods.blt import Ballot, Election, read_blt
from coproduce.methods.ranked import irv, schulze
from coproduce.methods.stv import UNIT, stv

STV = Path(__file__).resolve().parent.parent / "data" / "stv"
FILES = sorted(STV.glob("*.blt"))


def ours(election: Election) -> set[str]:
    return {election.name(n) for n in stv(election).elected}


def by_votekit(election: Election) -> set[str]:
    """votekit's STV (its defaults: Droop quota, fractional transfers, surpluses of all who reach the quota in
    a round moved together)."""
    ballots = tuple(
        VotekitBallot(ranking=tuple(frozenset({election.name(n)}) for n in ballot.ranking), weight=ballot.weight)
        for ballot in election.ballots
        if ballot.ranking and ballot.weight
    )
    count = votekit_elections.STV(PreferenceProfile(ballots=ballots, candidates=election.candidates), m=election.seats)
    return {name for group in count.get_elected() for name in group}


def by_pystv(election: Election) -> set[str]:
    """pystv's count (``run_rcv``, Droop quota ``ADD_ONE_FLOOR``); it settles exclusion ties with numpy's random
    generator, seeded here so a run is repeatable."""
    np.random.seed(0)  # pystv draws from numpy's global generator
    ballots = [ballot for ballot in election.ballots if ballot.ranking and ballot.weight]
    race = pyrcv.RaceData(
        pyrcv.RaceMetadata(race_name="test", num_winners=election.seats, names=list(election.candidates)),
        [list(ballot.ranking) for ballot in ballots],
        [ballot.weight for ballot in ballots],
    )
    result = pyrcv.run_rcv(race)
    return {election.name(int(n)) for count in result.rounds for n in count.elected}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_votekit_and_pystv_elect_the_same_on_every_real_election(path: Path) -> None:
    election = read_blt(path)
    elected = ours(election)
    assert len(elected) == election.seats
    assert by_votekit(election) == elected
    assert by_pystv(election) == elected


def _election(names: str, seats: int, ballots: list[tuple[int, str]]) -> Election:
    return Election(
        tuple(names),
        seats,
        tuple(Ballot(weight, tuple(names.index(c) + 1 for c in ranking)) for weight, ranking in ballots),
    )


def test_where_votekit_and_pystv_depart_from_the_scottish_rules() -> None:
    """Surpluses of candidates elected at the same stage.

    100 papers, 4 seats, quota 21: 40 rank A then C; 30 rank B, C, E; 15 rank C, D; 8 rank D; 7 rank E.
    A (40) and B (30) are elected at stage 1. The Scottish rules move one surplus a stage, the largest first
    (rules 48-49): A's 19 votes go to C, who reaches 34 and is elected at stage 2; C's surplus of 13 goes
    next (5.73525 votes to D); then B's surplus of 9 passes over C, no longer continuing, to E. E has 16, D
    13.73525: D is excluded and E takes the last seat.

    votekit and pystv move A's and B's surpluses together, in one round. B's 9 votes then go to C, still
    continuing when the round began; C, elected with 43, passes them on at 22/43 of their value, so E gets
    only 4.6 of them and ends on 11.6 against D's 15.67. They elect D.
    """
    election = _election("ABCDE", 4, [(40, "AC"), (30, "BCE"), (15, "CD"), (8, "D"), (7, "E")])
    result = stv(election)
    assert result.quota == 21 and result.lots == 0
    descriptions = [stage.description for stage in result.stages]
    assert descriptions[1].startswith("Stage 2: A's surplus of 19.00 votes moved. C elected.")
    assert descriptions[2].startswith("Stage 3: C's surplus of 13.00 votes moved.")
    assert descriptions[3].startswith("Stage 4: B's surplus of 9.00 votes moved.")
    assert (result.stages[3].totals[4], result.stages[3].totals[5]) == (1_373_525, 16 * UNIT)
    assert ours(election) == {"A", "B", "C", "E"}
    assert by_votekit(election) == {"A", "B", "C", "D"}
    assert by_pystv(election) == {"A", "B", "C", "D"}


def test_where_not_cutting_transfer_values_changes_the_result() -> None:
    """Transfer values cut to five decimal places (rule 48(3)).

    46 papers, 3 seats, quota 12: 22 rank D, A, B, C; 18 rank C, D, B, A; 4 rank B; 2 rank D, B. D (24) and C
    (18) are elected at stage 1. D's surplus of 12 moves at 12/24 = 0.5 a paper: A gets 11, B 1 (B: 5).
    C's surplus of 6 moves at 6/18, cut to 0.33333, so B gets 18 x 0.33333 = 5.99994 and has 10.99994
    against A's 11: B is excluded and A elected.

    votekit does not cut the value: B gets exactly 6 and ties A on 11. It settles the tie by first preferences
    (B 4, A none) and elects B.
    """
    election = _election("ABCD", 3, [(2, "DB"), (18, "CDBA"), (4, "B"), (22, "DABC")])
    result = stv(election)
    assert result.quota == 12 and result.lots == 0
    third = result.stages[2].totals
    assert (third[1], third[2]) == (11 * UNIT, 1_099_994)
    assert result.stages[3].excluded == (2,)
    assert ours(election) == {"A", "C", "D"}
    assert by_votekit(election) == {"B", "C", "D"}


# Instant runoff and Schulze against pref_voting.


def _with_ties_profile(election: Election) -> ProfileWithTies:
    """The papers as pref_voting's truncated orders (candidates 0..C-1), ranked candidates above unranked."""
    rankings = [{n - 1: place for place, n in enumerate(ballot.ranking, 1)} for ballot in election.ballots]
    profile = ProfileWithTies(
        rankings,
        rcounts=[ballot.weight for ballot in election.ballots],
        candidates=list(range(len(election.candidates))),
    )
    profile.use_extended_strict_preference()
    return profile


def _numbers(winners: Any) -> set[int]:
    return {int(n) + 1 for n in winners}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_irv_and_schulze_agree_with_pref_voting_on_every_real_election(path: Path) -> None:
    election = read_blt(path)
    profile = _with_ties_profile(election)
    counted = irv(election)
    assert counted.lots == 0
    assert _numbers(instant_runoff_for_truncated_linear_orders(profile)) == {counted.winner}
    assert _numbers(beat_path(profile, strength_function=profile.support)) == set(schulze(election).tied_winners)


@st.composite
def complete_profiles(draw: st.DrawFn) -> Election:
    size = draw(st.integers(2, 5))
    orders = st.permutations(list(range(1, size + 1))).map(tuple)
    ballots = draw(st.lists(st.builds(Ballot, st.integers(1, 9), orders), min_size=1, max_size=12))
    return Election(tuple(f"C{n}" for n in range(1, size + 1)), 1, tuple(ballots))


@settings(max_examples=150, deadline=None)
@given(complete_profiles(), st.integers(0, 3))
def test_irv_and_schulze_agree_with_pref_voting_on_made_up_profiles(election: Election, seed: int) -> None:
    profile = Profile(
        [[n - 1 for n in ballot.ranking] for ballot in election.ballots],
        rcounts=[ballot.weight for ballot in election.ballots],
    )
    # Instant runoff: our winner is one of those pref_voting finds by following every way of settling ties at
    # the bottom (the "parallel universes"); with no tie on the way, the only one.
    counted = irv(election, seed=seed)
    universes = _numbers(instant_runoff_put(profile))
    assert counted.winner in universes
    # Schulze (winning votes): the candidates no one beats are exactly pref_voting's Beat Path winners.
    assert set(schulze(election, seed=seed).tied_winners) == _numbers(
        beat_path(profile, strength_function=profile.support)
    )
