"""Reading and writing participatory budgeting elections in the Pabulib ``.pb`` format (https://pabulib.org).

A ``.pb`` file has three sections, each introduced by a line holding only its name: ``META`` (``key;value``
rows), ``PROJECTS`` (a header row naming the columns, starting ``project_id;cost``, then one row per
project) and ``VOTES`` (a header row starting ``voter_id;vote``, then one row per voter; ``vote`` is a
comma-separated list of project ids, and cumulative or scoring ballots add ``points`` in the same order).
Fields are ``;``-separated and may be quoted with ``"``.

:func:`parse_pb` turns the text into a :class:`PbFile` of plain data (every field kept as text, so a file
read and written again keeps its columns), checking what an election needs: all three sections, a
positive budget, numeric costs no larger than the budget, votes and points only for known projects.
Anything wrong raises :class:`PabulibError` naming the line and the reason. :func:`write_pb` writes a
:class:`PbFile` back; :func:`to_instance` makes an :class:`~coproduce.methods.equal_shares.Instance`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from coproduce.methods.csv_cells import neutralise, restore
from coproduce.methods.equal_shares import Instance

SECTIONS = ("META", "PROJECTS", "VOTES")
APPROVAL_TYPES = ("approval", "choose-1")
POINT_TYPES = ("cumulative", "scoring")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "ordinal", "scoring")  # the format's; to_instance takes four
MAX_AMOUNT = 10_000_000_000  # the largest budget or cost, in whole currency units (ten thousand million)
MAX_POINTS = 1_000_000  # the most points one ballot may give, all its projects together
_NUMBER_CHARS = 40  # a number written with more characters than this is refused before it is read

# Fields the format reads as numbers or identifiers: written and read exactly as they are. Every other field
# (names, descriptions, categories: text people wrote) is neutralised for spreadsheets when written and
# restored when read (:mod:`coproduce.methods.csv_cells`), so that a file we write reads back the same.
_AS_IS_COLUMNS = frozenset(
    {"project_id", "cost", "votes", "score", "selected", "latitude", "longitude", "voter_id", "vote", "points", "age"}
)
_AS_IS_META = frozenset(
    {
        "budget",
        "num_projects",
        "num_votes",
        "min_length",
        "max_length",
        "min_sum_cost",
        "max_sum_cost",
        "min_points",
        "max_points",
        "min_sum_points",
        "max_sum_points",
        "default_score",
        "date_begin",
        "date_end",
    }
)
_NUMBER = re.compile(r"([+-]?)([0-9]+)(?:[.,]([0-9]+))?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class PabulibError(ValueError):
    """A malformed ``.pb`` file: ``line`` is the 1-based line number (0 when the file as a whole is wrong)."""

    def __init__(self, line: int, reason: str, *, name: str = "") -> None:
        self.line = line
        self.reason = reason
        self.name = name
        where = f"{name}: " if name else ""
        super().__init__(f"{where}line {line}: {reason}" if line else f"{where}{reason}")


@dataclass(frozen=True)
class PbFile:
    """An election as plain data. Values are the file's text; ``budget``, ``costs`` and ``ballots()`` are
    parsed (as :func:`parse_pb` checks them; :class:`PabulibError` for values it would refuse)."""

    meta: Mapping[str, str]
    project_columns: tuple[str, ...]
    projects: Sequence[Mapping[str, str]]
    vote_columns: tuple[str, ...]
    votes: Sequence[Mapping[str, str]]

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    @property
    def budget(self) -> int:
        return amount(self.meta["budget"], "the budget")

    @property
    def costs(self) -> dict[str, int]:
        return {p["project_id"]: amount(p["cost"], f"the cost of project {p['project_id']!r}") for p in self.projects}

    def ballots(self) -> list[dict[str, int]]:
        """One mapping per voter: project id -> weight (approval: 1; cumulative/scoring: the points)."""
        points_kind = self.vote_type in POINT_TYPES
        result = []
        shared: dict[tuple[str, str], dict[str, int]] = {}  # identical ballots share one mapping
        for vote in self.votes:
            key = (vote.get("vote", ""), vote.get("points", "") if points_kind else "")
            ballot = shared.get(key)
            if ballot is None:
                projects = _split(key[0])
                if points_kind:
                    points = [whole(x, "a points value", MAX_POINTS) for x in _split(key[1])]
                    if len(points) != len(projects):
                        raise PabulibError(0, f"{len(projects)} projects but {len(points)} points")
                    ballot = dict(zip(projects, points, strict=True))
                else:
                    ballot = dict.fromkeys(projects, 1)
                shared[key] = ballot
            result.append(ballot)
        return result


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _shown(text: str) -> str:
    """``text`` for a message, cut short when it is long."""
    return text if len(text) <= 24 else text[:20] + "…"


def whole(text: str, what: str, maximum: int) -> int:
    """A whole number from 0 to ``maximum`` written in digits ("1200", "1 200", "1200.00" or "1200,0");
    :class:`PabulibError` (line 0) naming ``what`` for anything else: exponents, fractions, signs, too many
    digits. The length is checked before the digits are read, so no number in a file costs much to refuse."""
    cleaned = text.strip().replace(" ", "")
    found = _NUMBER.fullmatch(cleaned) if len(cleaned) <= _NUMBER_CHARS else None
    what = f"{what} ({_shown(text.strip())})"
    if found is None:
        raise PabulibError(0, f"{what} is not a number written in digits")
    sign, digits, fraction = found.groups()
    if fraction and fraction.strip("0"):
        raise PabulibError(0, f"{what} is not a whole number")
    value = int(digits)
    if sign == "-" and value:
        raise PabulibError(0, f"{what} is negative")
    if value > maximum:
        raise PabulibError(0, f"{what} is more than {maximum:,}")
    return value


def amount(text: str, what: str) -> int:
    """A budget or a cost: a whole number of currency units from 0 to :data:`MAX_AMOUNT` (see :func:`whole`)."""
    return whole(text, what, MAX_AMOUNT)


def _lines(text: str) -> list[str]:
    """The file's lines: a record is one line, ended by a line feed, a carriage return or both."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _sections(text: str, lines: list[str], fail: Callable[[int, str], PabulibError]) -> dict[str, tuple[int, int]]:
    """Each section's lines, as ``(first, end)`` indexes into ``lines``; ``first``, the index of the line after
    the section's name, is also the line number of its name (numbered from 1). The first problem in the file is
    raised: a NUL character, text before the first section, a section named twice."""
    problems: list[tuple[int, str]] = []  # (line number, reason)
    if "\x00" in text:
        number = next(n for n, raw in enumerate(lines, start=1) if "\x00" in raw)
        problems.append((number, "a NUL character (this is not a text file)"))
    starts: dict[str, int] = {}
    for index in [i for i, raw in enumerate(lines) if ";" not in raw]:  # a section's name is a line of its own
        name = lines[index].strip().upper()
        if name in SECTIONS:
            if name in starts:
                problems.append((index + 1, f"the section {name} appears twice"))
                break
            starts[name] = index
    first = min(starts.values(), default=len(lines))
    before = next((i for i in range(first) if lines[i].strip()), None)
    if before is not None:
        problems.append((before + 1, "text before the META section"))
    if problems:
        raise fail(*min(problems, key=lambda problem: problem[0]))  # the earliest; NUL first on the same line
    for section in SECTIONS:
        if section not in starts:
            raise fail(len(lines), f"the {section} section is missing")
    ordered = sorted(starts.values())
    ends = dict(zip(ordered, [*ordered[1:], len(lines)], strict=True))
    return {name: (start + 1, ends[start]) for name, start in starts.items()}


def _rows(
    lines: list[str], first: int, end: int, fail: Callable[[int, str], PabulibError]
) -> list[tuple[int, list[str]]]:
    """The rows of ``lines[first:end]`` that are not blank, as fields, with their line numbers. A record is one
    line: a quote left open (which would run on into the next line) or a stray quote is an error on that line.
    A line without a quote is split at its ``;`` (what the csv module makes of it); a line with one is read
    by the csv module, given the lines after it as it would be reading the whole section."""
    section = lines[first:end]
    if not any('"' in raw for raw in section):
        if "\n".join(section).split() == section:
            # No quotes, blank lines or blanks in a field (a file's votes, usually): each line split at its ';'.
            return list(zip(range(first + 1, end + 1), map(str.split, section, repeat(";")), strict=True))
        # No quotes: split at ';', stripping the fields of lines with blanks, leaving out blank lines.
        return [
            (number, raw.split(";") if raw.split() == [raw] else [f.strip() for f in raw.split(";")])
            for number, raw in enumerate(section, start=first + 1)
            if raw.strip()
        ]
    rows: list[tuple[int, list[str]]] = []
    for index in range(first, end):
        raw = lines[index]
        if '"' in raw:
            fields = [f.strip() for f in _quoted(lines, index, end, fail)]
        elif raw.strip():
            fields = [f.strip() for f in raw.split(";")]
        else:
            continue
        rows.append((index + 1, fields))
    return rows


def _quoted(lines: list[str], index: int, end: int, fail: Callable[[int, str], PabulibError]) -> list[str]:
    """The fields of ``lines[index]``, which holds a quote."""
    rest = (lines[i] for i in range(index, end) if lines[i].strip())  # read forward only as far as needed
    reader = csv.reader(rest, delimiter=";", quotechar='"', strict=True)
    try:
        fields = next(reader)
    except csv.Error as error:
        if "end of data" in str(error):
            raise fail(index + 1, 'a quote (") is opened but not closed on this line') from None
        raise fail(index + 1, f"the line cannot be read ({error})") from None
    if reader.line_num != 1:
        raise fail(index + 1, 'a quote (") is opened but not closed on this line')
    return fields


def _ballot_problem(ballot: tuple[str, str], points_kind: bool, projects: set[str]) -> str | None:
    """What is wrong with a ballot (``vote``, ``points``), if anything: a project not in the file or named
    twice; points that are not whole numbers, do not match its projects or add up to more than
    :data:`MAX_POINTS`."""
    chosen = _split(ballot[0])
    for project_id in chosen:
        if project_id not in projects:
            return f"a vote for project {project_id!r}, which is not in PROJECTS"
    if len(set(chosen)) != len(chosen):
        return "a vote names the same project twice"
    if points_kind:
        points = _split(ballot[1])
        if len(points) != len(chosen):
            return f"{len(chosen)} projects but {len(points)} points"
        total = 0
        for value in points:
            try:
                total += whole(value, "a points value", MAX_POINTS)
            except PabulibError as error:
                return error.reason
        if total > MAX_POINTS:
            return f"the points add up to {total:,}, more than {MAX_POINTS:,}"
    return None


def _votes_at_once(
    rows: list[tuple[int, list[str]]],
    columns: Sequence[str],
    text_columns: Sequence[str],
    points_kind: bool,
    projects: set[str],
) -> list[dict[str, str]] | None:
    """The vote rows as records when none has a problem, each check made on all the rows at once (much faster
    than row by row); ``None`` when one has a problem, for :func:`_votes_one_by_one` to find and name."""
    width = len(columns)
    if any(len(fields) != width for _, fields in rows):
        return None
    voters = [fields[0] for _, fields in rows]
    if "" in voters or len(set(voters)) != len(voters):
        return None
    vote_at = columns.index("vote")
    if points_kind:
        points_at = columns.index("points")
        ballots = {(fields[vote_at], fields[points_at]) for _, fields in rows}
    else:
        ballots = {(fields[vote_at], "") for _, fields in rows}
    if any(_ballot_problem(ballot, points_kind, projects) for ballot in ballots):
        return None
    records = [dict(zip(columns, fields, strict=True)) for _, fields in rows]
    for column in text_columns:
        at = columns.index(column)
        if any(fields[at].startswith("'") for _, fields in rows):
            for record in records:
                if record[column].startswith("'"):
                    record[column] = restore(record[column])
    return records


def _votes_one_by_one(
    rows: list[tuple[int, list[str]]],
    columns: Sequence[str],
    text_columns: Sequence[str],
    points_kind: bool,
    projects: set[str],
    fail: Callable[[int, str], PabulibError],
) -> list[dict[str, str]]:
    """The vote rows as records, checked row by row: the first problem is raised with its line."""
    width = len(columns)
    votes: list[dict[str, str]] = []
    voters: set[str] = set()
    # Many voters cast the same ballot: each different (vote, points) is checked once, on its first line.
    good_ballots: set[tuple[str, str]] = set()
    for number, fields in rows:
        if len(fields) != width:
            raise fail(number, f"expected {width} fields, found {len(fields)}")
        row = _record(columns, text_columns, fields)
        voter_id = row["voter_id"]
        if not voter_id:
            raise fail(number, "a voter has no id")
        voters.add(voter_id)
        if len(voters) == len(votes):
            raise fail(number, f"voter {voter_id!r} appears twice")
        ballot = (row["vote"], row["points"] if points_kind else "")
        if ballot not in good_ballots:
            problem = _ballot_problem(ballot, points_kind, projects)
            if problem:
                raise fail(number, problem)
            good_ballots.add(ballot)
        votes.append(row)
    return votes


def _record(columns: Sequence[str], text_columns: Sequence[str], fields: list[str]) -> dict[str, str]:
    """A row as ``{column: field}``, its text fields (``text_columns``: those not in :data:`_AS_IS_COLUMNS`)
    restored."""
    row = dict(zip(columns, fields, strict=True))
    for column in text_columns:
        if row[column].startswith("'"):
            row[column] = restore(row[column])
    return row


def parse_pb(text: str, *, name: str = "") -> PbFile:
    """Parse the text of a ``.pb`` file; raise :class:`PabulibError` for a malformed one."""

    def fail(line: int, reason: str) -> PabulibError:
        return PabulibError(line, reason, name=name)

    def checked(line: int, text: str, what: str, maximum: int = MAX_AMOUNT) -> int:
        """The whole number in ``text`` (see :func:`whole`), or its error on ``line``."""
        try:
            return whole(text, what, maximum)
        except PabulibError as error:
            raise fail(line, error.reason) from None

    lines = _lines(text.removeprefix("\ufeff"))
    sections = _sections(text, lines, fail)

    meta_start, meta_end = sections["META"]
    meta: dict[str, str] = {}
    meta_line: dict[str, int] = {}
    for number, fields in _rows(lines, meta_start, meta_end, fail):
        if fields[:2] == ["key", "value"]:
            continue
        if len(fields) < 2:
            raise fail(number, "a META row needs a key and a value separated by ';'")
        key, value = fields[0], ";".join(fields[1:])
        if key in meta:
            raise fail(number, f"the META key {key!r} appears twice")
        meta[key] = value if key in _AS_IS_META else restore(value)
        meta_line[key] = number
    if "budget" not in meta:
        raise fail(meta_start, "META has no budget")
    budget = checked(meta_line["budget"], meta["budget"], "the budget")
    if budget <= 0:
        raise fail(meta_line["budget"], "the budget must be more than zero")
    vote_type = meta.get("vote_type", "approval")
    if vote_type not in VOTE_TYPES:
        raise fail(meta_line["vote_type"], f"the vote_type {_shown(vote_type)!r} is not one of {', '.join(VOTE_TYPES)}")

    projects_start, projects_end = sections["PROJECTS"]
    project_rows = _rows(lines, projects_start, projects_end, fail)
    if not project_rows:
        raise fail(projects_start, "the PROJECTS section has no header row")
    header_line, project_columns = project_rows[0]
    if project_columns[:1] != ["project_id"] or "cost" not in project_columns:
        raise fail(header_line, "the PROJECTS header must start with project_id and name a cost column")
    if len(set(project_columns)) != len(project_columns):
        raise fail(header_line, "the PROJECTS header names a column twice")
    project_text = [c for c in project_columns if c not in _AS_IS_COLUMNS]
    projects: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, fields in project_rows[1:]:
        if len(fields) != len(project_columns):
            raise fail(number, f"expected {len(project_columns)} fields, found {len(fields)}")
        row = _record(project_columns, project_text, fields)
        project_id = row["project_id"]
        if not project_id:
            raise fail(number, "a project has no id")
        if project_id in seen:
            raise fail(number, f"project {project_id!r} appears twice")
        seen.add(project_id)
        cost = checked(number, row["cost"], f"the cost of project {project_id!r}")
        if cost > budget:
            raise fail(number, f"the cost of project {project_id!r} ({row['cost']}) is more than the budget")
        projects.append(row)

    votes_start, votes_end = sections["VOTES"]
    vote_rows = _rows(lines, votes_start, votes_end, fail)
    if not vote_rows:
        raise fail(votes_start, "the VOTES section has no header row")
    header_line, vote_columns = vote_rows[0]
    if vote_columns[:1] != ["voter_id"] or "vote" not in vote_columns:
        raise fail(header_line, "the VOTES header must start with voter_id and name a vote column")
    if len(set(vote_columns)) != len(vote_columns):
        raise fail(header_line, "the VOTES header names a column twice")
    if vote_type in POINT_TYPES and "points" not in vote_columns:
        raise fail(header_line, f"{vote_type} votes need a points column")
    vote_text = [c for c in vote_columns if c not in _AS_IS_COLUMNS]
    points_kind = vote_type in POINT_TYPES
    rows = vote_rows[1:]
    votes = _votes_at_once(rows, vote_columns, vote_text, points_kind, seen)
    if votes is None:  # something is wrong: find the first line with a problem
        votes = _votes_one_by_one(rows, vote_columns, vote_text, points_kind, seen, fail)
    for key, found in (("num_projects", len(projects)), ("num_votes", len(votes))):
        if key in meta:
            said = checked(meta_line[key], meta[key], key, 10**9)
            if said != found:
                raise fail(meta_line[key], f"{key} is {said}, but the file has {found}")
    return PbFile(
        meta=meta,
        project_columns=tuple(project_columns),
        projects=tuple(projects),
        vote_columns=tuple(vote_columns),
        votes=tuple(votes),
    )


def read_pb(path: str | Path) -> PbFile:
    """Read and parse a ``.pb`` file (UTF-8)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise PabulibError(0, f"not UTF-8 text ({error.reason})", name=path.name) from None
    return parse_pb(text, name=path.name)


def write_pb(pb: PbFile) -> str:
    """The text of a ``.pb`` file for ``pb`` (fields quoted only when they must be). A record is one line, so a
    line break inside a field is written as a space; text fields are neutralised for spreadsheets (and
    :func:`parse_pb` restores them, so the file reads back as ``pb``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL)

    def cell(value: str, *, as_is: bool) -> str:
        value = _LINE_BREAK.sub(" ", value)
        return value if as_is else neutralise(value)

    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([cell(key, as_is=True), cell(value, as_is=key in _AS_IS_META)])
    out.write("PROJECTS\n")
    writer.writerow(pb.project_columns)
    for project in pb.projects:
        writer.writerow([cell(project.get(c, ""), as_is=c in _AS_IS_COLUMNS) for c in pb.project_columns])
    out.write("VOTES\n")
    writer.writerow(pb.vote_columns)
    for vote in pb.votes:
        writer.writerow([cell(vote.get(c, ""), as_is=c in _AS_IS_COLUMNS) for c in pb.vote_columns])
    return out.getvalue()


def to_instance(pb: PbFile) -> Instance:
    """The election as an :class:`Instance` (approval and choose-1 as approval; cumulative and scoring as points).

    Raises :class:`PabulibError` for other ballot types (and for amounts :func:`parse_pb` would refuse).
    """
    if pb.vote_type in APPROVAL_TYPES:
        kind: str = "approval"
    elif pb.vote_type in POINT_TYPES:
        kind = "cumulative"
    else:
        raise PabulibError(0, f"{pb.vote_type} ballots are not supported: use approval or cumulative ballots")
    return Instance(
        budget=pb.budget,
        costs=pb.costs,
        ballots=pb.ballots(),
        kind="approval" if kind == "approval" else "cumulative",
    )


def from_instance(
    instance: Instance,
    *,
    meta: Mapping[str, str] | None = None,
    selected: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
) -> PbFile:
    """A :class:`PbFile` for an instance; voters are numbered 1, 2, ... (nothing else about them is written)."""
    full_meta = {
        "description": "",
        "num_projects": str(len(instance.costs)),
        "num_votes": str(len(instance.ballots)),
        "budget": str(instance.budget),
        "vote_type": instance.kind,
    }
    full_meta.update(meta or {})
    full_meta["budget"] = str(instance.budget)
    full_meta["vote_type"] = instance.kind
    chosen = set(selected)
    votes_for = dict.fromkeys(instance.costs, 0)
    for ballot in instance.ballots:
        for project, weight in ballot.items():
            if weight > 0:
                votes_for[project] += weight if instance.kind == "cumulative" else 1
    project_columns: tuple[str, ...] = ("project_id", "cost", "votes", "name", "selected")
    projects = [
        {
            "project_id": p,
            "cost": str(cost),
            "votes": str(votes_for[p]),
            "name": (names or {}).get(p, ""),
            "selected": "1" if p in chosen else "0",
        }
        for p, cost in instance.costs.items()
    ]
    vote_columns: tuple[str, ...] = ("voter_id", "vote")
    if instance.kind == "cumulative":
        vote_columns += ("points",)
    votes = []
    for number, ballot in enumerate(instance.ballots, start=1):
        backed = [(p, w) for p, w in ballot.items() if w > 0]
        row = {"voter_id": str(number), "vote": ",".join(p for p, _ in backed)}
        if instance.kind == "cumulative":
            row["points"] = ",".join(str(w) for _, w in backed)
        votes.append(row)
    return PbFile(
        meta=full_meta,
        project_columns=project_columns,
        projects=tuple(projects),
        vote_columns=vote_columns,
        votes=tuple(votes),
    )
