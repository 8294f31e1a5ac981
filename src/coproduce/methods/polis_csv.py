"""Read and write Pol.is export folders (the CSV files of pol.is's "export" and of its open data).

A folder holds ``comments.csv`` and either ``votes.csv`` (every vote, with timestamps; a
participant's vote on a statement is the latest row) or, failing that, ``participants-votes.csv``
(one row per participant with their last vote on each statement, and Pol.is's ``group-id``).

Vote signs in these files are agree = +1, disagree = -1, pass = 0: the same as
:mod:`coproduce.methods.opinion`'s API (the Pol.is database and math use the opposite sign).

Errors are :class:`PolisCsvError` (a ``ValueError``) with a one-line message naming the file and,
where it applies, the column or line.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PolisCsvError", "PolisExport", "Statement", "read_export", "write_export"]

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

_REQUIRED_COMMENTS = ("comment-id", "moderated", "comment-body")
_REQUIRED_VOTES = ("comment-id", "voter-id", "vote")
_REQUIRED_PARTICIPANTS = ("participant",)


class PolisCsvError(ValueError):
    """A Pol.is export folder that cannot be read; the message names the file and column."""


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

    ``votes`` are ``(participant, statement, vote, timestamp)`` with agree = +1; timestamps are
    milliseconds, or the row number when the folder has no ``votes.csv``. ``groups`` is Pol.is's
    ``group-id`` per participant (``None`` = not clustered) when ``participants-votes.csv`` exists.
    """

    statements: list[Statement]
    votes: list[tuple[Hashable, int, int, float]]
    groups: dict[Hashable, int | None] | None = None
    source: str = "votes.csv"
    files: list[str] = field(default_factory=list)

    @property
    def statement_ids(self) -> list[int]:
        return [s.id for s in self.statements]

    @property
    def moderated_out(self) -> list[int]:
        return [s.id for s in self.statements if s.moderated < 0]


def _id(value: str) -> Hashable:
    value = value.strip()
    try:
        return int(value)
    except ValueError:
        return value


def _int(value: str, where: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        raise PolisCsvError(f"{where}: {value!r} is not a number") from None


def _open_rows(path: Path, required: Sequence[str]) -> tuple[list[str], Iterable[list[str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise PolisCsvError(f"{path.name}: cannot be read ({error.strerror})") from None
    reader = csv.reader(handle)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        handle.close()
        raise PolisCsvError(f"{path.name} is empty (no header row)") from None
    except (csv.Error, UnicodeDecodeError) as error:
        handle.close()
        raise PolisCsvError(f"{path.name}: not a readable CSV file ({error})") from None
    missing = [c for c in required if c not in header]
    if missing:
        handle.close()
        raise PolisCsvError(f"{path.name} has no {', '.join(repr(m) for m in missing)} column")

    def rows() -> Iterable[list[str]]:
        with handle:
            try:
                yield from reader
            except (csv.Error, UnicodeDecodeError) as error:
                raise PolisCsvError(f"{path.name}: not a readable CSV file ({error})") from None

    return header, rows()


def read_export(folder: str | Path) -> PolisExport:
    """Read a Pol.is export folder into plain data; raises :class:`PolisCsvError`."""
    root = Path(folder)
    if not root.is_dir():
        raise PolisCsvError(f"{root}: no such folder")
    comments_path = root / "comments.csv"
    if not comments_path.is_file():
        raise PolisCsvError(f"{root}: missing comments.csv")
    statements = _read_comments(comments_path)
    votes_path = root / "votes.csv"
    pv_path = root / "participants-votes.csv"
    groups = _read_groups(pv_path) if pv_path.is_file() else None
    if votes_path.is_file():
        votes = _read_votes(votes_path)
        return PolisExport(statements, votes, groups, "votes.csv", ["comments.csv", "votes.csv"])
    if pv_path.is_file():
        votes, groups = _read_participant_votes(pv_path, {s.id for s in statements})
        return PolisExport(
            statements, votes, groups, "participants-votes.csv", ["comments.csv", "participants-votes.csv"]
        )
    raise PolisCsvError(f"{root}: missing votes.csv (and no participants-votes.csv)")


def _read_comments(path: Path) -> list[Statement]:
    header, rows = _open_rows(path, _REQUIRED_COMMENTS)
    col = {name: i for i, name in enumerate(header)}
    out: list[Statement] = []
    seen: set[int] = set()
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        where = f"comments.csv line {line}"
        if len(row) < len(header):
            raise PolisCsvError(f"{where}: {len(row)} fields, expected {len(header)}")
        sid = _int(row[col["comment-id"]], f"{where}, column 'comment-id'")
        if sid in seen:
            raise PolisCsvError(f"{where}: comment-id {sid} appears twice")
        seen.add(sid)
        moderated = _int(row[col["moderated"]] or "0", f"{where}, column 'moderated'")
        timestamp = _int(row[col["timestamp"]], f"{where}, column 'timestamp'") if "timestamp" in col else None
        author = _id(row[col["author-id"]]) if "author-id" in col else None
        out.append(Statement(sid, row[col["comment-body"]], author, moderated, timestamp))
    return out


def _vote(value: str, where: str) -> int:
    vote = _int(value, where)
    if vote not in (-1, 0, 1):
        raise PolisCsvError(f"{where}: vote {vote} is not -1, 0 or 1")
    return vote


def _read_votes(path: Path) -> list[tuple[Hashable, int, int, float]]:
    header, rows = _open_rows(path, _REQUIRED_VOTES)
    col = {name: i for i, name in enumerate(header)}
    c_tid, c_pid, c_vote = col["comment-id"], col["voter-id"], col["vote"]
    c_ts = col.get("timestamp")
    out: list[tuple[Hashable, int, int, float]] = []
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        where = f"votes.csv line {line}"
        if len(row) < len(header):
            raise PolisCsvError(f"{where}: {len(row)} fields, expected {len(header)}")
        ts = float(_int(row[c_ts], f"{where}, column 'timestamp'")) if c_ts is not None else float(line)
        out.append(
            (
                _id(row[c_pid]),
                _int(row[c_tid], f"{where}, column 'comment-id'"),
                _vote(row[c_vote], f"{where}, column 'vote'"),
                ts,
            )
        )
    return out


def _read_groups(path: Path) -> dict[Hashable, int | None]:
    header, rows = _open_rows(path, _REQUIRED_PARTICIPANTS)
    c_pid = header.index("participant")
    c_gid = header.index("group-id") if "group-id" in header else None
    groups: dict[Hashable, int | None] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        gid = row[c_gid].strip() if c_gid is not None and c_gid < len(row) else ""
        groups[_id(row[c_pid])] = _int(gid, f"participants-votes.csv line {line}, column 'group-id'") if gid else None
    return groups


def _read_participant_votes(
    path: Path, statement_ids: set[int]
) -> tuple[list[tuple[Hashable, int, int, float]], dict[Hashable, int | None]]:
    header, rows = _open_rows(path, _REQUIRED_PARTICIPANTS)
    c_pid = header.index("participant")
    c_gid = header.index("group-id") if "group-id" in header else None
    vote_cols: list[tuple[int, int]] = []
    for i, name in enumerate(header):
        if name in PARTICIPANT_COLUMNS:
            continue
        try:
            sid = int(name)
        except ValueError:
            continue
        vote_cols.append((i, sid))
    if not vote_cols:
        raise PolisCsvError("participants-votes.csv has no statement columns (named by comment-id)")
    votes: list[tuple[Hashable, int, int, float]] = []
    groups: dict[Hashable, int | None] = {}
    order = 0
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        where = f"participants-votes.csv line {line}"
        pid = _id(row[c_pid])
        gid = row[c_gid].strip() if c_gid is not None and c_gid < len(row) else ""
        groups[pid] = _int(gid, f"{where}, column 'group-id'") if gid else None
        for i, sid in vote_cols:
            if i < len(row) and row[i].strip() != "":
                order += 1
                votes.append((pid, sid, _vote(row[i], f"{where}, column {sid!r}"), float(order)))
    del statement_ids
    return votes, groups


def _datetime(ms: float) -> str:
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    return moment.strftime("%a %b %d %H:%M:%S UTC %Y")


def write_export(
    folder: str | Path,
    statements: Sequence[Statement],
    votes: Iterable[tuple[Hashable, int, int, float]],
    groups: Mapping[Hashable, int | None] | None = None,
) -> None:
    """Write ``comments.csv``, ``votes.csv`` and ``participants-votes.csv`` into ``folder``.

    ``votes`` are ``(participant, statement, vote, timestamp in ms)`` with agree = +1, the full
    history in any order (written oldest first); ``participants-votes.csv`` holds each
    participant's latest vote per statement and their ``group-id`` from ``groups`` (blank when
    ``None`` or absent).
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    history = sorted(votes, key=lambda v: v[3])
    latest: dict[tuple[Hashable, int], int] = {}
    for pid, sid, vote, _ts in history:
        if vote not in (-1, 0, 1):
            raise ValueError(f"vote {vote} is not -1, 0 or 1")
        latest[(pid, sid)] = vote
    agrees: dict[int, int] = {}
    disagrees: dict[int, int] = {}
    for (_pid, sid), vote in latest.items():
        if vote > 0:
            agrees[sid] = agrees.get(sid, 0) + 1
        elif vote < 0:
            disagrees[sid] = disagrees.get(sid, 0) + 1
    with (root / "comments.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COMMENTS_COLUMNS)
        for s in statements:
            ts = s.timestamp or 0
            writer.writerow(
                [
                    ts,
                    _datetime(ts),
                    s.id,
                    "" if s.author is None else s.author,
                    agrees.get(s.id, 0),
                    disagrees.get(s.id, 0),
                    s.moderated,
                    s.text,
                ]
            )
    with (root / "votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(VOTES_COLUMNS)
        for pid, sid, vote, when in history:
            writer.writerow([int(when), _datetime(when), sid, pid, vote])
    participants: dict[Hashable, dict[int, int]] = {}
    for (pid, sid), vote in latest.items():
        participants.setdefault(pid, {})[sid] = vote
    authored: dict[Hashable, int] = {}
    for s in statements:
        if s.author is not None:
            authored[s.author] = authored.get(s.author, 0) + 1
    sids = [s.id for s in statements]
    with (root / "participants-votes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*PARTICIPANT_COLUMNS, *sids])
        for pid, cast in participants.items():
            group = (groups or {}).get(pid)
            writer.writerow(
                [
                    pid,
                    "" if group is None else group,
                    authored.get(pid, 0),
                    len(cast),
                    sum(1 for x in cast.values() if x > 0),
                    sum(1 for x in cast.values() if x < 0),
                    *[cast.get(sid, "") for sid in sids],
                ]
            )
