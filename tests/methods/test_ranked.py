"""Instant runoff and Schulze on small cases with known winners."""

from __future__ import annotations

from coproduce.methods.blt import Ballot, Election
from coproduce.methods.ranked import irv, schulze


def election(candidates: str, ballots: list[tuple[int, str]], withdrawn: frozenset[int] = frozenset()) -> Election:
    """Candidates as letters; each ballot as (voters, "ACB")."""
    number = {letter: i for i, letter in enumerate(candidates, start=1)}
    return Election(tuple(candidates), 1, tuple(Ballot(w, tuple(number[c] for c in r)) for w, r in ballots), withdrawn)


# The example on the Schulze method's Wikipedia page: 45 voters, winner E, ranking E > A > C > B > D.
WIKIPEDIA = election(
    "ABCDE",
    [(5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"), (7, "CAEBD"), (2, "CBADE"), (7, "DCEBA"), (8, "EBADC")],
)


def test_schulze_wikipedia_example() -> None:
    result = schulze(WIKIPEDIA)
    assert result.winner == 5
    assert result.ranking == (5, 1, 3, 2, 4)
    assert result.pairwise[(1, 2)] == 20 and result.pairwise[(2, 1)] == 25
    assert result.strongest[(5, 4)] == 31 and result.strongest[(1, 2)] == 28
    assert result.lots == 0


def test_schulze_condorcet_winner_wins_and_a_withdrawn_candidate_is_left_out() -> None:
    # B beats A and C head to head though A has the most first preferences.
    ballots = [(4, "ABC"), (3, "BCA"), (2, "CBA")]
    assert schulze(election("ABC", ballots)).winner == 2
    assert schulze(election("ABC", ballots, frozenset({2}))).winner == 3  # C beats A 5 to 4


def test_schulze_a_full_tie_is_settled_by_a_reported_seeded_lot() -> None:
    tie = election("AB", [(1, "AB"), (1, "BA")])
    result = schulze(tie, seed=7)
    assert result.tied_winners == (1, 2) and result.lots == 1
    assert result.winner == schulze(tie, seed=7).winner


def test_irv_transfers_until_a_majority() -> None:
    # Round 1: A 8, B 7, C 5 (of 20); C excluded, C's papers go to B: B 12 wins.
    result = irv(election("ABC", [(8, "A"), (7, "BA"), (5, "CB")]))
    assert result.winner == 2
    assert [r.totals for r in result.rounds] == [{1: 8, 2: 7, 3: 5}, {1: 8, 2: 12}]
    assert "C excluded with 5 votes" in result.rounds[0].description


def test_irv_majority_is_of_papers_still_counting() -> None:
    # C excluded; C's papers rank no one else, so A has 6 of 11 remaining, more than half.
    result = irv(election("ABC", [(6, "A"), (5, "B"), (4, "C")]))
    assert result.winner == 1 and result.rounds[-1].exhausted == 4


def test_irv_an_exclusion_tie_is_settled_by_the_earlier_round() -> None:
    # Round 1: A 5, B 3, C 4, D 2, E 4. D excluded -> B 5. Round 2: A 5, B 5, C 4, E 4: C and E tie; in round 1
    # they were equal too, so lot decides; B and A stay.
    ballots = [(5, "A"), (3, "B"), (4, "C"), (2, "DB"), (4, "E")]
    first = irv(election("ABCDE", ballots), seed=1)
    assert first.lots >= 1 and "by lot" in first.rounds[1].description
    assert irv(election("ABCDE", ballots), seed=1) == first
    # Here round 1 settles it: C had fewer (3) than E (4) there.
    settled = irv(election("ABCDE", [(6, "A"), (3, "C"), (1, "DC"), (4, "E"), (5, "B")]))
    assert "C excluded" in settled.rounds[1].description and settled.lots == 0


def test_irv_with_no_ballots_has_no_winner() -> None:
    assert irv(election("AB", [])).winner is None
