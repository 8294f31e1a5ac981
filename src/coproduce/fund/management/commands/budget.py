"""``coproduce budget FILE.pb``: compute the outcome of a Pabulib election, so anyone can check a result."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.methods.equal_shares import Outcome, equal_shares, greedy
from coproduce.methods.pabulib import PabulibError, read_pb, to_instance


class Command(BaseCommand):
    help = (
        "Compute which projects an election in a Pabulib .pb file funds, by the Method of Equal Shares (with a "
        "completion) or by utilitarian greedy, and print their ids as in the file, their cost and the time taken."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.pb", help="a Pabulib file with approval or cumulative ballots")
        parser.add_argument("--rule", choices=["equal-shares", "greedy"], default="equal-shares")
        parser.add_argument(
            "--completion",
            choices=["none", "add1", "add1-past-exhaustive"],
            default=None,
            help="how Equal Shares spends what a first run leaves (default add1; greedy needs none)",
        )
        parser.add_argument(
            "--tie-break",
            choices=["support", "id"],
            default="support",
            help="support: more supporters, then lower cost, then project id (default); id: project id only",
        )
        parser.add_argument(
            "--json", action="store_true", help='print {"selected": [...], "cost": ..., "seconds": ...}'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        rule = options["rule"]
        completion = options["completion"]
        if rule == "greedy" and completion not in (None, "none"):
            raise CommandError("--completion applies to --rule equal-shares only.")
        try:
            instance = to_instance(read_pb(path))
        except PabulibError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from None
        started = time.perf_counter()
        outcome: Outcome
        if rule == "greedy":
            outcome = greedy(instance, tie_break=options["tie_break"])
        else:
            outcome = equal_shares(instance, completion=completion or "add1", tie_break=options["tie_break"])
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(
                json.dumps({"selected": list(outcome.selected), "cost": outcome.cost, "seconds": seconds})
            )
            return
        method = (
            "utilitarian greedy" if rule == "greedy" else f"Method of Equal Shares, completion {outcome.completion}"
        )
        self.stdout.write(f"Rule: {method}")
        self.stdout.write(f"Selected ({len(outcome.selected)} projects): {' '.join(outcome.selected)}")
        self.stdout.write(f"Cost: {outcome.cost} of a budget of {instance.budget}")
        self.stdout.write(f"Time: {seconds:.3f} s")
