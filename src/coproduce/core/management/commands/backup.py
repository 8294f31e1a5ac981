"""``coproduce backup FILE``: a backup of the site's database, safe while the site runs (docs/backups.md).

``coproduce backup --verify FILE`` checks a backup without restoring it."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coproduce.core.backup import BackupError, Database, create_backup, verify_backup


class Command(BaseCommand):
    help = "Back up the database into FILE (one file with a manifest), or check a backup with --verify."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
        parser.add_argument("--verify", action="store_true", help="check the backup FILE; restore nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        started = time.monotonic()
        try:
            if options["verify"]:
                manifest = verify_backup(path)
                verb = "is sound"
            else:
                manifest = create_backup(
                    path, Database.from_settings(settings.DATABASES["default"]), overwrite=options["overwrite"]
                )
                verb = "written"
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = manifest["row_counts"]
        self.stdout.write(
            f"Backup {path} {verb}: {manifest['engine']}, made {manifest['created']}, {len(counts)} tables, "
            f"{sum(counts.values())} rows, {len(manifest['migrations'])} migrations, "
            f"{path.stat().st_size} bytes, sha256 {manifest['sha256']} ({time.monotonic() - started:.1f} s)."
        )
