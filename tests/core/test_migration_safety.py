"""Migrations on the big tables must not hold a lock on them while PostgreSQL reads them whole.

A static check of every migration's operations (no database needed), for the tables that grow with use
(docs/scale.md): an index is added with ``AddIndexConcurrently`` in a migration with ``atomic = False``, never
with ``AddIndex`` or a field's ``db_index``/``unique`` (a plain CREATE INDEX blocks every write to the table
while it reads it); no unique or check constraint is added in one step (its check reads every row under an
exclusive lock: build the index concurrently, or add the check ``NOT VALID`` and validate it later); a column
is added nullable or with a default (PostgreSQL 11 and later add those without rewriting the table), never
NOT NULL without one. The migrations written before this check (when the tables were new and empty) are
listed in ``BEFORE_THE_RULE`` and checked no more."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

# Tables that reach hundreds of thousands or millions of rows in a national deployment (generate-load-data).
BIG_MODELS = {
    ("accounts", "user"),
    ("partnerships", "membership"),
    ("voice", "idea"),
    ("voice", "comment"),
    ("voice", "support"),
    ("conversations", "participant"),
    ("conversations", "vote"),
    ("conversations", "voteevent"),
    ("fund", "ballot"),
    ("fund", "ballotchoice"),
    ("support", "supportplan"),
    ("support", "planchange"),
    ("learning", "registration"),
    ("core", "auditevent"),
}

# Written before this check, when no deployment held big tables yet; each builds an index under lock, which on
# national-scale data takes seconds (docs/scale.md measures them). Nothing may join this list.
BEFORE_THE_RULE: set[tuple[str, str]] = {
    ("accounts", "0004_language_phone"),
    ("conversations", "0008_assisted_votes"),
    ("fund", "0004_ballot_channel"),
    ("support", "0002_plan_member_left"),
    ("voice", "0002_search_text"),
    ("voice", "0007_assisted_ideas"),
}


def _constraint(operation: Any) -> Any:
    return operation.constraint


def problems_of(app: str, migration: Any) -> list[str]:
    found = []
    for operation in migration.operations:
        model = getattr(operation, "model_name", None) or getattr(operation, "name", "")
        if (app, str(model).lower()) not in BIG_MODELS:
            continue
        where = f"{app}.{migration.name}: {operation.describe()}"
        if isinstance(operation, ops.AddIndex) and not isinstance(operation, AddIndexConcurrently):
            found.append(f"{where}: use AddIndexConcurrently in a migration with atomic = False")
        elif isinstance(operation, AddIndexConcurrently) and migration.atomic:
            found.append(f"{where}: AddIndexConcurrently needs atomic = False on the migration")
        elif isinstance(operation, ops.AddConstraint) and isinstance(_constraint(operation), models.UniqueConstraint):
            found.append(f"{where}: build the unique index concurrently first, then add the constraint using it")
        elif isinstance(operation, ops.AddConstraint) and isinstance(_constraint(operation), models.CheckConstraint):
            found.append(f"{where}: add the check NOT VALID, then VALIDATE CONSTRAINT in a later migration")
        elif isinstance(operation, ops.AddField | ops.AlterField):
            field: Any = operation.field  # Django 5's db_default and db_index are not in the stubs
            no_default = not field.has_default() and not field.has_db_default()
            if isinstance(operation, ops.AddField) and not field.null and no_default:
                found.append(f"{where}: a NOT NULL column needs a default (or add it nullable)")
            indexed = field.unique or (field.db_index and not isinstance(operation, ops.AlterField))
            if isinstance(operation, ops.AddField) and indexed:
                found.append(f"{where}: the field's index would be built under lock; db_index=False, then "
                             "AddIndexConcurrently")  # fmt: skip
    return found


def all_problems() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if (app, name) not in BEFORE_THE_RULE and not migration.initial:
            found += problems_of(app, migration)
    return found


def test_no_migration_locks_a_big_table_while_reading_it() -> None:
    problems = all_problems()
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_plain_index_and_a_not_null_column_without_default() -> None:
    class Unsafe:
        name = "9999_unsafe"
        atomic = True
        operations = [
            ops.AddIndex("vote", models.Index(fields=["value"], name="vote_value")),
            ops.AddField("comment", "score", models.IntegerField()),
            ops.AddField("comment", "tag", models.CharField(max_length=5, db_index=True, default="")),
            ops.AddField("challenge", "score", models.IntegerField()),  # not a big table: fine
            ops.AddConstraint("vote", models.CheckConstraint(condition=models.Q(value__gte=-1), name="vote_min")),
        ]

    class Safe:
        name = "9999_safe"
        atomic = False
        operations = [
            AddIndexConcurrently("vote", models.Index(fields=["value"], name="vote_value")),
            ops.AddField("comment", "score", models.IntegerField(null=True)),
            ops.AddField("comment", "rank", models.IntegerField(db_default=0)),
        ]

    assert len(problems_of("conversations", Unsafe)) == 2
    assert len(problems_of("voice", Unsafe)) == 2
    assert problems_of("conversations", Safe) == []
    assert problems_of("voice", Safe) == []
