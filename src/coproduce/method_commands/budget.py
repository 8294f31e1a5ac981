"""``coproduce budget FILE.pb``: compute the outcome of a Pabulib election, so anyone can check a result."""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from coproduce.method_commands import CommandFailed
from coproduce.methods.equal_shares import Outcome, equal_shares, greedy
from coproduce.methods.pabulib import PabulibError, read_pb, to_instance

HELP = (
    "Compute which projects an election in a Pabulib .pb file funds, by the Method of Equal Shares (with a "
    "completion) or by utilitarian greedy, and print their ids as in the file, their cost and the time taken."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
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
    parser.add_argument("--json", action="store_true", help='print {"selected": [...], "cost": ..., "seconds": ...}')


def handle(options: Mapping[str, Any], write: Callable[[str], None]) -> None:
    path = options["file"]
    rule = options["rule"]
    completion = options["completion"]
    if rule == "greedy" and completion not in (None, "none"):
        raise CommandFailed("--completion applies to --rule equal-shares only.")
    try:
        # Python's collector of reference cycles runs every few hundred new containers, each time looking
        # through those still alive; reading a large file makes hundreds of thousands of lists and dicts,
        # none in a cycle, so this one-shot process pauses it meanwhile (docs/performance.md, "Method
        # commands"). The library's readers leave it alone: the web upload reads files in a shared process.
        collecting = gc.isenabled()
        gc.disable()
        try:
            instance = to_instance(read_pb(path))
        finally:
            if collecting:
                gc.enable()
    except PabulibError as error:
        raise CommandFailed(str(error)) from None
    except OSError as error:
        raise CommandFailed(f"{path}: cannot be read ({error.strerror or error}).") from None
    started = time.perf_counter()
    outcome: Outcome
    if rule == "greedy":
        outcome = greedy(instance, tie_break=options["tie_break"])
    else:
        outcome = equal_shares(instance, completion=completion or "add1", tie_break=options["tie_break"])
    seconds = time.perf_counter() - started
    if options["json"]:
        write(json.dumps({"selected": list(outcome.selected), "cost": outcome.cost, "seconds": seconds}))
        return
    method = "utilitarian greedy" if rule == "greedy" else f"Method of Equal Shares, completion {outcome.completion}"
    write(f"Rule: {method}")
    write(f"Selected ({len(outcome.selected)} projects): {' '.join(outcome.selected)}")
    write(f"Cost: {outcome.cost} of a budget of {instance.budget}")
    write(f"Time: {seconds:.3f} s")
