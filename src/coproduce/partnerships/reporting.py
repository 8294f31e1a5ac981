"""Figures for reports to funders, boards and the public, kept by the capability that holds the data.

The report builder (``coproduce.reports``) asks every registered ``ReportSection`` for its tables for one
period and scope, suppresses small groups (fewer than five, including by difference) and renders or exports
them. A capability registers its section in its AppConfig.ready; the builder imports no capability.

A section returns plain numbers and never a person: counts of people or things, sums of money in pence, hours,
averages. Each table says which of its rows count people (and so are suppressed when small) and may give a
total; the builder does the suppressing, in one place, so no section decides it differently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Scope = Literal["partnership", "organisation", "service"]
Unit = Literal["count", "pence", "hours", "score", "percent"]


@dataclass(frozen=True)
class ReportQuery:
    partnership_id: int
    start: date  # first day, inclusive
    end: date  # last day, inclusive
    scope: Scope = "partnership"
    organisation_id: int | None = None  # set when scope is "organisation"
    service_id: int | None = None  # a support directory service, set when scope is "service"


@dataclass(frozen=True)
class ReportRow:
    key: str  # stable within its table: "ideas", "lone_parent"
    label: Any  # in words (lazily translated)
    value: int | float | None  # None: not recorded
    # A count of people or of things people did, suppressed when from 1 to 4 (and by difference). Money, hours
    # and averages built from at least ``basis`` people are shown only when ``basis`` is 0 or at least five.
    counts_people: bool = True
    basis: int | None = None  # for an average or a sum: how many people it is built from


@dataclass(frozen=True)
class ReportTable:
    key: str  # "voice.participation"
    title: Any
    unit: Unit
    rows: tuple[ReportRow, ...]
    # The table's total, when its rows add up to it (so suppression also protects against subtraction).
    total: ReportRow | None = None
    # The rows are parts of one whole (each person in exactly one row): suppression merges small rows by
    # difference as well. False where a person may be in several rows (priority groups).
    exclusive: bool = False
    note: Any = ""  # a sentence under the table: "Hours of learning time include travel."


# The parts of a report, in order; several capabilities may give tables to one part (participation: ideas,
# conversations, decisions, events and learning time).
PARTS: tuple[str, ...] = ("reach", "participation", "support", "fund", "evaluation")


@dataclass(frozen=True)
class ReportSection:
    key: str  # one per capability and part: "voice.participation", "support.outcomes", "fund"
    part: str  # one of PARTS
    title: Any
    order: int  # within its part, smallest first
    tables: Callable[[ReportQuery], list[ReportTable]]
    # The scopes it can narrow to; for another scope the builder says "not recorded by organisation/service".
    scopes: tuple[Scope, ...] = ("partnership",)
    extra: dict[str, Any] = field(default_factory=dict)


_SECTIONS: dict[str, ReportSection] = {}


def register_report_section(section: ReportSection) -> None:
    _SECTIONS[section.key] = section


def report_sections() -> list[ReportSection]:
    return sorted(_SECTIONS.values(), key=lambda s: (PARTS.index(s.part), s.order, s.key))
