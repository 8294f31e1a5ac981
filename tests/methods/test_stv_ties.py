"""Ties in an STV count, settled as the Scottish Local Government Elections Order 2007, Schedule 1, says.

Rule 49 (transfer of ballot papers, supplementary provisions):

    "(2) If the surpluses determined in respect of two or more candidates are equal, the transferable papers of
    the candidate who had the highest number of votes at the end of the most recent preceding stage at which
    they had unequal numbers of votes shall be transferred first.
    (3) If the numbers of votes credited to two or more candidates were equal at all stages of the count, the
    returning officer shall decide, by lot, which candidate's transferable papers are to be transferred first."

Rule 51 (exclusion of candidates, supplementary provisions):

    "(2) Where this paragraph applies- (a) regard shall be had to the total number of votes credited to those
    candidates at the end of the most recently preceding stage of the count at which they had an unequal number
    of votes and the candidate with the lowest number of votes at that stage shall be excluded; and (b) where
    the number of votes credited to those candidates was equal at all stages, the returning officer shall
    decide, by lot, which of those candidates is to be excluded."
"""

from __future__ import annotations

from coproduce.methods.blt import Ballot, Election
from coproduce.methods.stv import UNIT, stv


def test_equal_surpluses_go_in_the_order_of_the_most_recent_stage_at_which_they_differed() -> None:
    # Quota 4. Stage 1: A 8 (elected), B 3, C 2. A's surplus of 4 at 0.5 a paper gives B 1.5 and C 2.5: both
    # have 4.5 at stage 2 and are elected with equal surpluses. At stage 1 B had more, so rule 49(2) moves B's
    # surplus first, and B is named first among those elected at stage 2. No lot is drawn.
    ballots = (
        Ballot(3, (1, 2)),
        Ballot(5, (1, 3)),
        Ballot(3, (2, 5)),
        Ballot(2, (3, 6)),
        Ballot(1, (4,)),
        Ballot(1, (5,)),
        Ballot(1, (6,)),
    )
    result = stv(Election(("A", "B", "C", "D", "E", "F"), 4, ballots))
    assert result.quota == 4 and result.lots == 0
    second, third, fourth = result.stages[1:4]
    assert second.elected == (2, 3) and second.totals[2] == second.totals[3] == 4 * UNIT + UNIT // 2
    assert third.description.startswith("Stage 3: B's surplus of 0.50 votes moved")
    assert fourth.description.startswith("Stage 4: C's surplus of 0.50 votes moved")
    assert result.elected == (1, 2, 3, 5)


def test_an_exclusion_tie_goes_to_the_most_recent_stage_at_which_they_differed_not_the_first() -> None:
    # Quota 6, two seats. D and E have 3 votes each after stage 4 and one must be excluded. At stage 2 (the
    # most recent stage at which they differed) D had 2 and E 3, so D is excluded and E elected, by rule 51(2).
    # A rule that looked at the first stage instead (as Ireland's does) would exclude E: there D had 2, E 1.
    ballots = (
        Ballot(5, (1, 5)),
        Ballot(5, (1,)),
        Ballot(2, (2,)),
        Ballot(1, (3, 4)),
        Ballot(2, (4,)),
        Ballot(1, (5,)),
    )
    result = stv(Election(("A", "B", "C", "D", "E"), 2, ballots))
    assert result.quota == 6 and result.lots == 0
    first, second = result.stages[0], result.stages[1]
    assert (first.totals[4], first.totals[5]) == (2 * UNIT, 1 * UNIT)
    assert (second.totals[4], second.totals[5]) == (2 * UNIT, 3 * UNIT)
    tied = result.stages[3].totals
    assert tied[4] == tied[5] == 3 * UNIT
    assert result.stages[4].excluded == (4,)
    assert result.elected == (1, 5)


def test_a_tie_equal_at_every_stage_is_settled_by_lot_and_the_seed_decides() -> None:
    # Rule 51(2)(b): B and C have 2 votes at every stage; one is excluded by lot.
    ballots = (Ballot(5, (1,)), Ballot(2, (2, 4)), Ballot(2, (3, 4)), Ballot(4, (4,)))
    election = Election(("A", "B", "C", "D"), 2, ballots)
    excluded = {stv(election, seed=seed).stages[1].excluded for seed in range(20)}
    assert excluded == {(2,), (3,)}  # both outcomes happen, each seed always the same
    assert all(stv(election, seed=seed).lots == 1 for seed in range(3))
