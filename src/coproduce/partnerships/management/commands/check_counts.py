"""``coproduce check-counts [--partnership SLUG] [--json]``: every count the platform keeps on a row, counted
again from the rows it counts (``partnerships.kept_counts``; docs/integrity.md).

Exit status 0 when every kept count equals its recount (and no limit is exceeded), 1 otherwise, with each
mismatch printed: model, row, field, kept, recounted. One query per kind of count; it only reads, so it is
safe to run while the site is running (a count changed between the two reads of one row cannot differ: the
recount and the kept number are read in the same query).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.partnerships.kept_counts import kept_counts, mismatches
from coproduce.partnerships.models import Partnership


class Command(BaseCommand):
    help = "Count every kept count again from its rows; exit 1 and list each row where they differ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", metavar="SLUG", help="only this partnership's rows")
        parser.add_argument("--json", action="store_true", help="one JSON document on standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership_id = None
        if options["partnership"]:
            found = Partnership.objects.filter(slug=options["partnership"]).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No partnership has the slug {options['partnership']!r}.")
            partnership_id = found
        kinds = []
        wrong = []
        started = time.perf_counter()
        for kept in kept_counts():
            kind_started = time.perf_counter()
            found_wrong = mismatches(kept, partnership_id)
            kinds.append(
                {
                    "key": kept.key,
                    "rule": kept.rule,
                    "counts": kept.counts,
                    "mismatches": len(found_wrong),
                    "seconds": round(time.perf_counter() - kind_started, 4),
                }
            )
            wrong.extend(found_wrong)
        seconds = round(time.perf_counter() - started, 4)
        if options["json"]:
            document = {
                "ok": not wrong,
                "partnership": options["partnership"] or None,
                "kinds": kinds,
                "mismatches": [m.as_dict() for m in wrong],
                "seconds": seconds,
            }
            self.stdout.write(json.dumps(document, indent=2))
        else:
            rules = {kept.key: kept.rule for kept in kept_counts()}
            for m in wrong:
                relation = "at most" if rules.get(m.key) == "at_most" else "kept"
                self.stdout.write(
                    f"{m.model} {m.row} {m.field}: {relation} {m.kept}, recounted {m.recounted}  ({m.key})"
                )
            summary = f"{len(kinds)} kinds of kept count checked in {seconds:.2f} s: "
            summary += f"{len(wrong)} mismatches." if wrong else "every one equals its recount."
            (self.stderr if wrong else self.stdout).write(summary)
        if wrong:
            sys.exit(1)
