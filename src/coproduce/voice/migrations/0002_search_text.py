"""An index for counting the idea list (everything its visibility filter reads), and what search reads:
``Idea.search_text`` (the title, the text and the visible comments), filled for the ideas that exist, and on
PostgreSQL a stored tsvector of it with a GIN index (SQLite searches the text).
The model does not declare ``search_vector``: the database computes it, and only ``selectors._search``
reads it. See docs/decisions/0009-voice-search-and-large-pages.md."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

# On PostgreSQL: the search text's words as a stored tsvector (computed by the database on every write),
# a GIN index on it, and a low TOAST target so that the long text columns leave the table's main pages
# (counting a list then reads little). selectors._search reads "search_vector"; change them together.
POSTGRESQL = [
    "ALTER TABLE voice_idea ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED",
    "CREATE INDEX voice_idea_search ON voice_idea USING gin (search_vector)",
    "ALTER TABLE voice_idea SET (toast_tuple_target = 256)",
]
POSTGRESQL_UNDO = [
    "ALTER TABLE voice_idea RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS voice_idea_search",
    "ALTER TABLE voice_idea DROP COLUMN IF EXISTS search_vector",
]


def fill_search_text(apps: Any, schema_editor: Any) -> None:
    idea_model = apps.get_model("voice", "Idea")
    comment_model = apps.get_model("voice", "Comment")
    for idea in idea_model.objects.only("pk", "title", "body").iterator():
        comments = comment_model.objects.filter(idea_id=idea.pk, deleted_at__isnull=True, hidden_at__isnull=True)
        words = [idea.title, idea.body, *comments.order_by("created_at", "id").values_list("body", flat=True)]
        idea_model.objects.filter(pk=idea.pk).update(search_text="\n".join(words))


def create_search_vector(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)


def drop_search_vector(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL_UNDO:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(fields=["partnership", "withdrawn_at", "hidden_at", "author"], name="idea_visible"),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(create_search_vector, drop_search_vector, elidable=False),
    ]
