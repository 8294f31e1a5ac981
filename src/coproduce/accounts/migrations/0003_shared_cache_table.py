"""The table of the cache every process shares (settings.CACHES, "default"): allauth counts its limits there and
remembers authenticator codes already used. Made here so that every command that migrates (``coproduce demo``,
a deployment's ``coproduce migrate``, the tests) has it; ``createcachetable`` leaves an existing table alone."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def _cache_tables():
    for options in settings.CACHES.values():
        if options["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            yield options["LOCATION"]


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    for table in _cache_tables():
        schema_editor.execute(f"DROP TABLE IF EXISTS {quote(table)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_sign_in_failures")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables)]
