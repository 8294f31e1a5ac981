"""Export or import a partnership's service directory as Open Referral UK (HSDS 3) JSON.

coproduce support_directory export riverside > services.json
coproduce support_directory import riverside services.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.partnerships.models import Partnership
from coproduce.support import openreferral, selectors, services


class Command(BaseCommand):
    help = "Export or import the service directory in Open Referral UK JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("partnership", help="the partnership's web address name (slug)")
        parser.add_argument("file", nargs="?", help="the JSON file to import")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership called {options['partnership']!r}.")
        if options["action"] == "export":
            page = selectors.directory_export(partnership)
            self.stdout.write(json.dumps(page, indent=2, ensure_ascii=False))
            return
        if not options["file"]:
            raise CommandError("Give the file to import.")
        path = Path(options["file"])
        try:
            if path.stat().st_size > openreferral.MAX_FILE_BYTES:  # refused before it is read
                raise openreferral.DirectoryImportError([f"larger than {openreferral.MAX_FILE_BYTES:,} bytes"])
            document = openreferral.load_document(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Could not read {path}: {error.strerror or error}") from None
        except openreferral.DirectoryImportError as error:
            raise CommandError(f"Could not read {path}: {error.problems[0]}") from None
        try:
            saved = services.directory_import(actor=None, partnership=partnership, document=document)
        except openreferral.DirectoryImportError as error:
            raise CommandError(
                "The file is not a valid Open Referral UK directory:\n" + "\n".join(error.problems)
            ) from None
        self.stdout.write(f"Imported {len(saved)} services into {partnership.name}.")
