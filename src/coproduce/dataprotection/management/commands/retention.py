"""``coproduce retention [--dry-run] [--partnership SLUG]``: apply the retention periods now, printing per
partnership and kind what it did (or, with ``--dry-run``, what it would do, changing nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.dataprotection.services import retention_apply
from coproduce.partnerships.models import Partnership


class Command(BaseCommand):
    help = "Delete or anonymise what has passed its retention period (each partnership's settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would go, and change nothing.")
        parser.add_argument("--partnership", metavar="SLUG", help="Only this partnership.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        partnerships = Partnership.objects.order_by("slug")
        if options["partnership"]:
            partnerships = partnerships.filter(slug=options["partnership"])
            if not partnerships.exists():
                raise CommandError(f"There is no partnership with the web address name {options['partnership']!r}.")
        verb = "would remove" if dry_run else "removed"
        for partnership in partnerships:
            run = retention_apply(partnership=partnership, dry_run=dry_run)
            heading = f"{partnership.name} ({partnership.slug})" + (": dry run, nothing changed" if dry_run else "")
            self.stdout.write(heading)
            outcomes = list(run.outcomes.order_by("kind"))
            if not outcomes:
                self.stdout.write("  no kind of data has a retention period: nothing looked at")
            for outcome in outcomes:
                cutoff = f"{outcome.cutoff.day} {outcome.cutoff:%B %Y}"
                self.stdout.write(f"  {outcome.kind}: {verb} {outcome.count} (older than {cutoff}) – {outcome.label}")
