"""Reading and writing Pol.is export folders (``coproduce.methods.polis_csv``)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

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
        (3, "Évening sessions, please", "", 0),
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
