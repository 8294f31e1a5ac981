"""What each capability holds about a person, and what becomes of it when the person leaves the partnership, asks
for erasure, or when a retention period passes.

Each capability registers one ``PersonalDataSource`` in its ``AppConfig.ready`` (as it registers its home
section), so "My data", erasure, leaving and the retention job cover every capability without the foundation
importing any of them. Every callable is given the person's membership (one partnership: a person in two
partnerships has two of everything) and runs inside the caller's transaction: the caller locks and audits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from coproduce.partnerships.models import Membership, Partnership


class Fate(StrEnum):
    """What happens to one kind of record."""

    DELETE = "delete"  # removed from the database
    ANONYMISE = "anonymise"  # kept (a vote still counts) but no longer tied to the person or their words
    KEEP = "keep"  # kept as it is, for the reason given


@dataclass(frozen=True)
class Disposal:
    """One line of what erasure or leaving does, told to the person before they confirm.

    ``what`` and ``why`` are plain English for the person ("Your ideas and comments", "They stay on the page so
    replies still make sense; your name and words become 'removed at the person's request'").
    """

    what: str
    fate: Fate
    why: str = ""
    count: int = 0  # how many records of this kind the person has (0: the line may be left out)


@dataclass(frozen=True)
class RetentionKind:
    """A kind of data with a retention period the partnership sets (partnership settings).

    ``purge(partnership, older_than, dry_run)`` deletes or anonymises the records of this kind that passed
    ``older_than`` and returns how many it touched (with ``dry_run``, how many it would touch, changing nothing).
    ``held(partnership, older_than)`` returns why that cut-off would remove data still under a legal hold (an
    open referral, an award not yet paid), or ``None`` when nothing held would go.
    """

    key: str  # "<capability>.<kind>", e.g. "support.closed_plans"
    label: str  # plain English, e.g. "Support plans, after they are closed"
    default_days: int | None  # None: kept until a coordinator sets a period
    purge: Callable[[Partnership, datetime, bool], int]
    held: Callable[[Partnership, datetime], str | None] | None = None


def _nothing(_membership: Membership) -> None:
    return None


def _no_lines(_membership: Membership) -> list[Disposal]:
    return []


@dataclass(frozen=True)
class PersonalDataSource:
    key: str  # the capability's label: "support", "voice", ...
    title: str  # plain English heading for the person: "Support plan", "Ideas and comments"
    # Everything this capability holds about the person: named tables of JSON-ready rows
    # ({"ideas": [{"title": ..., "created_at": "2026-11-01T09:00:00+00:00"}, ...]}).
    export: Callable[[Membership], dict[str, list[dict[str, Any]]]]
    # What erasure will do, shown before the person confirms; then ``erase`` does exactly that.
    erasure: Callable[[Membership], list[Disposal]] = _no_lines
    erase: Callable[[Membership], None] = _nothing
    # What leaving will do (shown on the Leave page); then ``leave`` does it, before the membership is deleted.
    leaving: Callable[[Membership], list[Disposal]] = _no_lines
    leave: Callable[[Membership], None] = _nothing
    retention: tuple[RetentionKind, ...] = ()
    order: int = 100


_SOURCES: dict[str, PersonalDataSource] = {}


def register_personal_data(source: PersonalDataSource) -> None:
    _SOURCES[source.key] = source


def personal_data_sources() -> list[PersonalDataSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def retention_kinds() -> list[RetentionKind]:
    return [kind for source in personal_data_sources() for kind in source.retention]
