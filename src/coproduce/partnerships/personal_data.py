"""What each capability holds about a person, and what becomes of it when the person leaves the partnership, asks
for erasure, or when a retention period passes.

Each capability registers, in its ``AppConfig.ready`` (as it registers its home section), a
``PersonalDataExport`` (what it holds), a ``Departure`` (erasure and leaving) and its ``RetentionKind``s, so
"My data", erasure, leaving and the retention job cover every capability without the foundation importing any
of them. Every callable is given the person's membership (one partnership: a person in two
partnerships has two of everything) and runs inside the caller's transaction: the caller locks and audits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise

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
    label: Any  # plain English, e.g. "Support plans, after they are closed" (a str or a lazily translated one)
    default_days: int | None  # None: kept until a coordinator sets a period
    purge: Callable[[Partnership, datetime, bool], int]
    held: Callable[[Partnership, datetime], str | None] | None = None
    # Whether a coordinator may choose "keep until deleted by hand" (no period) for this kind.
    keep_allowed: bool = True
    # Delete or anonymise, for the privacy notice and the retention page (the label says which, in words).
    fate: Fate = Fate.DELETE


def _nothing(_membership: Membership) -> None:
    return None


def _no_lines(_membership: Membership) -> list[Disposal]:
    return []


@dataclass(frozen=True)
class PersonalDataExport:
    """Everything a capability holds about the person, for "My data": named tables of JSON-ready rows
    (``{"ideas": [{"title": ..., "created_at": "2026-11-01T09:00:00+00:00"}, ...]}``).

    ``export`` makes a fixed number of queries however much the person has, each narrowed to the person
    and the membership's partnership, and returns every table it knows (an empty list when the person has
    none). Values are JSON-ready: text, numbers, booleans, ``None``, ISO dates and times, or lists and
    dicts of those. ``tables`` names each table in plain English for the page and the readable download
    ("Votes", "Ideas you supported"); a table without a name is shown by its key.
    """

    key: str  # the capability's label: "support", "voice", ...
    title: str | Promise  # plain English heading for the person (lazily translated): "Support plan"
    export: Callable[[Membership], dict[str, list[dict[str, Any]]]]
    order: int = 100
    tables: Mapping[str, str | Promise] = field(default_factory=dict)


@dataclass(frozen=True)
class Departure:
    """What a capability does when the person asks for erasure or leaves the partnership.

    ``erasure``/``leaving`` list what will happen, shown before the person confirms; ``erase``/``leave`` then
    do exactly that (``leave`` runs before the membership is deleted).
    """

    key: str
    erasure: Callable[[Membership], list[Disposal]] = _no_lines
    erase: Callable[[Membership], None] = _nothing
    leaving: Callable[[Membership], list[Disposal]] = _no_lines
    leave: Callable[[Membership], None] = _nothing
    order: int = 100
    # Something the person may want to do before she leaves, shown on the leave page as a sentence and a link
    # (e.g. "Before you go, tell us how the services you used were"); None when there is nothing to ask.
    before_leaving: Callable[[Membership], LeavingPrompt | None] | None = None


@dataclass(frozen=True)
class LeavingPrompt:
    text: str | Promise
    link_text: str | Promise
    url: str


_EXPORTS: dict[str, PersonalDataExport] = {}
_DEPARTURES: dict[str, Departure] = {}
_RETENTION: dict[str, RetentionKind] = {}


def register_personal_data(export: PersonalDataExport) -> None:
    _EXPORTS[export.key] = export


def register_departure(departure: Departure) -> None:
    _DEPARTURES[departure.key] = departure


def register_retention_kind(kind: RetentionKind) -> None:
    _RETENTION[kind.key] = kind


def personal_data_exports() -> list[PersonalDataExport]:
    return sorted(_EXPORTS.values(), key=lambda e: (e.order, e.key))


def departures() -> list[Departure]:
    return sorted(_DEPARTURES.values(), key=lambda d: (d.order, d.key))


def retention_kinds() -> list[RetentionKind]:
    return sorted(_RETENTION.values(), key=lambda k: k.key)
