"""The one helper that builds the hot path's fixed SQL texts.

Only identifiers are put into a text (tables and columns from the models' metadata, quoted by the database's
own ``quote_name``); every value is a parameter. Each text is built once per process and kind of database.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import Model

T = TypeVar("T")


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)  # type: ignore[union-attr,arg-type]


def columns(model: type[Model], alias: str, *, leave_out: Iterable[str] = ()) -> str:
    """All the model's columns (but those left out), as ``alias."column", ...``."""
    left_out = set(leave_out)
    qn = connection.ops.quote_name
    return ", ".join(f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields if f.name not in left_out)


def built_once(build: Callable[[str], T]) -> Callable[[], T]:
    """``build(vendor)`` gives a text (or a tuple of them); the result gives it for the current database,
    built once per process and kind of database."""
    cached = functools.cache(build)

    def text() -> T:
        return cached(connection.vendor)

    text.__doc__ = build.__doc__
    return text
