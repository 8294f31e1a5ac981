"""ORM queries compiled to SQL once per process, then run with new values (ADR 14).

Django builds and compiles a query's SQL afresh every time it runs: for the small reads a busy page makes (three
ideas, the open rounds, a person's own plan) that work, not the database, is most of the cost, about a thousand
Python calls a query. A ``PreparedQuery`` keeps the query in the ORM, where it is read and reviewed, and compiles
it once per database and *shape*; later runs put the new values into the same SQL.

    open_rounds = PreparedQuery(
        lambda shape, partnership_id, now: Round.objects.filter(partnership_id=partnership_id, results_from__gt=now)
        .only("id", "title").order_by("results_from")[:3]
    )
    open_rounds(partnership_id=7, now=timezone.now())      # a list of Round instances

How the values are found in the SQL: the query is built twice with two sets of stand-in values, and compiled
twice; a parameter that differs between the two is a value, and the stand-in it equals says which one. So:

* Values are ``int``, ``str`` or ``datetime`` (never ``None``, which changes the SQL to ``IS NULL``), each used
  as itself in a lookup (``field=value``, ``field__gt=value``; not inside ``__contains`` or ``__in``, which
  rewrite it). A value that cannot be found in the SQL makes the first run fail with ``ImproperlyConfigured``.
* Anything that changes the *text* of the SQL (a branch on whether someone is a coordinator, the length of a
  list) is passed as ``shape``, a plain hashable value (default ``()``) that is part of the key: ``build``
  receives it as its first argument. ``build`` must not branch on a value.
* Only a plain query of one model (with ``only()``, ``defer()``, ``annotate()``, ordering and slicing); not
  ``select_related``, ``prefetch_related``, ``values()`` or ``distinct`` on fields.

``orm(...)`` gives the query as a QuerySet with the same arguments, for tests that hold the prepared query to
the ORM (each use has one).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable

from coproduce.core.db import RowMapper, prepared_cursor

M = TypeVar("M", bound=Model)

Value = int | str | datetime


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (position in params, name of the value, the type it was compiled with: int, str or datetime)
    slots: tuple[tuple[int, str, type], ...]
    mapper: RowMapper  # the model's columns, the ORM compiler's converters, annotations as attributes


def _stand_ins(values: dict[str, Value], which: int) -> dict[str, Value]:
    """Two sets of values no real query uses, of the same types as ``values``, unlike each other and unlike
    any constant a query holds."""
    out: dict[str, Value] = {}
    for index, (name, value) in enumerate(sorted(values.items())):
        # Odd in the first set, even in the second, so a build that branches on parity is caught too.
        marker = 1_900_000_000 + 1_000 * which + 2 * index + which
        if isinstance(value, datetime):
            out[name] = datetime(1901 + which, 1, 1, tzinfo=UTC) + timedelta(seconds=index)
        elif isinstance(value, bool):
            raise TypeError(f"{name}: a bool changes the SQL; pass it as shape")
        elif isinstance(value, int):
            out[name] = marker
        elif isinstance(value, str):
            out[name] = f"\x1fprepared-{marker}"
        else:
            raise TypeError(f"{name}: a prepared query's values are int, str or datetime, not {type(value).__name__}")
    return out


class PreparedQuery(Generic[M]):
    """See the module's docstring."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, using: str = DEFAULT_DB_ALIAS) -> None:
        self.build = build
        self.using = using
        self._compiled: dict[tuple[str, Hashable], _Compiled] = {}
        self._lock = threading.Lock()

    def orm(self, shape: Hashable = (), **values: Value) -> QuerySet[M]:
        """The same query as a QuerySet, built by the ORM: what the prepared query must agree with."""
        return self.build(shape, **values)

    def __call__(self, shape: Hashable = (), **values: Value) -> list[M]:
        connection = connections[self.using]
        key = (connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(shape, values)
                self._compiled[key] = compiled
        params = list(compiled.params)
        for position, name, kind in compiled.slots:
            value = values[name]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise TypeError(f"{name}: expected {kind.__name__}, got {type(value).__name__}")
            params[position] = connection.ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value
        with prepared_cursor(connection) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        mapper = compiled.mapper
        return [mapper.instance(list(row), connection) for row in rows]

    def _compile(self, shape: Hashable, values: dict[str, Value]) -> _Compiled:
        connection = connections[self.using]
        ops = connection.ops
        compiled = []
        for which in (1, 2):
            stand_ins = _stand_ins(values, which)
            queryset = self.orm(shape, **stand_ins)
            iterable = getattr(queryset, "_iterable_class", None)
            if getattr(queryset, "_prefetch_related_lookups", ()) or iterable is not ModelIterable:
                raise ImproperlyConfigured("a prepared query gives model instances, without prefetch_related")
            compiler = queryset.query.get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            compiled.append((stand_ins, compiler, sql, tuple(params)))
        (first, compiler, sql, params), (second, _compiler, sql_2, params_2) = compiled
        if sql != sql_2 or len(params) != len(params_2):
            raise ImproperlyConfigured("the SQL depends on a value: pass what changes it as shape")

        def adapt(value: Value) -> Any:
            return ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value

        by_value = {adapt(value): name for name, value in first.items()}
        slots = []
        for position, (one, two) in enumerate(zip(params, params_2, strict=True)):
            if one == two:
                continue
            name = by_value.get(one) if isinstance(one, Hashable) else None
            if name is None or adapt(second[name]) != two:
                raise ImproperlyConfigured(
                    f"parameter {position} of the SQL changes with the values but is none of them as given "
                    "(a value inside __contains or __in, or transformed): such a query cannot be prepared"
                )
            kind = datetime if isinstance(first[name], datetime) else int if isinstance(first[name], int) else str
            slots.append((position, name, kind))
        klass_info = compiler.klass_info
        if klass_info is None or klass_info.get("related_klass_infos"):
            raise ImproperlyConfigured("a prepared query reads one model, without select_related")
        select = compiler.select
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        columns = [s[0] for s in select[0 : compiler.col_count]]
        converters = tuple(
            (position, tuple(found), expression)
            for position, (found, expression) in compiler.get_converters(columns).items()
        )
        mapper = RowMapper(
            model=klass_info["model"],
            names=tuple(f[0].target.attname for f in select[start:end]),
            positions=tuple(range(start, end)),
            converters=converters,
            extras=tuple(compiler.annotation_col_map.items()),
        )
        return _Compiled(sql=sql, params=params, slots=tuple(slots), mapper=mapper)
