"""Counts the platform keeps on rows, and how each is counted again from the rows it counts.

Some numbers are stored rather than counted on every read: an idea's supports, a conversation's published
statements, a ballot's points. The service that changes the rows changes the number in the same transaction
(under the counted row's lock), so the two agree. ``coproduce check-counts`` proves it: each capability
registers its kept counts here (in its ``AppConfig.ready()``, with its own ``kept_counts`` module), and the
command counts each one again from the rows and lists every row where the two differ (docs/integrity.md).

A kept count is checked in **one query per kind**, whatever the number of rows: the recount is a correlated
aggregate (``count_of`` or ``sum_of`` below) annotated on the rows that keep the count, and only the rows where
it differs come back. A kind may also be a limit (``rule="at_most"``): an event's capacity is never below the
places taken.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Expression, F, IntegerField, Model, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

Rule = Literal["equal", "at_most"]

# The annotation a recount is read under (a name no model field has).
_RECOUNTED = "coproduce_recounted"


@dataclass(frozen=True)
class KeptCount:
    key: str  # "voice.idea.support_count": app, model, field
    model: type[Model]
    field: str  # the column holding the kept number
    recount: Any  # an expression giving, for each row of ``model``, what the number should be
    partnership: str  # the lookup from ``model`` to its partnership's id: "partnership_id", "round__partnership_id"
    rows: Q = dataclasses.field(default_factory=Q)  # only these rows keep the count (e.g. not ballots read from a file)
    rule: Rule = "equal"  # "at_most": the recount must not exceed the kept number (a capacity)
    counts: str = ""  # what is counted, in words, for docs and the command's list


@dataclass(frozen=True)
class Mismatch:
    key: str
    model: str  # "voice.Idea"
    row: Any  # the row's primary key
    field: str
    kept: int | None
    recounted: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "model": self.model,
            "id": self.row,
            "field": self.field,
            "kept": self.kept,
            "recounted": self.recounted,
        }


_KEPT: dict[str, KeptCount] = {}


def register_kept_count(kept: KeptCount) -> None:
    _KEPT[kept.key] = kept


def kept_counts() -> list[KeptCount]:
    """Every registered kept count, by key."""
    return [_KEPT[key] for key in sorted(_KEPT)]


def count_of(model: type[Model], to: str, **where: Any) -> Expression:
    """How many rows of ``model`` (matching ``where``) point at the outer row through the foreign key ``to``."""
    rows = model._default_manager.filter(**{to: OuterRef("pk")}, **where).order_by().values(to)
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0, output_field=IntegerField())


def sum_of(model: type[Model], to: str, value: str, **where: Any) -> Expression:
    """The sum of ``value`` over the rows of ``model`` (matching ``where``) that point at the outer row."""
    rows = model._default_manager.filter(**{to: OuterRef("pk")}, **where).order_by().values(to)
    return Coalesce(Subquery(rows.annotate(n=Sum(value)).values("n")[:1]), 0, output_field=IntegerField())


def mismatches(kept: KeptCount, partnership_id: int | None = None) -> list[Mismatch]:
    """The rows where ``kept``'s number differs from its recount (or, for a limit, is exceeded): one query."""
    rows = kept.model._default_manager.filter(kept.rows)
    if partnership_id is not None:
        rows = rows.filter(**{kept.partnership: partnership_id})
    rows = rows.annotate(**{_RECOUNTED: kept.recount})
    if kept.rule == "equal":
        wrong = ~Q(**{kept.field: F(_RECOUNTED)}) | Q(**{f"{kept.field}__isnull": True})
    else:
        wrong = Q(**{f"{_RECOUNTED}__gt": F(kept.field)})
    label = kept.model._meta.label
    return [
        Mismatch(key=kept.key, model=label, row=pk, field=kept.field, kept=number, recounted=recounted)
        for pk, number, recounted in rows.filter(wrong).order_by("pk").values_list("pk", kept.field, _RECOUNTED)
    ]


def all_mismatches(partnership_id: int | None = None, kinds: Iterable[KeptCount] | None = None) -> list[Mismatch]:
    return [m for kept in (kept_counts() if kinds is None else kinds) for m in mismatches(kept, partnership_id)]
