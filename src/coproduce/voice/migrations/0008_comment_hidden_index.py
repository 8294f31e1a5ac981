# The moderation page lists a partnership's hidden comments, newest first: without an index it read the whole
# comments table (tests/core/test_scale_explain.py). Built concurrently on PostgreSQL (docs/scale.md).

from django.db import migrations, models

from coproduce.core.migration_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("voice", "0007_assisted_ideas"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("hidden_at__isnull", False)), fields=["-hidden_at"], name="comment_hidden"
            ),
        ),
    ]
