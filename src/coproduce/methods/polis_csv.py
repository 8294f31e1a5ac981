"""Read and write Pol.is export folders (the CSV files of pol.is's "export" and of its open data).

A folder holds ``comments.csv`` and either ``votes.csv`` (every vote, with timestamps; a
participant's vote on a statement is the latest row) or, failing that, ``participants-votes.csv``
(one row per participant with their last vote on each statement, and Pol.is's ``group-id``).
``summary.csv``, when there is one, gives the topic and the description.

Vote signs in these files are agree = +1, disagree = -1, pass = 0: the same as
:mod:`coproduce.methods.opinion`'s API (the Pol.is database and math use the opposite sign).

:func:`read_export` reads a folder on disk, :func:`read_files` the same files held in memory (an
upload). Both raise :class:`PolisCsvError`, which carries the facts of the problem (which
:class:`Problem`, which file, line, column and value) for the caller to put in its own words;
``str(error)`` is a one-line English message. :func:`export_texts` writes the three files as text,
:func:`summary_text` a ``summary.csv``, :func:`write_export` into a folder.

Text cells (statements, the topic and description, ids that are not numbers) are written through
:func:`coproduce.methods.csv_cells.neutralise`, so that a statement starting with ``=`` cannot run as a
formula in a spreadsheet, and read through :func:`~coproduce.methods.csv_cells.restore`, so that our own
files read back exactly. Numbers (ids, votes, counts, timestamps) are written and read as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from coproduce.methods.csv_cells import neutralise, restore

__all__ = [
    "MAX_ID",
    "PolisCsvError",
    "PolisExport",
    "Problem",
    "Statement",
    "export_texts",
    "groups_text",
    "read_export",
    "read_files",
    "summary_text",
    "write_export",
]

COMMENTS, VOTES, PARTICIPANT_VOTES, SUMMARY = "comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"
COMMENTS_COLUMNS = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_COLUMNS = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PARTICIPANT_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")

_REQUIRED = {
    COMMENTS: ("comment-id", "comment-body"),
    VOTES: ("comment-id", "voter-id", "vote"),
    PARTICIPANT_VOTES: ("participant",),
}
MAX_ID = 2**31 - 1  # ids (comment, participant, group) are whole numbers from 0 to this
MAX_MS = 253_402_300_799_999  # the last millisecond of the year 9999

Vote = tuple[Hashable, int, int, float]


class Problem(StrEnum):
    """What is wrong with an export folder (the kind of a :class:`PolisCsvError`)."""

    NO_FOLDER = "no_folder"  # the folder does not exist
    MISSING_FILE = "missing_file"  # ``file`` is not there (for votes.csv: nor participants-votes.csv)
    UNREADABLE = "unreadable"  # the file cannot be opened (``detail``: why)
    NOT_UTF8 = "not_utf8"  # the file is not UTF-8 text (``line`` where known)
    NOT_CSV = "not_csv"  # the file is not CSV the csv module can read (``line``, ``detail``)
    EMPTY = "empty"  # the file has no header row
    MISSING_COLUMNS = "missing_columns"  # the header lacks ``columns``
    SHORT_ROW = "short_row"  # ``line`` has ``found`` fields where the header has ``expected``
    NOT_A_NUMBER = "not_a_number"  # ``value`` in ``column`` is not a whole number
    OUT_OF_RANGE = "out_of_range"  # ``value`` in ``column`` is outside ``low`` to ``high``
    BAD_VOTE = "bad_vote"  # ``value`` in ``column`` is a number other than -1, 0 or 1
    DUPLICATE_ID = "duplicate_id"  # ``value`` in ``column`` was already on an earlier line
    UNKNOWN_COMMENT = "unknown_comment"  # a vote (``column``) on comment ``value``, which comments.csv lacks


class PolisCsvError(ValueError):
    """A Pol.is export folder that cannot be read. The attributes say what and where; ``str()`` is
    the same in one line of English (for the command line)."""

    def __init__(
        self,
        problem: Problem,
        *,
        file: str = "",
        line: int | None = None,
        column: str = "",
        value: str = "",
        columns: Sequence[str] = (),
        found: int | None = None,
        expected: int | None = None,
        low: int | None = None,
        high: int | None = None,
        folder: str = "",
        detail: str = "",
    ) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.column = column
        self.value = value if len(value) <= 40 else value[:39] + "…"  # a hostile value is not repeated in full
        self.columns = tuple(columns)
        self.found = found
        self.expected = expected
        self.low = low
        self.high = high
        self.folder = folder
        self.detail = detail
        super().__init__(self.english())

    def english(self) -> str:
        """The problem in one line of English, naming the file and, where it applies, line and column."""
        where = self.file + (f" line {self.line}" if self.line is not None else "")
        where += f", column {self.column!r}" if self.column else ""
        template = _ENGLISH[self.problem]
        if self.problem == Problem.MISSING_FILE and self.file == VOTES:
            template += f" (and no {PARTICIPANT_VOTES})"
        return template.format(
            where=where,
            file=self.file,
            folder=self.folder,
            in_folder=f"{self.folder}: " if self.folder else "",
            value=self.value,
            quoted=repr(self.value),
            names=", ".join(repr(c) for c in self.columns),
            s="s" if len(self.columns) > 1 else "",
            found=self.found,
            expected=self.expected,
            low=self.low,
            high=self.high,
            detail=self.detail,
        )


_ENGLISH: dict[Problem, str] = {
    Problem.NO_FOLDER: "{folder}: no such folder",
    Problem.MISSING_FILE: "{in_folder}missing {file}",
    Problem.UNREADABLE: "{file}: cannot be read ({detail})",
    Problem.NOT_UTF8: "{where}: not UTF-8 text",
    Problem.NOT_CSV: "{where}: not a readable CSV file ({detail})",
    Problem.EMPTY: "{file} is empty (no header row)",
    Problem.MISSING_COLUMNS: "{file} has no {names} column{s}",
    Problem.SHORT_ROW: "{where}: {found} fields, expected {expected}",
    Problem.NOT_A_NUMBER: "{where}: {quoted} is not a whole number",
    Problem.OUT_OF_RANGE: "{where}: {value} is not between {low} and {high}",
    Problem.BAD_VOTE: "{where}: vote {value} is not -1, 0 or 1",
    Problem.DUPLICATE_ID: "{where}: {value} appears twice",
    Problem.UNKNOWN_COMMENT: "{where}: comment {value} is not in " + COMMENTS,
}


@dataclass
class Statement:
    """A statement ("comment" in Pol.is). ``moderated`` is 1 (in), 0 (not yet) or -1 (out)."""

    id: int
    text: str
    author: Hashable = None
    moderated: int = 0
    timestamp: int | None = None


@dataclass
class PolisExport:
    """The plain data of an export folder.

    ``votes`` are ``(participant, statement, vote, timestamp)`` with agree = +1, in file order;
    ``timed`` says whether the timestamps are the file's (milliseconds since 1970) or only the row
    order (a folder without ``votes.csv``, or a ``votes.csv`` without a ``timestamp`` column).
    ``groups`` is Pol.is's ``group-id`` per participant (``None`` = not clustered) when
    ``participants-votes.csv`` has that column; ``topic`` and ``description`` come from ``summary.csv``
    (its ``topic`` and ``conversation-description`` rows).
    """

    statements: list[Statement]
    votes: list[Vote]
    groups: dict[Hashable, int | None] | None = None
    source: str = VOTES
    files: list[str] = field(default_factory=list)
    timed: bool = True
    topic: str | None = None
    description: str | None = None

    @property
    def statement_ids(self) -> list[int]:
        return [s.id for s in self.statements]

    @property
    def moderated_out(self) -> list[int]:
        return [s.id for s in self.statements if s.moderated < 0]

    def latest(self) -> dict[tuple[Hashable, int], int]:
        """Each participant's vote on each statement: the latest (ties: the later row)."""
        out: dict[tuple[Hashable, int], int] = {}
        for pid, sid, vote, _ts in sorted(self.votes, key=lambda v: v[3]):
            out[(pid, sid)] = vote
        return out


# --- Reading ---------------------------------------------------------------------------------------

Opener = Callable[[str], AbstractContextManager[Iterable[str]] | None]


def read_export(folder: str | Path, *, integer_ids: bool = False) -> PolisExport:
    """Read a Pol.is export folder on disk into plain data; raises :class:`PolisCsvError`.

    With ``integer_ids`` participant and author ids must be whole numbers from 0 to :data:`MAX_ID`
    (as in Pol.is); otherwise a non-numeric id is kept as text. Comment ids are always whole numbers.
    """
    root = Path(folder)
    if not root.is_dir():
        raise PolisCsvError(Problem.NO_FOLDER, folder=str(root))

    def opener(name: str) -> AbstractContextManager[Iterable[str]] | None:
        path = root / name
        if not path.is_file():
            return None
        try:
            return path.open(newline="", encoding="utf-8-sig")
        except OSError as error:
            raise PolisCsvError(Problem.UNREADABLE, file=name, detail=error.strerror or str(error)) from None

    return _read(opener, integer_ids=integer_ids, folder=str(root))


def read_files(files: Mapping[str, bytes | str], *, integer_ids: bool = False) -> PolisExport:
    """Read the files of an export held in memory (``{"comments.csv": data, ...}``, bytes in UTF-8 or
    text); file names are matched without regard to case. Raises :class:`PolisCsvError`, which names
    files but no folder."""
    by_name = {name.lower(): data for name, data in files.items()}

    def opener(name: str) -> AbstractContextManager[Iterable[str]] | None:
        data = by_name.get(name)
        if data is None:
            return None
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise PolisCsvError(Problem.NOT_UTF8, file=name) from None
        return nullcontext(io.StringIO(data.removeprefix("\ufeff"), newline=""))

    return _read(opener, integer_ids=integer_ids)


def _read(open_file: Opener, *, integer_ids: bool, folder: str = "") -> PolisExport:
    comments = open_file(COMMENTS)
    if comments is None:
        raise PolisCsvError(Problem.MISSING_FILE, file=COMMENTS, folder=folder)
    ids = _Ids(integer_ids)
    with comments as lines:
        statements = _read_comments(lines, ids)
    known = {s.id for s in statements}
    topic = description = None
    summary = open_file(SUMMARY)
    if summary is not None:
        with summary as lines:
            topic, description = _read_summary(lines)
    participant_votes = open_file(PARTICIPANT_VOTES)
    pv_votes: list[Vote] = []
    groups: dict[Hashable, int | None] | None = None
    if participant_votes is not None:
        with participant_votes as lines:
            pv_votes, groups = _read_participant_votes(lines, known, ids)
    votes_file = open_file(VOTES)
    if votes_file is not None:
        with votes_file as lines:
            votes, timed = _read_votes(lines, known, ids)
        files = [COMMENTS, VOTES] + ([PARTICIPANT_VOTES] if participant_votes is not None else [])
        return PolisExport(statements, votes, groups, VOTES, files, timed, topic, description)
    if participant_votes is not None:
        return PolisExport(
            statements, pv_votes, groups, PARTICIPANT_VOTES, [COMMENTS, PARTICIPANT_VOTES], False, topic, description
        )
    raise PolisCsvError(Problem.MISSING_FILE, file=VOTES, folder=folder)


@dataclass
class _Table:
    """A CSV file being read: its header (lower case, trimmed; ``first_row`` as it was), and its other
    rows with their line numbers."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    first_row: list[str]

    def index(self, column: str) -> int | None:
        return self.header.index(column) if column in self.header else None


def _table(name: str, lines: Iterable[str], required: Sequence[str] = ()) -> _Table:
    reader = csv.reader(lines, strict=True)  # a stray quote is an error, not the rest of the file in one cell

    def fail(error: Exception) -> PolisCsvError:
        if isinstance(error, UnicodeDecodeError):
            return PolisCsvError(Problem.NOT_UTF8, file=name, line=reader.line_num + 1)
        return PolisCsvError(Problem.NOT_CSV, file=name, line=reader.line_num or 1, detail=str(error))

    def rows() -> Iterator[tuple[int, list[str]]]:
        """The rows that are not blank; a NUL character (binary data, which no database takes as text)
        makes the file unreadable."""
        try:
            for row in reader:
                if any("\x00" in cell for cell in row):
                    raise PolisCsvError(Problem.NOT_CSV, file=name, line=reader.line_num, detail="a NUL character")
                if any(cell.strip() for cell in row):
                    yield reader.line_num, row
        except (csv.Error, UnicodeDecodeError) as error:
            raise fail(error) from None

    found = rows()
    first = next(found, None)
    if first is None:
        raise PolisCsvError(Problem.EMPTY, file=name)
    header = [h.strip().lower() for h in first[1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise PolisCsvError(Problem.MISSING_COLUMNS, file=name, columns=missing)
    return _Table(name, header, found, first[1])


def _whole(text: str, where: tuple[str, int, str]) -> int:
    """A whole number ("3", " 3 ", "3.0"); anything else is NOT_A_NUMBER."""
    file, line, column = where
    value = text.strip()
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not number.is_integer():
        raise PolisCsvError(Problem.NOT_A_NUMBER, file=file, line=line, column=column, value=value)
    return int(number)


def _in_range(number: int, low: int, high: int, where: tuple[str, int, str]) -> int:
    if not low <= number <= high:
        file, line, column = where
        raise PolisCsvError(
            Problem.OUT_OF_RANGE, file=file, line=line, column=column, value=str(number), low=low, high=high
        )
    return number


def _identifier(text: str, where: tuple[str, int, str]) -> int:
    return _in_range(_whole(text, where), 0, MAX_ID, where)


def _timestamp(text: str, where: tuple[str, int, str]) -> int:
    value = text.strip()
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        file, line, column = where
        raise PolisCsvError(Problem.NOT_A_NUMBER, file=file, line=line, column=column, value=value)
    return _in_range(int(number), 0, MAX_MS, where)


def _vote(text: str, where: tuple[str, int, str]) -> int:
    vote = _whole(text, where)
    if vote not in (-1, 0, 1):
        file, line, column = where
        raise PolisCsvError(Problem.BAD_VOTE, file=file, line=line, column=column, value=str(vote))
    return vote


class _Ids:
    """Participant and author ids: whole numbers in range (``integer``), or else kept as text when
    they are not numbers."""

    def __init__(self, integer: bool) -> None:
        self.integer = integer

    def __call__(self, text: str, where: tuple[str, int, str]) -> Hashable:
        if self.integer:
            return _identifier(text, where)
        value = text.strip()
        try:
            return int(value)
        except ValueError:
            return restore(value)


def _full(table: _Table, line: int, row: list[str]) -> None:
    if len(row) < len(table.header):
        raise PolisCsvError(Problem.SHORT_ROW, file=table.name, line=line, found=len(row), expected=len(table.header))


def _read_comments(lines: Iterable[str], ids: _Ids) -> list[Statement]:
    table = _table(COMMENTS, lines, _REQUIRED[COMMENTS])
    c_id, c_body = table.header.index("comment-id"), table.header.index("comment-body")
    c_mod, c_ts, c_author = table.index("moderated"), table.index("timestamp"), table.index("author-id")
    out: list[Statement] = []
    seen: set[int] = set()
    for line, row in table.rows:
        _full(table, line, row)
        sid = _identifier(row[c_id], (COMMENTS, line, "comment-id"))
        if sid in seen:
            raise PolisCsvError(Problem.DUPLICATE_ID, file=COMMENTS, line=line, column="comment-id", value=str(sid))
        seen.add(sid)
        moderated = _whole(row[c_mod] or "0", (COMMENTS, line, "moderated")) if c_mod is not None else 0
        timestamp = _timestamp(row[c_ts], (COMMENTS, line, "timestamp")) if c_ts is not None else None
        author_text = row[c_author].strip() if c_author is not None else ""
        author = ids(author_text, (COMMENTS, line, "author-id")) if author_text else None
        out.append(Statement(sid, restore(row[c_body]), author, moderated, timestamp))
    return out


def _read_summary(lines: Iterable[str]) -> tuple[str | None, str | None]:
    """The topic and the description from summary.csv (rows of name, value; the header is a row like any
    other); ``None`` for either that is missing or blank."""
    table = _table(SUMMARY, lines)
    found: dict[str, str] = {}
    for _line, row in [(1, table.first_row), *table.rows]:
        if len(row) >= 2:
            found.setdefault(row[0].strip().lower(), restore(row[1]).strip())
    return found.get("topic") or None, found.get("conversation-description") or None


def _read_votes(lines: Iterable[str], known: set[int], ids: _Ids) -> tuple[list[Vote], bool]:
    table = _table(VOTES, lines, _REQUIRED[VOTES])
    c_tid, c_pid, c_vote = (table.header.index(c) for c in ("comment-id", "voter-id", "vote"))
    c_ts = table.index("timestamp")
    out: list[Vote] = []
    for line, row in table.rows:
        _full(table, line, row)
        sid = _identifier(row[c_tid], (VOTES, line, "comment-id"))
        if sid not in known:
            raise PolisCsvError(Problem.UNKNOWN_COMMENT, file=VOTES, line=line, column="comment-id", value=str(sid))
        ts = float(_timestamp(row[c_ts], (VOTES, line, "timestamp"))) if c_ts is not None else float(line)
        out.append((ids(row[c_pid], (VOTES, line, "voter-id")), sid, _vote(row[c_vote], (VOTES, line, "vote")), ts))
    return out, c_ts is not None


def _read_participant_votes(
    lines: Iterable[str], known: set[int], ids: _Ids
) -> tuple[list[Vote], dict[Hashable, int | None] | None]:
    name = PARTICIPANT_VOTES
    table = _table(name, lines, _REQUIRED[name])
    c_pid, c_gid = table.header.index("participant"), table.index("group-id")
    vote_columns: list[tuple[int, int]] = []
    for i, column in enumerate(table.header):
        if column.isdecimal():  # the statement columns are named by comment-id
            sid = int(column)
            if sid not in known:
                raise PolisCsvError(Problem.UNKNOWN_COMMENT, file=name, line=1, column=column, value=column)
            vote_columns.append((i, sid))
    votes: list[Vote] = []
    groups: dict[Hashable, int | None] = {}
    order = 0
    for line, row in table.rows:
        if c_pid >= len(row):  # shorter rows are taken (blank votes), but not without the participant
            raise PolisCsvError(Problem.SHORT_ROW, file=name, line=line, found=len(row), expected=len(table.header))
        pid = ids(row[c_pid], (name, line, "participant"))
        if pid in groups:
            raise PolisCsvError(Problem.DUPLICATE_ID, file=name, line=line, column="participant", value=str(pid))
        gid = row[c_gid].strip() if c_gid is not None and c_gid < len(row) else ""
        groups[pid] = _identifier(gid, (name, line, "group-id")) if gid else None
        for i, sid in vote_columns:
            if i < len(row) and row[i].strip() != "":
                order += 1
                votes.append((pid, sid, _vote(row[i], (name, line, str(sid))), float(order)))
    return votes, (groups if c_gid is not None else None)


# --- Writing ---------------------------------------------------------------------------------------


def _datetime(ms: float) -> str:
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def _csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """CSV text of ``header`` and ``rows``. Every cell given as text (a statement, a topic, an id that is not a
    number) is neutralised so that no spreadsheet runs it as a formula; numbers are written as they are."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in itertools.chain([header], rows):
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue()


def export_texts(
    statements: Sequence[Statement],
    votes: Iterable[Vote],
    groups: Mapping[Hashable, int | None] | None = None,
    participants: Sequence[Hashable] | None = None,
) -> dict[str, str]:
    """The text of ``comments.csv``, ``votes.csv`` and ``participants-votes.csv``.

    ``votes`` are ``(participant, statement, vote, timestamp in ms)`` with agree = +1, the full
    history in any order (written oldest first; equal timestamps keep their order, and the later one
    counts as the latest). ``comments.csv`` counts and ``participants-votes.csv`` hold each
    participant's latest vote per statement; a participant's ``group-id`` comes from ``groups``
    (blank when ``None`` or absent). ``participants`` gives the rows of ``participants-votes.csv``
    in order (default: everyone who voted, in order of their first vote).
    """
    history = sorted(votes, key=lambda v: v[3])
    latest: dict[tuple[Hashable, int], int] = {}
    for pid, sid, vote, _ts in history:
        if vote not in (-1, 0, 1):
            raise ValueError(f"vote {vote} is not -1, 0 or 1")
        latest[(pid, sid)] = vote
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    cast: dict[Hashable, dict[int, int]] = {pid: {} for pid in participants or ()}
    for (pid, sid), vote in latest.items():
        cast.setdefault(pid, {})[sid] = vote
        if vote > 0:
            agrees[sid] = agrees.get(sid, 0) + 1
        elif vote < 0:
            disagrees[sid] = disagrees.get(sid, 0) + 1
    comments = _csv(
        COMMENTS_COLUMNS,
        (
            [
                s.timestamp or 0,
                _datetime(s.timestamp or 0),
                s.id,
                "" if s.author is None else s.author,
                agrees.get(s.id, 0),
                disagrees.get(s.id, 0),
                s.moderated,
                s.text,
            ]
            for s in statements
        ),
    )
    votes_text = _csv(VOTES_COLUMNS, ([int(ts), _datetime(ts), sid, pid, vote] for pid, sid, vote, ts in history))
    authored: dict[Hashable, int] = {}
    for s in statements:
        if s.author is not None:
            authored[s.author] = authored.get(s.author, 0) + 1
    sids = [s.id for s in statements]
    groups = groups or {}
    participant_votes = _csv(
        [*PARTICIPANT_COLUMNS, *sids],
        (
            [
                pid,
                "" if groups.get(pid) is None else groups[pid],
                authored.get(pid, 0),
                len(mine),
                sum(1 for x in mine.values() if x > 0),
                sum(1 for x in mine.values() if x < 0),
                *[mine.get(sid, "") for sid in sids],
            ]
            for pid, mine in cast.items()
        ),
    )
    return {COMMENTS: comments, VOTES: votes_text, PARTICIPANT_VOTES: participant_votes}


def summary_text(
    topic: str, description: str = "", *, voters: int, commenters: int, comments: int, groups: int | None = None
) -> str:
    """The text of a ``summary.csv`` as Pol.is writes it: rows of name and value, without a header. Only
    rows whose value is known are written (``groups`` is left out when there is no map)."""
    rows: list[tuple[str, object]] = [
        ("topic", topic),
        ("voters", voters),
        ("commenters", commenters),
        ("comments", comments),
    ]
    if groups is not None:
        rows.append(("groups", groups))
    rows.append(("conversation-description", description))
    return _csv(rows[0], rows[1:])  # the first row stands where the other files have their header


def groups_text(groups: Mapping[Hashable, int | None]) -> str:
    """A ``participant,group-id`` CSV of ``groups`` (blank = not in a group), in the given order."""
    return _csv(("participant", "group-id"), ([pid, "" if g is None else g] for pid, g in groups.items()))


def write_export(
    folder: str | Path,
    statements: Sequence[Statement],
    votes: Iterable[Vote],
    groups: Mapping[Hashable, int | None] | None = None,
) -> None:
    """Write ``comments.csv``, ``votes.csv`` and ``participants-votes.csv`` into ``folder`` (made if
    needed); see :func:`export_texts`."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    for name, text in export_texts(statements, votes, groups).items():
        with (root / name).open("w", newline="", encoding="utf-8") as handle:
            handle.write(text)
