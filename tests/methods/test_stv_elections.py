"""All ten Scottish council elections in tests/data/stv/ counted by the Scottish rules (stv.py), checked against
the published results where we have them and, for every one, against what any count by the rules must show."""

from __future__ import annotations

from pathlib import Path

import pytest

from coproduce.methods.blt import Election, read_blt
from coproduce.methods.preflib import read_soi, write_soi
from coproduce.methods.stv import UNIT, droop_quota, stv

STV = Path(__file__).resolve().parent.parent / "data" / "stv"
FILES = sorted(STV.glob("*.blt"))


def test_all_ten_elections_are_here() -> None:
    assert len(FILES) == 10


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_election_fills_its_seats_by_the_rules(path: Path) -> None:
    election = read_blt(path)
    result = stv(election)
    valid = sum(ballot.weight for ballot in election.ballots if ballot.ranking)
    assert result.valid == valid and result.quota == droop_quota(valid, election.seats)  # rules 45, 46
    assert len(result.elected) == election.seats == len(set(result.elected))
    assert result.lots == 0  # no real election here needed a lot
    for stage in result.stages:  # every vote is somewhere at every stage, exactly
        assert sum(stage.totals.values()) + stage.non_transferable == valid * UNIT
    first = result.stages[0].totals
    for number in result.stages[0].elected:  # rule 47: a quota of first preferences is elected at stage 1
        assert first[number] >= result.quota * UNIT
    for earlier, later in zip(result.stages, result.stages[1:], strict=False):
        assert later.non_transferable >= earlier.non_transferable  # votes once lost stay lost
    # The order of the papers in the file changes nothing, nor does writing the file as PrefLib .soi.
    shuffled = Election(election.candidates, election.seats, tuple(reversed(election.ballots)), title=election.title)
    assert stv(shuffled).elected == result.elected
    assert stv(read_soi(write_soi(election))) == result


def test_shetland_north_2017_matches_the_published_count() -> None:
    # Published (the 2017 Shetland Islands Council election, Shetland North, 3 seats): first preferences Manson
    # 509, Cooper 395, Macdonald 240, Johnson 48; Macdonald 379.04 and Johnson 70.28 after the second stage;
    # Manson, Cooper and Macdonald elected.
    election = read_blt(STV / "shetland_2017_ward2.blt")
    result = stv(election)
    surnames = {n: election.name(n).split()[-2] for n in range(1, 5)}
    first = {surnames[n]: units // UNIT for n, units in result.stages[0].totals.items()}
    assert first == {"COOPER": 395, "JOHNSON": 48, "MACDONALD": 240, "MANSON": 509}
    second = {surnames[n]: round(units / UNIT, 2) for n, units in result.stages[1].totals.items()}
    assert second["MACDONALD"] == 379.04 and second["JOHNSON"] == 70.28
    assert [surnames[n] for n in result.elected] == ["MANSON", "COOPER", "MACDONALD"]
    assert result.quota == 299
