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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from coproduce.methods.equal_shares import Instance

SECTIONS = ("META", "PROJECTS", "VOTES")
APPROVAL_TYPES = ("approval", "choose-1")
POINT_TYPES = ("cumulative", "scoring")


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
    """An election as plain data. Values are the file's text; ``budget`` and ``costs`` are parsed."""

    meta: Mapping[str, str]
    project_columns: tuple[str, ...]
    projects: Sequence[Mapping[str, str]]
    vote_columns: tuple[str, ...]
    votes: Sequence[Mapping[str, str]]

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval")

    @property
    def budget(self) -> Decimal:
        return _number(self.meta["budget"]) or Decimal(0)

    @property
    def costs(self) -> dict[str, Decimal]:
        return {p["project_id"]: _number(p["cost"]) or Decimal(0) for p in self.projects}

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
                    points = [int(_number(x) or 0) for x in _split(key[1])]
                    ballot = dict(zip(projects, points, strict=True))
                else:
                    ballot = dict.fromkeys(projects, 1)
                shared[key] = ballot
            result.append(ballot)
        return result


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _number(text: str) -> Decimal | None:
    """A number written with ``.`` or ``,`` as the decimal separator; None if it is not one."""
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _rows(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    kept = [(number, text) for number, text in lines if text.strip()]
    reader = csv.reader((text for _, text in kept), delimiter=";", quotechar='"')
    return [(number, [f.strip() for f in fields]) for (number, _), fields in zip(kept, reader, strict=True)]


def parse_pb(text: str, *, name: str = "") -> PbFile:
    """Parse the text of a ``.pb`` file; raise :class:`PabulibError` for a malformed one."""

    def fail(line: int, reason: str) -> PabulibError:
        return PabulibError(line, reason, name=name)

    sections: dict[str, tuple[int, list[tuple[int, str]]]] = {}
    current: str | None = None
    lines = text.lstrip("\ufeff").splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if stripped.upper() in SECTIONS and ";" not in stripped:
            current = stripped.upper()
            if current in sections:
                raise fail(number, f"the section {current} appears twice")
            sections[current] = (number, [])
        elif current is None:
            if stripped:
                raise fail(number, "text before the META section")
        else:
            sections[current][1].append((number, raw))
    last = len(lines)
    for section in SECTIONS:
        if section not in sections:
            raise fail(last, f"the {section} section is missing")

    meta_start, meta_lines = sections["META"]
    meta: dict[str, str] = {}
    budget_line = meta_start
    for number, fields in _rows(meta_lines):
        if fields[:2] == ["key", "value"]:
            continue
        if len(fields) < 2:
            raise fail(number, "a META row needs a key and a value separated by ';'")
        meta[fields[0]] = ";".join(fields[1:])
        if fields[0] == "budget":
            budget_line = number
    if "budget" not in meta:
        raise fail(meta_start, "META has no budget")
    budget = _number(meta["budget"])
    if budget is None:
        raise fail(budget_line, f"the budget {meta['budget']!r} is not a number")
    if budget <= 0:
        raise fail(budget_line, "the budget must be more than zero")
    vote_type = meta.get("vote_type", "approval")

    projects_start, project_lines = sections["PROJECTS"]
    project_rows = _rows(project_lines)
    if not project_rows:
        raise fail(projects_start, "the PROJECTS section has no header row")
    header_line, project_columns = project_rows[0]
    if project_columns[:1] != ["project_id"] or "cost" not in project_columns:
        raise fail(header_line, "the PROJECTS header must start with project_id and name a cost column")
    projects: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, fields in project_rows[1:]:
        if len(fields) != len(project_columns):
            raise fail(number, f"expected {len(project_columns)} fields, found {len(fields)}")
        row = dict(zip(project_columns, fields, strict=True))
        project_id = row["project_id"]
        if not project_id:
            raise fail(number, "a project has no id")
        if project_id in seen:
            raise fail(number, f"project {project_id!r} appears twice")
        seen.add(project_id)
        cost = _number(row["cost"])
        if cost is None:
            raise fail(number, f"the cost {row['cost']!r} of project {project_id!r} is not a number")
        if cost < 0:
            raise fail(number, f"the cost of project {project_id!r} is negative")
        if cost > budget:
            raise fail(number, f"the cost of project {project_id!r} ({row['cost']}) is more than the budget")
        projects.append(row)

    votes_start, vote_lines = sections["VOTES"]
    vote_rows = _rows(vote_lines)
    if not vote_rows:
        raise fail(votes_start, "the VOTES section has no header row")
    header_line, vote_columns = vote_rows[0]
    if vote_columns[:1] != ["voter_id"] or "vote" not in vote_columns:
        raise fail(header_line, "the VOTES header must start with voter_id and name a vote column")
    if vote_type in POINT_TYPES and "points" not in vote_columns:
        raise fail(header_line, f"{vote_type} votes need a points column")
    votes: list[dict[str, str]] = []
    for number, fields in vote_rows[1:]:
        if len(fields) != len(vote_columns):
            raise fail(number, f"expected {len(vote_columns)} fields, found {len(fields)}")
        row = dict(zip(vote_columns, fields, strict=True))
        chosen = _split(row["vote"])
        for project_id in chosen:
            if project_id not in seen:
                raise fail(number, f"a vote for project {project_id!r}, which is not in PROJECTS")
        if len(set(chosen)) != len(chosen):
            raise fail(number, "a vote names the same project twice")
        if vote_type in POINT_TYPES:
            points = _split(row["points"])
            if len(points) != len(chosen):
                raise fail(number, f"{len(chosen)} projects but {len(points)} points")
            for value in points:
                parsed = _number(value)
                if parsed is None or parsed < 0 or parsed != parsed.to_integral_value():
                    raise fail(number, f"the points {value!r} are not a whole number >= 0")
        votes.append(row)
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
    """The text of a ``.pb`` file for ``pb`` (fields quoted only when they must be)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in pb.meta.items():
        writer.writerow([key, value])
    out.write("PROJECTS\n")
    writer.writerow(pb.project_columns)
    for project in pb.projects:
        writer.writerow([project.get(c, "") for c in pb.project_columns])
    out.write("VOTES\n")
    writer.writerow(pb.vote_columns)
    for vote in pb.votes:
        writer.writerow([vote.get(c, "") for c in pb.vote_columns])
    return out.getvalue()


def to_instance(pb: PbFile) -> Instance:
    """The election as an :class:`Instance` (approval and choose-1 as approval; cumulative and scoring as points).

    Raises :class:`PabulibError` for other ballot types and for amounts that are not whole currency units.
    """
    if pb.vote_type in APPROVAL_TYPES:
        kind: str = "approval"
    elif pb.vote_type in POINT_TYPES:
        kind = "cumulative"
    else:
        raise PabulibError(0, f"{pb.vote_type} ballots are not supported: use approval or cumulative ballots")
    budget = pb.budget
    if budget != budget.to_integral_value():
        raise PabulibError(0, f"the budget {pb.meta['budget']} is not a whole number of currency units")
    costs: dict[str, int] = {}
    for project_id, cost in pb.costs.items():
        if cost != cost.to_integral_value():
            raise PabulibError(0, f"the cost of project {project_id!r} is not a whole number of currency units")
        costs[project_id] = int(cost)
    return Instance(
        budget=int(budget),
        costs=costs,
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
