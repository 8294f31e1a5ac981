"""Reading and writing Pabulib ``.pb`` files, and the errors a malformed file gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coproduce.methods.equal_shares import Instance
from coproduce.methods.pabulib import PabulibError, from_instance, parse_pb, read_pb, to_instance, write_pb

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"

SMALL = """META
key;value
description;"A small; test"
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
a;60;"Play park; swings"
b;40;Library
c;30;Garden
VOTES
voter_id;vote
1;a,b
2;b
3;
"""

CUMULATIVE = """META
key;value
budget;1000,0
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost
1;400
2;600
VOTES
voter_id;vote;points
v1;1,2;3,2
v2;2;5
"""


SLOW = pytest.mark.skipif(not os.environ.get("COPRODUCE_SLOW_TESTS"), reason="slow: set COPRODUCE_SLOW_TESTS=1")


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=p.stem, marks=[SLOW] if "Lodz" in p.name else []) for p in sorted(DATA.glob("*.pb"))],
)
def test_every_election_in_the_test_data_is_read(path: Path) -> None:
    pb = read_pb(path)
    assert len(pb.projects) == int(pb.meta["num_projects"])
    assert len(pb.votes) == int(pb.meta["num_votes"])
    instance = to_instance(pb)
    assert instance.budget == int(pb.meta["budget"])
    assert set(instance.costs) == {p["project_id"] for p in pb.projects}


def test_a_small_file_as_plain_data() -> None:
    pb = parse_pb(SMALL)
    assert pb.meta["description"] == "A small; test"
    assert pb.project_columns == ("project_id", "cost", "name")
    assert pb.projects[0]["name"] == "Play park; swings"
    instance = to_instance(pb)
    assert instance == Instance(
        budget=100, costs={"a": 60, "b": 40, "c": 30}, ballots=[{"a": 1, "b": 1}, {"b": 1}, {}], kind="approval"
    )


def test_cumulative_points_and_decimal_commas() -> None:
    instance = to_instance(parse_pb(CUMULATIVE))
    assert instance.kind == "cumulative"
    assert instance.budget == 1000
    assert list(instance.ballots) == [{"1": 3, "2": 2}, {"2": 5}]


@pytest.mark.parametrize("text", [SMALL, CUMULATIVE])
def test_written_files_read_back_the_same(text: str) -> None:
    pb = parse_pb(text)
    again = parse_pb(write_pb(pb))
    assert again == pb
    assert to_instance(again) == to_instance(pb)


def test_a_real_file_survives_writing_and_reading() -> None:
    pb = read_pb(DATA / "Netherlands_Assen_2024.pb")
    again = parse_pb(write_pb(pb))
    assert again == pb


def test_an_instance_exported_and_imported_is_the_same_election() -> None:
    instance = Instance(
        budget=5000,
        costs={"p1": 2000, "p2": 3000, "p3": 1000},
        ballots=[{"p1": 2, "p3": 1}, {"p2": 3}, {}],
        kind="cumulative",
    )
    pb = from_instance(instance, meta={"description": "Round 1"}, selected=["p2"], names={"p1": "Crèche; mornings"})
    text = write_pb(pb)
    back = parse_pb(text)
    assert to_instance(back) == instance
    assert back.meta["description"] == "Round 1"
    assert [p["selected"] for p in back.projects] == ["0", "1", "0"]
    assert back.projects[0]["name"] == "Crèche; mornings"
    assert [v["voter_id"] for v in back.votes] == ["1", "2", "3"]  # voters are only numbered


def broken(old: str, new: str, text: str = SMALL) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (broken("PROJECTS\n", ""), 14, "the PROJECTS section is missing"),
        (broken("VOTES\nvoter_id;vote\n1;a,b\n2;b\n3;\n", ""), 10, "the VOTES section is missing"),
        (broken("META\n", ""), 1, "text before the META section"),
        (broken("a;60;", "a;sixty;"), 8, "the cost 'sixty' of project 'a' is not a number"),
        (broken("2;b\n", "2;b,z\n"), 14, "a vote for project 'z', which is not in PROJECTS"),
        (broken("budget;100", "budget;0"), 4, "the budget must be more than zero"),
        (broken("budget;100", "budget;lots"), 4, "the budget 'lots' is not a number"),
        (broken("budget;100\n", ""), 1, "META has no budget"),
        (broken("a;60;", "a;600;"), 8, "the cost of project 'a' (600) is more than the budget"),
        (broken("c;30;Garden", "c;-3;Garden"), 10, "the cost of project 'c' is negative"),
        (broken("c;30;Garden", "a;30;Garden"), 10, "project 'a' appears twice"),
        (broken("b;40;Library", "b;40"), 9, "expected 3 fields, found 2"),
        (broken("1;a,b", "1;a,b,a"), 13, "a vote names the same project twice"),
        (broken("voter_id;vote", "voter;vote"), 12, "the VOTES header must start with voter_id"),
        (broken("project_id;cost;name", "id;price;name"), 7, "the PROJECTS header must start with project_id"),
        (SMALL + "VOTES\n", 16, "the section VOTES appears twice"),
        (broken("v2;2;5", "v2;2;5,1", CUMULATIVE), 13, "1 projects but 2 points"),
        (broken("v2;2;5", "v2;2;many", CUMULATIVE), 13, "the points 'many' are not a whole number"),
        (
            broken("voter_id;vote;points", "voter_id;vote", broken("v1;1,2;3,2\nv2;2;5", "v1;1,2\nv2;2", CUMULATIVE)),
            11,
            "cumulative votes need a points column",
        ),
    ],
)
def test_malformed_files_name_the_line_and_the_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(PabulibError) as caught:
        parse_pb(text, name="round.pb")
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"round.pb: line {line}: ")


def test_ballot_types_the_rules_do_not_use_are_refused_when_making_an_instance() -> None:
    pb = read_pb(DATA / "Netherlands_Assen_2024.pb")
    ordinal = parse_pb(broken("vote_type;approval", "vote_type;ordinal", write_pb(pb)))
    with pytest.raises(PabulibError, match="ordinal ballots are not supported"):
        to_instance(ordinal)


def test_amounts_in_part_units_are_refused_when_making_an_instance() -> None:
    pb = parse_pb(broken("c;30;Garden", "c;30.5;Garden"))
    with pytest.raises(PabulibError, match="not a whole number"):
        to_instance(pb)


def test_a_file_that_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "binary.pb"
    path.write_bytes(b"\xff\xfe\x00META")
    with pytest.raises(PabulibError, match="not UTF-8"):
        read_pb(path)
