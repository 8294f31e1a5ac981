"""Reading and writing ranked-ballot elections in the BLT format (as published for Scottish council elections).

A BLT file is::

    C S                 number of candidates, number of seats
    -2                  optional: withdrawn candidates as negative numbers
    w c1 c2 ... 0       w voters ranked candidate c1 first, c2 second, ...; 0 ends the line
    ...
    0                   a line holding only 0 ends the ballots
    "Name 1"            C lines of candidate names, in number order (CSV-quoted or plain)
    ...
    "Title"             optional: the election's title

Candidates are numbered from 1, as in the file. Bad input raises :class:`BltError`, naming the line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Ballot", "BltError", "Election", "parse_blt", "read_blt", "write_blt"]


class BltError(ValueError):
    """A malformed BLT file: ``line`` is the 1-based line number (0 when the file as a whole is wrong)."""

    def __init__(self, line: int, reason: str, *, name: str = "") -> None:
        self.line = line
        self.reason = reason
        self.name = name
        where = f"{name}: " if name else ""
        super().__init__(f"{where}line {line}: {reason}" if line else f"{where}{reason}")


@dataclass(frozen=True)
class Ballot:
    """``weight`` voters who ranked the candidates ``ranking`` (numbers from 1), most preferred first."""

    weight: int
    ranking: tuple[int, ...]


@dataclass(frozen=True)
class Election:
    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[int] = field(default_factory=frozenset)
    title: str = ""

    def name(self, number: int) -> str:
        """The name of candidate ``number`` (from 1)."""
        return self.candidates[number - 1]


def _int(token: str, line: int, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise BltError(line, f"{what} {token!r} is not a whole number.") from None


def _unquote(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        return next(csv.reader([text]))[0].strip()
    return text


def parse_blt(text: str, *, name: str = "") -> Election:
    """The election in the BLT ``text``; :class:`BltError` if it is malformed."""
    try:
        return _parse(text, name)
    except BltError as error:
        if error.name or not name:
            raise
        raise BltError(error.line, error.reason, name=name) from None


def _parse(text: str, name: str) -> Election:
    def fail(line: int, reason: str) -> BltError:
        return BltError(line, reason, name=name)

    lines = text.splitlines()
    # Blank lines carry nothing; keep each line's number for the messages.
    numbered = [(i, line.strip()) for i, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise fail(0, "the file is empty.")
    at = 0
    number, header = numbered[at]
    parts = header.split()
    if len(parts) != 2:
        raise fail(number, "the first line must hold two numbers: candidates and seats.")
    candidates = _int(parts[0], number, "the number of candidates")
    seats = _int(parts[1], number, "the number of seats")
    if candidates < 1:
        raise fail(number, f"the number of candidates must be at least 1, not {candidates}.")
    if not 1 <= seats <= candidates:
        raise fail(number, f"the number of seats must be between 1 and {candidates}, not {seats}.")
    at += 1
    withdrawn: set[int] = set()
    while at < len(numbered) and numbered[at][1].startswith("-"):
        number, line = numbered[at]
        for token in line.split():
            value = _int(token, number, "the withdrawn candidate")
            if not -candidates <= value <= -1:
                raise fail(number, f"there is no candidate {-value} to withdraw.")
            withdrawn.add(-value)
        at += 1
    ballots: list[Ballot] = []
    ended = False
    while at < len(numbered):
        number, line = numbered[at]
        at += 1
        tokens = line.split()
        if tokens == ["0"]:
            ended = True
            break
        if tokens[0].startswith("(") and tokens[0].endswith(")"):
            tokens = tokens[1:]  # an optional ballot id
        if not tokens or tokens[-1] != "0":
            raise fail(number, "a ballot line must end with 0 (or the ballots must end with a line holding only 0).")
        try:
            weight = int(tokens[0])
        except ValueError:
            raise fail(number, f"the weight {tokens[0]!r} is not a whole number.") from None
        if weight < 0:
            raise fail(number, f"the weight {weight} is negative.")
        ranking: list[int] = []
        for token in tokens[1:-1]:
            if "=" in token:
                raise fail(number, "equal rankings ('=') are not supported.")
            choice = _int(token, number, "the preference")
            if not 1 <= choice <= candidates:
                raise fail(number, f"there is no candidate {choice} (candidates are 1 to {candidates}).")
            if choice in ranking:
                raise fail(number, f"candidate {choice} is ranked twice.")
            ranking.append(choice)
        ballots.append(Ballot(weight, tuple(ranking)))
    if not ended:
        raise fail(numbered[-1][0], "the ballots do not end with a line holding only 0.")
    rest = numbered[at:]
    if len(rest) < candidates:
        last = rest[-1][0] if rest else numbered[-1][0]
        raise fail(last, f"expected {candidates} candidate names after the ballots, found {len(rest)}.")
    if len(rest) > candidates + 1:
        raise fail(rest[candidates + 1][0], f"unexpected line after {candidates} candidate names and the title.")
    names = tuple(_unquote(line) for _, line in rest[:candidates])
    title = _unquote(rest[candidates][1]) if len(rest) > candidates else ""
    return Election(names, seats, tuple(ballots), frozenset(withdrawn), title)


def read_blt(path: str | Path) -> Election:
    """The election in the BLT file at ``path`` (:class:`BltError` if malformed; ``OSError`` if unreadable)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BltError(0, "the file is not UTF-8 text.", name=path.name) from None
    return parse_blt(text, name=path.name)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_blt(election: Election) -> str:
    """``election`` as BLT text; :func:`parse_blt` reads it back to an equal :class:`Election`."""
    lines = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        lines.append(" ".join(f"-{number}" for number in sorted(election.withdrawn)))
    lines.extend(" ".join(str(part) for part in (ballot.weight, *ballot.ranking, 0)) for ballot in election.ballots)
    lines.append("0")
    lines.extend(_quote(name) for name in election.candidates)
    lines.append(_quote(election.title))
    return "\n".join(lines) + "\n"


def total_weight(ballots: Iterable[Ballot]) -> int:
    return sum(ballot.weight for ballot in ballots)
