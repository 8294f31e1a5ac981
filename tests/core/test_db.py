"""core.db: the busiest fixed SQL is prepared on PostgreSQL and gives what Django's own cursor gives (ADR 15)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.core.db import prepared_cursor, prepared_raw, preparing
from coproduce.partnerships.models import Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

# Columns in another order than the model's, two left out and one more.
ORDERED = "SELECT {name}, 2 + 3 AS five, {created}, {id} FROM {table} WHERE {id} = %s"
SQL = "SELECT {id}, {slug}, {name}, {created} FROM {table} WHERE {slug} <> %s ORDER BY {id}"


def _sql() -> str:
    qn = connection.ops.quote_name
    meta = Partnership._meta
    return SQL.format(
        id=qn(meta.pk.column),
        slug=qn(meta.get_field("slug").column),
        name=qn(meta.get_field("name").column),
        created=qn(meta.get_field("created_at").column),
        table=qn(meta.db_table),
    )


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_prepared_raw_gives_what_raw_gives_and_is_logged() -> None:
    PartnershipFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        got = list(prepared_raw(Partnership, _sql(), ["no-such-slug"]))
    expected = list(Partnership.objects.raw(_sql(), ["no-such-slug"]))
    assert [(p.pk, p.slug, p.name, p.created_at) for p in got] == [
        (p.pk, p.slug, p.name, p.created_at) for p in expected
    ]
    assert len(got) == 3
    # Django's query log shows it with its value, as it shows any other query.
    assert len(queries) == 1 and "no-such-slug" in queries[0]["sql"]


def test_prepared_cursor_gives_what_a_plain_cursor_gives() -> None:
    PartnershipFactory.create_batch(2)
    with prepared_cursor(connection) as cursor:
        cursor.execute(_sql(), [""])
        got = cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [""])
        assert got == cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_statement_is_prepared_once_per_connection(settings: Any) -> None:
    PartnershipFactory()
    assert preparing(connection)
    for _ in range(3):
        list(prepared_raw(Partnership, _sql(), ["x"]))
    table = Partnership._meta.db_table
    assert len([statement for statement in _prepared_statements() if table in statement and "<> $1" in statement]) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_with_preparing_turned_off_nothing_is_prepared(settings: Any) -> None:
    settings.COPRODUCE_DB_PREPARE = False
    PartnershipFactory()
    before = len(_prepared_statements())
    list(prepared_raw(Partnership, _sql(), ["y"]))
    with prepared_cursor(connection) as cursor:
        cursor.execute(_sql(), ["y"])
    assert len(_prepared_statements()) == before


def test_columns_in_any_order_some_left_out_and_extra_ones() -> None:
    made = PartnershipFactory(name="Riverside", slug="riverside-x")
    qn = connection.ops.quote_name
    sql = ORDERED.format(name=qn("name"), created=qn("created_at"), id=qn("id"), table=qn(Partnership._meta.db_table))
    (got,) = prepared_raw(Partnership, sql, [made.pk])
    five = got.five  # type: ignore[attr-defined]  # a column the SQL adds
    assert (got.pk, got.name, got.created_at, five) == (made.pk, "Riverside", made.created_at, 5)
    left_out = {f.attname for f in Partnership._meta.concrete_fields} - {"id", "name", "created_at"}
    assert "slug" in left_out and got.get_deferred_fields() == left_out
    with pytest.raises(ValueError, match="primary key"):
        prepared_raw(Partnership, sql.replace(f", {qn('id')} FROM", " FROM"), [made.pk])
