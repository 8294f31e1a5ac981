"""An index for counting the idea list (everything its visibility filter reads), and what search reads: ``Idea.search_text`` (the title, the text and the visible comments), filled for the
ideas that exist, and on PostgreSQL a GIN full-text index over it (SQLite searches the text as typed).

The index's expression is exactly what ``selectors._search`` builds with ``SearchVector("search_text",
config="simple")``, so that PostgreSQL uses it. See docs/decisions/0009-voice-search-and-large-pages.md."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

INDEX = (
    'CREATE INDEX IF NOT EXISTS "voice_idea_search" ON "voice_idea" '
    "USING gin ((to_tsvector('simple'::regconfig, COALESCE(\"search_text\", ''))))"
)


def fill_search_text(apps: Any, schema_editor: Any) -> None:
    idea_model = apps.get_model("voice", "Idea")
    comment_model = apps.get_model("voice", "Comment")
    for idea in idea_model.objects.only("pk", "title", "body").iterator():
        comments = comment_model.objects.filter(idea_id=idea.pk, deleted_at__isnull=True, hidden_at__isnull=True)
        words = [idea.title, idea.body, *comments.order_by("created_at", "id").values_list("body", flat=True)]
        idea_model.objects.filter(pk=idea.pk).update(search_text="\n".join(words))


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "voice_idea_search"')


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
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
