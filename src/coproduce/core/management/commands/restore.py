"""``coproduce restore FILE``: put a backup made by ``coproduce backup`` into the site's database
(docs/backups.md). Refuses a database that is not empty unless ``--force``."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coproduce.core.backup import BackupError, Database, restore_backup


class Command(BaseCommand):
    help = "Restore the backup FILE into the database (empty, or any with --force), then print its row counts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty (SQLite keeps it aside)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        started = time.monotonic()
        try:
            restored = restore_backup(
                path, Database.from_settings(settings.DATABASES["default"]), force=options["force"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        for table, rows in sorted(restored.row_counts.items()):
            self.stdout.write(f"{rows:>10}  {table}")
        total = sum(restored.row_counts.values())
        self.stdout.write(
            f"Restored {path} (made {restored.manifest['created']}): {len(restored.row_counts)} tables, "
            f"{total} rows ({time.monotonic() - started:.1f} s)."
        )
        if restored.row_counts != restored.manifest["row_counts"]:
            raise CommandError("The restored row counts differ from the backup's manifest.")
        if restored.pending_migrations:
            self.stdout.write(
                f"This code has {len(restored.pending_migrations)} migrations the backup had not applied: "
                "run `coproduce migrate` before starting the site."
            )
