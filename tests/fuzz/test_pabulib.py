"""Fuzz: the Pabulib reader, and what the web import and ``coproduce budget`` do with what it reads, raise
nothing but ``PabulibError`` for any file, however hostile, seeded with the real elections in tests/data."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given

from coproduce.methods.equal_shares import Instance
from coproduce.methods.pabulib import PabulibError, PbFile, parse_pb, read_pb, to_instance, write_pb
from tests.fuzz.mutations import FUZZ, mutated

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"


def _seeds() -> list[str]:
    """Every small real file, cut to its first 40 voters (num_votes put right) so that changes reach the
    META and PROJECTS sections as often as the votes; and one file exactly as Pabulib publishes it."""
    seeds = [(DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")]
    for path in sorted(DATA.glob("*.pb")):
        if path.stat().st_size < 200_000:
            pb = read_pb(path)
            votes = pb.votes[:40]
            seeds.append(write_pb(replace(pb, votes=votes, meta={**pb.meta, "num_votes": str(len(votes))})))
    return seeds


SEEDS = _seeds()


def test_the_seeds_are_good_elections() -> None:
    for seed in SEEDS:
        to_instance(parse_pb(seed))


def _read(text: str) -> tuple[PbFile, Instance] | PabulibError:
    try:
        pb = parse_pb(text, name="fuzz.pb")
        return pb, to_instance(pb)
    except PabulibError as error:
        return error


@FUZZ
@given(mutated(SEEDS))
def test_any_file_gives_an_election_or_a_pabulib_error(text: str) -> None:
    read = _read(text)
    if isinstance(read, PabulibError):  # from the reader, naming the file and line; or from to_instance
        assert read.reason and "\n" not in read.reason
        assert str(read).startswith("fuzz.pb: ") or "not supported" in read.reason
        return
    pb, instance = read
    assert instance.budget > 0 and all(0 <= cost <= instance.budget for cost in instance.costs.values())
    assert parse_pb(write_pb(pb)) == pb  # what was read is written and read again the same
