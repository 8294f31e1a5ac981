"""Reading and writing Pol.is export folders (``coproduce.methods.polis_csv``)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.methods import opinion, polis_csv

OPEN_DATA = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata"
LONDON = OPEN_DATA / "london.youth.policing"


def latest(votes: list[tuple[object, int, int, float]]) -> dict[tuple[object, int], int]:
    out: dict[tuple[object, int], int] = {}
    for pid, sid, vote, _ts in sorted(votes, key=lambda v: v[3]):
        out[(pid, sid)] = vote
    return out


def test_reads_an_open_data_folder() -> None:
    export = polis_csv.read_export(LONDON)
    assert export.source == "votes.csv"
    with (LONDON / "comments.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(export.statements) == len(rows)
    first = next(s for s in export.statements if s.id == int(rows[0]["comment-id"]))
    assert first.text == rows[0]["comment-body"]
    assert export.moderated_out == [int(r["comment-id"]) for r in rows if int(r["moderated"]) < 0]
    # the comments' agree/disagree columns are close to the latest votes' counts (agree = +1 in
    # exports; Pol.is's counts differ by a vote here and there)
    final = latest(export.votes)
    agrees = sum(1 for v in final.values() if v == 1)
    disagrees = sum(1 for v in final.values() if v == -1)
    assert agrees == pytest.approx(sum(int(r["agrees"]) for r in rows), rel=0.02)
    assert disagrees == pytest.approx(sum(int(r["disagrees"]) for r in rows), rel=0.02)
    assert export.groups is not None
    assert sum(g is not None for g in export.groups.values()) == 24


def test_without_votes_csv_the_participant_votes_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(LONDON / "comments.csv", folder)
    shutil.copy(LONDON / "participants-votes.csv", folder)
    export = polis_csv.read_export(folder)
    assert export.source == "participants-votes.csv"
    assert latest(export.votes) == latest(polis_csv.read_export(LONDON).votes)
    assert export.groups == polis_csv.read_export(LONDON).groups


@pytest.mark.parametrize(
    ("files", "edit", "message"),
    [
        ([], None, "missing comments.csv"),
        (["comments.csv"], None, "missing votes.csv"),
        (
            ["comments.csv", "votes.csv"],
            ("comments.csv", "comment-body", "body"),
            "comments.csv has no 'comment-body' column",
        ),
        (["comments.csv", "votes.csv"], ("votes.csv", "voter-id", "voter"), "votes.csv has no 'voter-id' column"),
        (
            ["comments.csv", "votes.csv"],
            ("votes.csv", "\n1435654192085,", "\nsoon,"),
            "votes.csv line 2, column 'timestamp'",
        ),
        (["comments.csv", "votes.csv"], ("votes.csv", ",0,0,1\n", ",0,0,7\n"), "vote 7 is not -1, 0 or 1"),
    ],
)
def test_bad_folders_name_the_missing_file_or_column(
    tmp_path: Path, files: list[str], edit: tuple[str, str, str] | None, message: str
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    source = OPEN_DATA / "vtaiwan.uberx"
    for name in files:
        shutil.copy(source / name, folder)
    if edit:
        name, old, new = edit
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(polis_csv.PolisCsvError) as error:
        polis_csv.read_export(folder)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_an_empty_file_and_a_missing_folder_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(polis_csv.PolisCsvError, match="no such folder"):
        polis_csv.read_export(tmp_path / "nowhere")
    (tmp_path / "comments.csv").write_text("")
    with pytest.raises(polis_csv.PolisCsvError, match=r"comments\.csv is empty"):
        polis_csv.read_export(tmp_path)


def test_written_folders_read_back_the_same(tmp_path: Path) -> None:
    statements = [
        polis_csv.Statement(1, "Childcare should start at 8am", author="w1", moderated=1, timestamp=1_700_000_000_000),
        polis_csv.Statement(2, 'Forms are too long, "really"', author="m1", moderated=-1, timestamp=1_700_000_100_000),
        polis_csv.Statement(3, "Évening sessions, please", author=None, moderated=0, timestamp=1_700_000_200_000),
    ]
    votes = [
        ("m1", 1, 1, 1_700_000_300_000.0),
        ("m1", 1, -1, 1_700_000_400_000.0),  # changed their mind: the latest counts
        ("m1", 3, 0, 1_700_000_500_000.0),
        ("w1", 1, 1, 1_700_000_600_000.0),
        ("w1", 2, -1, 1_700_000_700_000.0),
    ]
    polis_csv.write_export(tmp_path, statements, votes, {"m1": 0, "w1": None})
    export = polis_csv.read_export(tmp_path)
    assert [(s.id, s.text, s.author, s.moderated) for s in export.statements] == [
        (1, "Childcare should start at 8am", "w1", 1),
        (2, 'Forms are too long, "really"', "m1", -1),
        (3, "Évening sessions, please", None, 0),
    ]
    assert latest(export.votes) == {("m1", 1): -1, ("m1", 3): 0, ("w1", 1): 1, ("w1", 2): -1}
    assert export.groups == {"m1": 0, "w1": None}
    assert export.moderated_out == [2]
    with (tmp_path / "comments.csv").open(newline="") as handle:
        counts = {row["comment-id"]: (row["agrees"], row["disagrees"]) for row in csv.DictReader(handle)}
    assert counts == {"1": ("1", "1"), "2": ("0", "1"), "3": ("0", "0")}
    # and the participants-votes file alone gives the same latest votes
    (tmp_path / "votes.csv").unlink()
    assert latest(polis_csv.read_export(tmp_path).votes) == latest(export.votes)


def test_an_exported_map_round_trips_through_the_method(tmp_path: Path) -> None:
    export = polis_csv.read_export(OPEN_DATA / "brexit-consensus")
    result, _ = opinion.update(export.votes, export.statement_ids, export.moderated_out)
    polis_csv.write_export(tmp_path, export.statements, export.votes, result.participants)
    again = polis_csv.read_export(tmp_path)
    assert again.groups == dict(result.participants)
    second, _ = opinion.update(again.votes, again.statement_ids, again.moderated_out)
    assert second.participants == result.participants


# --- The same reader for files in memory, and its structured errors ---------------------------------


def _bytes(folder: Path, *names: str) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in names}


def test_files_in_memory_read_the_same_as_the_folder() -> None:
    names = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
    from_memory = polis_csv.read_files(_bytes(LONDON, *names), integer_ids=True)
    from_disk = polis_csv.read_export(LONDON, integer_ids=True)
    assert from_memory == from_disk
    assert from_memory.timed and from_memory.source == "votes.csv"
    assert from_memory.topic == "What is the best way to engage more young people in local scrutiny of policing?"
    # upper-case names and a byte-order mark change nothing
    shouted = {name.upper(): b"\xef\xbb\xbf" + data for name, data in _bytes(LONDON, *names).items()}
    assert polis_csv.read_files(shouted, integer_ids=True) == from_disk


def test_latest_is_the_last_vote_by_time_and_then_by_row() -> None:
    export = polis_csv.read_files(
        {
            "comments.csv": "comment-id,comment-body\n1,One\n2,Two\n",
            "votes.csv": "timestamp,comment-id,voter-id,vote\n20,1,7,1\n10,1,7,-1\n20,2,7,-1\n20,2,7,0\n",
        }
    )
    assert export.latest() == {(7, 1): 1, (7, 2): 0}
    untimed = polis_csv.read_files(
        {"comments.csv": "comment-id,comment-body\n1,One\n", "votes.csv": "comment-id,voter-id,vote\n1,7,1\n1,7,-1\n"}
    )
    assert not untimed.timed and untimed.latest() == {(7, 1): -1}


P = polis_csv.Problem
COMMENTS = "comment-id,comment-body\n1,One\n"


@pytest.mark.parametrize(
    ("files", "facts", "english"),
    [
        ({}, {"problem": P.MISSING_FILE, "file": "comments.csv"}, "missing comments.csv"),
        (
            {"comments.csv": COMMENTS},
            {"problem": P.MISSING_FILE, "file": "votes.csv"},
            "missing votes.csv (and no participants-votes.csv)",
        ),
        ({"comments.csv": b"\xff\xfe"}, {"problem": P.NOT_UTF8, "file": "comments.csv"}, "comments.csv: not UTF-8"),
        ({"comments.csv": "\n \n"}, {"problem": P.EMPTY, "file": "comments.csv"}, "comments.csv is empty"),
        (
            {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter\n"},
            {"problem": P.MISSING_COLUMNS, "file": "votes.csv", "columns": ("voter-id", "vote")},
            "votes.csv has no 'voter-id', 'vote' columns",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n1,1,2\n"},
            {"problem": P.SHORT_ROW, "file": "votes.csv", "line": 2, "found": 3, "expected": 4},
            "votes.csv line 2: 3 fields, expected 4",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter-id,vote\n1,2,1\n1,2,1.5\n"},
            {"problem": P.NOT_A_NUMBER, "file": "votes.csv", "line": 3, "column": "vote", "value": "1.5"},
            "votes.csv line 3, column 'vote': '1.5' is not a whole number",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter-id,vote\n1,2,-2\n"},
            {"problem": P.BAD_VOTE, "file": "votes.csv", "line": 2, "column": "vote", "value": "-2"},
            "vote -2 is not -1, 0 or 1",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter-id,vote\n3,2,1\n"},
            {"problem": P.UNKNOWN_COMMENT, "file": "votes.csv", "line": 2, "column": "comment-id", "value": "3"},
            "votes.csv line 2, column 'comment-id': comment 3 is not in comments.csv",
        ),
        (
            {"comments.csv": COMMENTS, "participants-votes.csv": "participant,group-id,1,4\n"},
            {"problem": P.UNKNOWN_COMMENT, "file": "participants-votes.csv", "column": "4", "value": "4"},
            "comment 4 is not in comments.csv",
        ),
        (
            {"comments.csv": "comment-id,comment-body\n1,One\n1,Again\n", "votes.csv": "comment-id,voter-id,vote\n"},
            {"problem": P.DUPLICATE_ID, "file": "comments.csv", "line": 3, "column": "comment-id", "value": "1"},
            "comments.csv line 3, column 'comment-id': 1 appears twice",
        ),
        (
            {"comments.csv": "comment-id,comment-body\n3000000000,One\n", "votes.csv": "comment-id,voter-id,vote\n"},
            {"problem": P.OUT_OF_RANGE, "file": "comments.csv", "line": 2, "low": 0, "high": polis_csv.MAX_ID},
            "3000000000 is not between 0 and 2147483647",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\nnan,1,2,1\n"},
            {"problem": P.NOT_A_NUMBER, "column": "timestamp", "value": "nan"},
            "'nan' is not a whole number",
        ),
        (
            {"comments.csv": COMMENTS, "votes.csv": "timestamp,comment-id,voter-id,vote\n-5,1,2,1\n"},
            {"problem": P.OUT_OF_RANGE, "column": "timestamp", "value": "-5"},
            "-5 is not between 0 and",
        ),
        (  # found by the fuzz test: the participant column past the end of a short row was an IndexError
            {"comments.csv": COMMENTS, "participants-votes.csv": "group-id,participant,1\n0,5,1\n5\n"},
            {"problem": P.SHORT_ROW, "file": "participants-votes.csv", "line": 3, "found": 1, "expected": 3},
            "participants-votes.csv line 3: 1 fields, expected 3",
        ),
        (
            {"comments.csv": "comment-id,comment-body\n1,O\x00ne\n", "votes.csv": "comment-id,voter-id,vote\n"},
            {"problem": P.NOT_CSV, "file": "comments.csv", "line": 2},
            "comments.csv line 2: not a readable CSV file (a NUL character)",
        ),
        (
            {"comments.csv": 'comment-id,comment-body\n1,"One\n', "votes.csv": "comment-id,voter-id,vote\n"},
            {"problem": P.NOT_CSV, "file": "comments.csv"},
            "comments.csv line",
        ),
    ],
)
def test_errors_carry_the_facts_and_say_them_in_one_line(
    files: dict[str, str | bytes], facts: dict[str, object], english: str
) -> None:
    with pytest.raises(polis_csv.PolisCsvError) as caught:
        polis_csv.read_files(files)
    error = caught.value
    for name, value in facts.items():
        assert getattr(error, name) == value, (name, getattr(error, name))
    assert english in str(error)
    assert "\n" not in str(error) and error.folder == ""


@pytest.mark.parametrize("value", ["9" * 4000, "1" * 100_000 + ".5", "1e999999", "x" * 100_000])
def test_a_huge_value_is_refused_and_not_repeated_in_full(value: str) -> None:
    with pytest.raises(polis_csv.PolisCsvError) as caught:
        polis_csv.read_files(
            {"comments.csv": COMMENTS, "votes.csv": f"comment-id,voter-id,vote\n1,{value},1\n"}, integer_ids=True
        )
    assert caught.value.problem in (P.NOT_A_NUMBER, P.OUT_OF_RANGE) and caught.value.line == 2
    assert len(str(caught.value)) < 200


def test_integer_ids_refuse_names_and_negative_numbers() -> None:
    files = {"comments.csv": COMMENTS, "votes.csv": "comment-id,voter-id,vote\n1,m1,1\n"}
    assert polis_csv.read_files(files).votes[0][0] == "m1"  # kept as text by default
    with pytest.raises(polis_csv.PolisCsvError) as caught:
        polis_csv.read_files(files, integer_ids=True)
    assert (caught.value.problem, caught.value.column, caught.value.value) == (P.NOT_A_NUMBER, "voter-id", "m1")
    files["votes.csv"] = "comment-id,voter-id,vote\n1,-1,1\n"
    with pytest.raises(polis_csv.PolisCsvError) as caught:
        polis_csv.read_files(files, integer_ids=True)
    assert caught.value.problem == P.OUT_OF_RANGE


def test_group_ids_are_read_only_when_the_column_is_there() -> None:
    with_groups = polis_csv.read_files(
        {"comments.csv": COMMENTS, "participants-votes.csv": "participant,group-id,1\n5,1,1\n6,,-1\n"}
    )
    assert with_groups.groups == {5: 1, 6: None}
    assert with_groups.source == "participants-votes.csv" and not with_groups.timed
    without = polis_csv.read_files({"comments.csv": COMMENTS, "participants-votes.csv": "participant,1\n5,1\n"})
    assert without.groups is None and without.latest() == {(5, 1): 1}


def test_a_folder_error_names_the_folder_for_a_missing_file_only(tmp_path: Path) -> None:
    with pytest.raises(polis_csv.PolisCsvError) as caught:
        polis_csv.read_export(tmp_path)
    assert caught.value.folder == str(tmp_path) and str(caught.value) == f"{tmp_path}: missing comments.csv"
    (tmp_path / "comments.csv").write_text("comment-id\n1\n")
    with pytest.raises(polis_csv.PolisCsvError) as caught:
        polis_csv.read_export(tmp_path)
    assert str(caught.value) == "comments.csv has no 'comment-body' column"


def test_export_texts_list_every_participant_in_order_and_groups_text() -> None:
    statements = [polis_csv.Statement(0, "One", author=2), polis_csv.Statement(1, "Two")]
    texts = polis_csv.export_texts(
        statements, [(2, 0, 1, 5.0), (1, 0, -1, 6.0), (2, 0, 0, 7.0)], {1: 0, 2: 1}, participants=[0, 1, 2]
    )
    rows = list(csv.DictReader(texts["participants-votes.csv"].splitlines()))
    assert [(r["participant"], r["group-id"], r["n-comments"], r["n-votes"], r["0"]) for r in rows] == [
        ("0", "", "0", "0", ""),
        ("1", "0", "0", "1", "-1"),
        ("2", "1", "1", "1", "0"),
    ]
    assert [r["vote"] for r in csv.DictReader(texts["votes.csv"].splitlines())] == ["1", "-1", "0"]
    assert polis_csv.groups_text({3: 1, 4: None}).splitlines() == ["participant,group-id", "3,1", "4,"]
    again = polis_csv.read_files(texts)
    assert again.latest() == {(2, 0): 0, (1, 0): -1}
    assert again.groups == {0: None, 1: 0, 2: 1}


# --- Cells a spreadsheet would run as formulas ------------------------------------------------------


def test_statements_and_the_topic_that_start_a_formula_are_written_as_text() -> None:
    statements = [
        polis_csv.Statement(1, '=HYPERLINK("http://evil.example","Click")'),
        polis_csv.Statement(2, "-2+3+cmd|' /C calc'!A0"),
        polis_csv.Statement(3, "@SUM(A1:A2)"),
        polis_csv.Statement(4, "Fine as it is"),
    ]
    texts = polis_csv.export_texts(statements, [(7, 1, -1, 5.0), (7, 2, 1, 6.0)])
    bodies = [row["comment-body"] for row in csv.DictReader(texts["comments.csv"].splitlines())]
    assert bodies == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'-2+3+cmd|' /C calc'!A0",
        "'@SUM(A1:A2)",
        "Fine as it is",
    ]
    # numbers the format needs stay numbers: the vote of -1 is not touched
    assert [row["vote"] for row in csv.DictReader(texts["votes.csv"].splitlines())] == ["-1", "1"]
    summary = polis_csv.summary_text("+44 said so", "=1+1", voters=1, commenters=0, comments=4)
    rows = dict(csv.reader(summary.splitlines()))
    assert rows["topic"] == "'+44 said so" and rows["conversation-description"] == "'=1+1"
    assert rows["voters"] == "1"
    back = polis_csv.read_files({**texts, "summary.csv": summary})
    assert [s.text for s in back.statements] == [s.text for s in statements]
    assert (back.topic, back.description) == ("+44 said so", "=1+1")


# Lone surrogates cannot be written as UTF-8.
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)

_TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=SURROGATES))
_TEXT_IDS = st.text(st.characters(exclude_characters='\x00,"\n\r', exclude_categories=SURROGATES), min_size=1).filter(
    lambda s: s == s.strip() and s != "" and not _is_int(s)
)


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    bodies=st.lists(_TEXT, min_size=1, max_size=6),
    authors=st.lists(_TEXT_IDS | st.integers(0, polis_csv.MAX_ID), min_size=1, max_size=4),
    topic=_TEXT,
    description=_TEXT,
)
def test_any_text_survives_export_and_import(
    bodies: list[str], authors: list[object], topic: str, description: str
) -> None:
    statements = [
        polis_csv.Statement(number, body, author=authors[number % len(authors)], moderated=1)
        for number, body in enumerate(bodies)
    ]
    votes = [(author, number, (-1, 0, 1)[number % 3], float(number)) for number, author in enumerate(authors)]
    votes = [(pid, sid % len(bodies), vote, ts) for pid, sid, vote, ts in votes]
    texts = polis_csv.export_texts(statements, votes)
    summary = polis_csv.summary_text(topic, description, voters=len(authors), commenters=0, comments=len(bodies))
    back = polis_csv.read_files({**texts, "summary.csv": summary})
    assert [(s.id, s.text, s.author) for s in back.statements] == [(s.id, s.text, s.author) for s in statements]
    assert back.latest() == polis_csv.PolisExport(statements, votes).latest()
    assert back.topic == (topic.strip() or None) and back.description == (description.strip() or None)
