"""PrefLib .soi files: read, written, read back the same, to and from BLT; one clear error for each bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods.blt import Ballot, Election, parse_blt, read_blt, write_blt
from coproduce.methods.preflib import MAX_COUNT, PreflibError, read_soi, write_soi

STV = Path(__file__).resolve().parent.parent / "data" / "stv"

SMALL = """# FILE NAME: small.soi
# TITLE: Parent board members
# DATA TYPE: soi
# NUMBER ALTERNATIVES: 3
# NUMBER VOTERS: 7
# NUMBER UNIQUE ORDERS: 3
# ALTERNATIVE NAME 1: Aisha Khan
# ALTERNATIVE NAME 2: Danielle: a parent
# ALTERNATIVE NAME 3: Tom
# NUMBER SEATS: 2
4: 1,3
2: 2
1: 3,2,1
"""


def test_a_file_is_read_into_the_same_election_blt_gives() -> None:
    election = read_soi(SMALL)
    assert election == Election(
        ("Aisha Khan", "Danielle: a parent", "Tom"),
        2,
        (Ballot(4, (1, 3)), Ballot(2, (2,)), Ballot(1, (3, 2, 1))),
        title="Parent board members",
    )
    assert parse_blt(write_blt(election)) == election


def test_seats_come_from_the_argument_then_the_file_then_one() -> None:
    assert read_soi(SMALL, seats=1).seats == 1
    without = SMALL.replace("# NUMBER SEATS: 2\n", "")
    assert read_soi(without).seats == 1


@pytest.mark.parametrize("path", sorted(STV.glob("*.blt")), ids=lambda path: path.stem)
def test_every_real_election_goes_blt_to_soi_and_back(path: Path) -> None:
    election = read_blt(path)
    text = write_soi(election, file_name=path.stem + ".soi")
    assert read_soi(text) == election
    assert parse_blt(write_blt(read_soi(text))) == election
    assert f"# NUMBER VOTERS: {sum(b.weight for b in election.ballots)}" in text


def test_withdrawn_candidates_cannot_be_written() -> None:
    election = Election(("A", "B"), 1, (Ballot(1, (1,)),), withdrawn=frozenset({2}))
    with pytest.raises(PreflibError, match="withdrew"):
        write_soi(election)


HEAD = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 0, "empty"),
        ("\n  \n", 0, "empty"),
        ("# ALTERNATIVE NAME 1: A\n1: 1\n", 0, "NUMBER ALTERNATIVES"),
        ("# NUMBER ALTERNATIVES: two\n", 1, "not a whole number"),
        ("# NUMBER ALTERNATIVES: 0\n", 1, "at least one"),
        ("# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n", 1, "alternative 2 has no"),
        (HEAD + "# ALTERNATIVE NAME 3: C\n", 5, "3 is named but there are 2"),
        (HEAD + "# ALTERNATIVE NAME 2: C\n", 5, "named twice"),
        (HEAD + "# NUMBER ALTERNATIVES: 2\n", 5, "given twice"),
        (HEAD.replace("soi", "toc"), 1, "not 'soi'"),
        (HEAD + "1: 1,3\n", 5, "no alternative 3"),
        (HEAD + "1: 1,1\n", 5, "ranked twice"),
        (HEAD + "1: 1,x\n", 5, "not a whole number"),
        (HEAD + "1: {1,2}\n", 5, "equal rankings"),
        (HEAD + "1 1,2\n", 5, "count: a,b"),
        (HEAD + "one: 1,2\n", 5, "the count 'one' is not a whole number"),
        (HEAD + "-1: 1,2\n", 5, "not a whole number"),
        (HEAD + "1.5: 1,2\n", 5, "not a whole number"),
        (HEAD + "\u0661: 1\n", 5, "not a whole number"),  # an Arabic-Indic digit one
        (HEAD + f"{MAX_COUNT + 1}: 1\n", 5, "more than"),
        (HEAD + "9" * 5000 + ": 1\n", 5, "more than"),
        (HEAD + "# NUMBER VOTERS: 3\n1: 1\n", 5, "NUMBER VOTERS is 3 but the order lines count 1"),
        (HEAD + "# NUMBER UNIQUE ORDERS: 2\n1: 1\n4: 1\n", 5, "NUMBER UNIQUE ORDERS is 2 but there are 1"),
        (HEAD + "# NUMBER SEATS: 3\n", 5, "between 1 and 2"),
    ],
)
def test_bad_input_raises_one_error_naming_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(PreflibError) as caught:
        read_soi(text, name="x.soi")
    error = caught.value
    assert error.line == line and words in error.reason
    assert str(error).startswith("x.soi: " + (f"line {line}: " if line else ""))
    assert "\n" not in str(error)


def test_seats_asked_for_must_fit_the_candidates() -> None:
    with pytest.raises(PreflibError, match="between 1 and 3"):
        read_soi(SMALL, seats=4)


_name = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), min_size=1, max_size=12)


@st.composite
def elections(draw: st.DrawFn) -> Election:
    size = draw(st.integers(1, 6))
    names = tuple(draw(st.lists(_name, min_size=size, max_size=size)))
    rankings = st.permutations(list(range(1, size + 1))).flatmap(
        lambda order: st.integers(0, size).map(lambda k: tuple(order[:k]))
    )
    ballots = draw(st.lists(st.builds(Ballot, st.integers(0, 1000), rankings), max_size=10))
    return Election(names, draw(st.integers(1, size)), tuple(ballots), title=draw(_name))


@settings(max_examples=150, deadline=None)
@given(elections())
def test_any_election_is_written_and_read_back_the_same(election: Election) -> None:
    assert read_soi(write_soi(election)) == election
