"""Reading and writing BLT files: plain data, a round trip, and one clear error for each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from coproduce.methods.blt import Ballot, BltError, Election, parse_blt, read_blt, write_blt

STV = Path(__file__).resolve().parent.parent / "data" / "stv"


def test_a_real_file_is_read_into_plain_data() -> None:
    election = read_blt(STV / "edinburgh_2022_ward1.blt")
    assert len(election.candidates) == 9 and election.seats == 4
    assert sum(ballot.weight for ballot in election.ballots) == 13_909
    assert election.candidates[5] == 'Kevin LANG "Scottish Liberal Democrats"'  # CSV quotes undone
    assert election.title == "Ward 1 - Almond"
    assert election.withdrawn == frozenset()


def test_withdrawn_candidates_names_and_title() -> None:
    text = '3 1\n-2\n4 1 2 3 0\n2 3 0\n0\nAnn\n"Bob ""B"" Brown"\nCat\n"A title"\n'
    election = parse_blt(text)
    assert election == Election(
        ("Ann", 'Bob "B" Brown', "Cat"), 1, (Ballot(4, (1, 2, 3)), Ballot(2, (3,))), frozenset({2}), "A title"
    )


@pytest.mark.parametrize("name", ["edinburgh_2022_ward1.blt", "aberdeen_2019_by_election_torry-ferryhill.blt"])
def test_writing_and_reading_back_gives_the_same_election(name: str) -> None:
    election = read_blt(STV / name)
    assert parse_blt(write_blt(election)) == election


def test_a_round_trip_keeps_withdrawn_candidates_and_quotes() -> None:
    election = Election(('He said "no"', "B"), 1, (Ballot(3, (2, 1)),), frozenset({1}), "")
    assert parse_blt(write_blt(election)) == election


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 0, "empty"),
        ("\n\n", 0, "empty"),
        ("3\n0\nA\nB\nC\n", 1, "two numbers"),
        ("x 1\n0\nA\n", 1, "not a whole number"),
        ("0 1\n0\n", 1, "number of candidates"),
        ("2 3\n0\nA\nB\n", 1, "number of seats"),
        ("2 0\n0\nA\nB\n", 1, "number of seats"),
        ("2 1\n1 1 0\n0\nA\n", 4, "expected 2 candidate names"),
        ("2 1\n1 1 0\n0\nA\nB\nT\nextra\n", 7, "unexpected line"),
        ("2 1\n1 3 0\n0\nA\nB\n", 2, "no candidate 3"),
        ("2 1\n1 1 1 0\n0\nA\nB\n", 2, "ranked twice"),
        ("2 1\n1 1 2\n0\nA\nB\n", 2, "must end with 0"),
        ("2 1\n1 1 0\n", 2, "do not end with a line holding only 0"),
        ("2 1\nabc 1 0\n0\nA\nB\n", 2, "weight 'abc'"),
        ("2 1\n1.5 1 0\n0\nA\nB\n", 2, "weight '1.5'"),
        ("2 1\n-3\n1 1 0\n0\nA\nB\n", 2, "no candidate 3 to withdraw"),
        ("2 1\n1 1=2 0\n0\nA\nB\n", 2, "equal rankings"),
    ],
)
def test_bad_input_raises_one_error_naming_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(BltError) as caught:
        parse_blt(text, name="x.blt")
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"x.blt: line {line}: " if line else "x.blt: ")
