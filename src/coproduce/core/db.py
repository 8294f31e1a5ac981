"""Statements the database plans once per connection: the fixed SQL of the busiest reads and writes (ADR 15).

On PostgreSQL, planning a query costs the server about as much as running it for the small queries every
request makes (the person's membership: 215 µs planned each time, 45 µs prepared; ``docs/performance.md``).
The SQL that ADR 13 and ADR 14 write once per process (the session, the person, the membership, the vote,
the choice of the next statement, ``PreparedQuery``) is therefore also *prepared* on the server: sent with
its values apart, planned once per connection, and run by name after that.

Only these queries are prepared; everything else the ORM sends keeps Django's client-side binding, so a
query whose best plan depends on its values is planned afresh each time as before. Every prepared query
here finds its rows through a primary key or a unique or foreign-key index, whatever the values, so the
plan PostgreSQL keeps is a good one. Their SQL names its columns rather than using ``*``, so adding a column
in a migration does not change what a prepared statement returns.

``COPRODUCE_DB_PREPARE=0`` turns preparing off (for a connection pooler in transaction mode that does not
keep prepared statements, such as PgBouncer before 1.21). SQLite keeps its own cache of compiled statements
per connection, so there these are plain cursors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model
from psycopg.pq import Format

M = TypeVar("M", bound=Model)


def preparing(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql" and bool(getattr(settings, "COPRODUCE_DB_PREPARE", True))


class PreparingCursor(psycopg.Cursor[Any]):
    """psycopg's cursor with server-side binding, preparing every statement it runs (once per connection:
    psycopg keeps the names of those it has prepared)."""

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: Any = None) -> Any:
        return super().execute(query, params, prepare=True, binary=binary)


_TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid


def _server_cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A Django cursor, logged and wrapped like any other, whose statements PostgreSQL prepares: what
    ``connection.cursor()`` does, with this cursor class."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection
        cursor = PreparingCursor(raw)
        # As Django's create_cursor: the connection's time zone for timestamps, if the adapters differ.
        loader = raw.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
        if connection.timezone != getattr(loader, "timezone", connection.timezone):
            register_tzloader(connection.timezone, cursor)
    connection.validate_thread_sharing()
    if connection.queries_logged:
        return _LoggedPreparingCursor(cursor, connection)
    return connection.make_cursor(cursor)  # type: ignore[arg-type]  # the stubs say wrapper; Django wraps it


class _LoggedPreparingCursor(CursorDebugWrapper):
    """Django's query log (tests, ``DEBUG``) for a prepared statement: Django reads the text of the last
    query from psycopg, which a statement run by name does not keep, so the log shows the SQL with its values
    put in by Django's own ``compose_sql``."""

    @contextmanager
    def debug_sql(
        self, sql: Any = None, params: Any = None, use_last_executed_query: bool = False, many: bool = False
    ) -> Iterator[None]:
        try:
            shown = self.db.ops.compose_sql(sql, params) if params is not None and not many else sql
        except Exception:
            shown = sql
        with super().debug_sql(shown, params, use_last_executed_query=False, many=many):
            yield


def cursor_for(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """A cursor for fixed, parameterised SQL: prepared on PostgreSQL, Django's own otherwise."""
    return _server_cursor(connection) if preparing(connection) else connection.cursor()


@contextmanager
def prepared_cursor(connection: BaseDatabaseWrapper) -> Iterator[CursorWrapper]:
    with cursor_for(connection) as cursor:
        yield cursor


Converters = tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


@dataclass(frozen=True)
class RowMapper:
    """How the columns of one model in a row of fixed SQL become an instance: the one row→model mapper of the
    fast paths (``prepared_raw`` here, ``core.prepared.PreparedQuery``, the membership read in
    ``partnerships.selectors``). The ORM's converters are applied to the model's columns (SQLite's 0/1 to a
    bool, its text to a datetime), ``from_db`` makes the instance (fields not selected are deferred) and any
    ``extras`` are set as attributes, as ``raw()`` does."""

    model: type[Model]
    names: tuple[str, ...]  # attribute names of the model's columns, in the model's order
    positions: tuple[int, ...]  # where each is in the row
    converters: Converters  # (position, converters, column or expression), as the ORM's compiler applies them
    extras: tuple[tuple[str, int], ...] = ()  # other columns: (attribute, position)

    @classmethod
    def for_description(
        cls, model: type[Model], description: Sequence[Any], connection: BaseDatabaseWrapper
    ) -> RowMapper:
        """The mapper for a row whose columns are named as the model's (in any order, some left out, others
        added): worked out from a cursor's ``description``."""
        columns = [entry[0] for entry in description]
        where = {column: position for position, column in enumerate(columns)}
        fields = [(field, where[field.column]) for field in model._meta.concrete_fields if field.column in where]
        if model._meta.pk.attname not in {field.attname for field, _position in fields}:  # type: ignore[union-attr]
            raise ValueError("the query must select the primary key")
        model_columns = {field.column for field in model._meta.concrete_fields}
        extras = tuple((column, position) for position, column in enumerate(columns) if column not in model_columns)
        return cls._for_fields(model, fields, model._meta.db_table, connection, extras)

    @classmethod
    def for_all_fields(
        cls, model: type[Model], start: int, table_alias: str, connection: BaseDatabaseWrapper
    ) -> RowMapper:
        """The mapper for all the model's columns, in the model's order, from ``start`` in the row."""
        fields = [(field, start + index) for index, field in enumerate(model._meta.concrete_fields)]
        return cls._for_fields(model, fields, table_alias, connection, ())

    @classmethod
    def _for_fields(
        cls,
        model: type[Model],
        fields: Sequence[tuple[Any, int]],
        table_alias: str,
        connection: BaseDatabaseWrapper,
        extras: tuple[tuple[str, int], ...],
    ) -> RowMapper:
        converters = []
        for field, position in fields:
            col = field.get_col(table_alias)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                converters.append((position, tuple(found), col))
        return cls(
            model=model,
            names=tuple(field.attname for field, _position in fields),
            positions=tuple(position for _field, position in fields),
            converters=tuple(converters),
            extras=extras,
        )

    @property
    def end(self) -> int:
        """The position after this model's last column."""
        return max(self.positions) + 1

    def instance(self, values: list[Any], connection: BaseDatabaseWrapper, *, set_extras: bool = True) -> Any:
        """The instance from one row's values (a list: this model's columns in it are converted in place),
        with the extra columns set on it unless ``set_extras`` is false (``extras_of`` then reads them)."""
        for position, converters, col in self.converters:
            for converter in converters:
                values[position] = converter(values[position], col, connection)
        instance = self.model.from_db(connection.alias, list(self.names), [values[p] for p in self.positions])
        if set_extras:
            for name, position in self.extras:
                setattr(instance, name, values[position])
        return instance

    def extras_of(self, values: Sequence[Any]) -> dict[str, Any]:
        """The extra columns of one row, by name."""
        return {name: values[position] for name, position in self.extras}


_mappers: dict[tuple[type[Model], str, str], RowMapper] = {}

_AS_IS = frozenset({int, str, bool, float, type(None)})  # values every database takes as they are


def _prepared_rows(model: type[Model], sql: str, params: Sequence[Any], using: str) -> tuple[RowMapper, list[Any]]:
    connection = connections[using]
    adapt = connection.ops.adapt_unknown_value
    with cursor_for(connection) as cursor:
        cursor.execute(sql, [value if type(value) in _AS_IS else adapt(value) for value in params])
        rows = cursor.fetchall()
        key = (model, sql, connection.vendor)
        mapper = _mappers.get(key)
        if mapper is None:
            mapper = _mappers[key] = RowMapper.for_description(model, cursor.description, connection)
    return mapper, rows


def prepared_raw(model: type[M], sql: str, params: Sequence[Any], using: str = "default") -> list[M]:
    """What ``list(model.objects.raw(sql, params))`` gives, with the statement prepared on PostgreSQL: model
    instances made by a ``RowMapper``, worked out once per model and SQL."""
    mapper, rows = _prepared_rows(model, sql, params, using)
    connection = connections[using]
    return [mapper.instance(list(row), connection) for row in rows]


def prepared_rows(
    model: type[M], sql: str, params: Sequence[Any], using: str = "default"
) -> list[tuple[M, dict[str, Any]]]:
    """As ``prepared_raw``, but the columns that are not the model's are given apart, by name, rather than
    set on the instance."""
    mapper, rows = _prepared_rows(model, sql, params, using)
    connection = connections[using]
    found = []
    for row in rows:
        values = list(row)
        found.append((mapper.instance(values, connection, set_extras=False), mapper.extras_of(values)))
    return found
