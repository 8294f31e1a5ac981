"""Fuzz: the PrefLib .soi reader raises nothing but ``PreflibError`` for any file, however hostile, seeded with
the real elections in tests/data/stv written as .soi; what it reads is written and read again the same."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given

from coproduce.methods.blt import Election, read_blt
from coproduce.methods.preflib import PreflibError, read_soi, write_soi
from coproduce.methods.stv import stv
from tests.fuzz.mutations import FUZZ, mutated

DATA = Path(__file__).resolve().parent.parent / "data" / "stv"


def _seeds() -> list[str]:
    """Each real election cut to its first 30 order lines, so that changes reach the metadata as often as the
    orders."""
    seeds = []
    for path in sorted(DATA.glob("*.blt")):
        election = read_blt(path)
        seeds.append(write_soi(replace(election, ballots=election.ballots[:30]), file_name=path.stem + ".soi"))
    return seeds


SEEDS = _seeds()


def test_the_seeds_are_good_elections() -> None:
    for seed in SEEDS:
        stv(read_soi(seed))


def _read(text: str) -> Election | PreflibError:
    try:
        return read_soi(text, name="fuzz.soi")
    except PreflibError as error:
        return error


@FUZZ
@given(mutated(SEEDS))
def test_any_file_gives_an_election_or_a_preflib_error(text: str) -> None:
    read = _read(text)
    if isinstance(read, PreflibError):  # one line, naming the file (and the line when there is one)
        assert read.reason and "\n" not in str(read)
        assert str(read).startswith("fuzz.soi: ")
        return
    election = read
    assert 1 <= election.seats <= len(election.candidates)
    assert all(1 <= n <= len(election.candidates) for ballot in election.ballots for n in ballot.ranking)
    again = read_soi(write_soi(election))
    assert again.candidates == tuple(" ".join(name.split()) for name in election.candidates)
    assert again.ballots == election.ballots and again.seats == election.seats
