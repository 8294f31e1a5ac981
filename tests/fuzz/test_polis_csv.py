"""Fuzz: the Pol.is export reader raises nothing but ``PolisCsvError`` for any files, however hostile, and
the import page can put every such error in words. Seeded with the real open-data exports in tests/data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coproduce.conversations.polis_io import error_message
from coproduce.methods.polis_csv import PolisCsvError, PolisExport, read_files
from tests.fuzz.mutations import FUZZ, mutated

OPEN_DATA = Path(__file__).resolve().parent.parent / "data" / "polis" / "opendata"
NAMES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


def _cut(folder: Path) -> dict[str, str]:
    """The folder's files as Pol.is wrote them, cut to the first 12 comments and the votes and columns on
    them, so that a change lands on a header or a comment as often as on a vote."""
    tables = {}
    for name in NAMES:
        with (folder / name).open(newline="", encoding="utf-8") as handle:
            tables[name] = list(csv.reader(handle))
    kept = {row[2] for row in tables["comments.csv"][1:13]}
    tables["comments.csv"] = tables["comments.csv"][:13]
    votes_header = tables["votes.csv"][0]
    comment = votes_header.index("comment-id")
    tables["votes.csv"] = [votes_header, *[r for r in tables["votes.csv"][1:] if r[comment] in kept][:150]]
    header = tables["participants-votes.csv"][0]
    columns = [i for i, column in enumerate(header) if not column.isdecimal() or column in kept]
    tables["participants-votes.csv"] = [
        [row[i] for i in columns if i < len(row)] for row in tables["participants-votes.csv"][:40]
    ]
    files = {}
    for name, rows in tables.items():
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        files[name] = out.getvalue()
    return files


SEEDS = [_cut(folder) for folder in sorted(OPEN_DATA.iterdir()) if folder.is_dir()]


def test_the_seeds_are_good_exports() -> None:
    for files in SEEDS:
        for integer_ids in (False, True):
            assert read_files(files, integer_ids=integer_ids).statements


@st.composite
def hostile_exports(draw: st.DrawFn) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(draw(st.sampled_from(SEEDS)))
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True)):
        files[name] = draw(mutated([str(files[name])]))
    if draw(st.booleans()):
        del files[draw(st.sampled_from(NAMES))]
    if draw(st.integers(0, 9)) == 0:  # bytes that are not UTF-8
        name = draw(st.sampled_from(NAMES))
        files[name] = str(files.get(name, "")).encode() + b"\xff\xfe"
    return files


def _read(files: dict[str, str | bytes], integer_ids: bool) -> PolisExport | PolisCsvError:
    try:
        return read_files(files, integer_ids=integer_ids)
    except PolisCsvError as error:
        return error


@FUZZ
@given(hostile_exports(), st.booleans())
def test_any_export_reads_or_gives_a_polis_csv_error(files: dict[str, str | bytes], integer_ids: bool) -> None:
    export = _read(files, integer_ids)
    if isinstance(export, PolisCsvError):
        assert export.english() and "\n" not in export.english()
        assert error_message(export)  # the words the import page shows
        return
    known = set(export.statement_ids)
    assert all(sid in known and vote in (-1, 0, 1) for _pid, sid, vote, _ts in export.votes)
