"""``coproduce count FILE.blt``: count a ranked-ballot election (BLT, or PrefLib ``.soi``), so anyone can check a
result."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from coproduce.method_commands import CommandFailed
from coproduce.methods.blt import BltError, Election, read_blt
from coproduce.methods.preflib import PreflibError, read_soi
from coproduce.methods.ranked import irv, schulze
from coproduce.methods.stv import UNIT, stv

HELP = (
    "Count a ranked-ballot election in a BLT file by the single transferable vote as Scottish councils count "
    "it (default), by instant runoff or by the Schulze method, and print the elected in order of election. A file "
    "whose name ends in .soi is read as PrefLib strict orders."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.blt", help="a BLT file of ranked ballots (or a PrefLib .soi file)")
    parser.add_argument("--method", choices=["stv", "irv", "schulze"], default="stv")
    parser.add_argument("--seats", type=int, default=None, help="seats to fill by STV (default: the file's)")
    parser.add_argument("--seed", type=int, default=0, help="the seed of the lot for ties no rule settles")
    parser.add_argument(
        "--json", action="store_true", help='print {"elected": [...], "elected_numbers": [...], "quota": ..., ...}'
    )


def _read(path: str) -> Election:
    """The election in the BLT file at ``path``, or the PrefLib file if its name ends in ``.soi``."""
    if not path.lower().endswith(".soi"):
        return read_blt(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PreflibError(0, "the file is not UTF-8 text.", name=Path(path).name) from None
    return read_soi(text, name=Path(path).name)


def handle(options: Mapping[str, Any], write: Callable[[str], None]) -> None:
    path = options["file"]
    method = options["method"]
    seats = options["seats"]
    if seats is not None and method != "stv":
        raise CommandFailed("--seats applies to --method stv only (instant runoff and Schulze elect one).")
    if seats is not None and seats < 1:
        raise CommandFailed("--seats must be at least 1.")
    try:
        election = _read(path)
    except (BltError, PreflibError) as error:
        raise CommandFailed(str(error)) from None
    except OSError as error:
        raise CommandFailed(f"{path}: cannot be read ({error.strerror or error}).") from None
    started = time.perf_counter()
    quota: int | None = None
    stages: list[dict[str, Any]] = []
    lots = 0
    if method == "stv":
        result = stv(election, seats=seats, seed=options["seed"])
        elected = list(result.elected)
        quota, lots = result.quota, result.lots
        for counted in result.stages:
            stages.append(
                {
                    "number": counted.number,
                    "description": counted.description,
                    "totals": {election.name(n): units / UNIT for n, units in sorted(counted.totals.items())},
                    "non_transferable": counted.non_transferable / UNIT,
                    "elected": [election.name(n) for n in counted.elected],
                    "excluded": [election.name(n) for n in counted.excluded],
                }
            )
    elif method == "irv":
        runoff = irv(election, seed=options["seed"])
        elected = [] if runoff.winner is None else [runoff.winner]
        lots = runoff.lots
        for round_ in runoff.rounds:
            stages.append(
                {
                    "number": round_.number,
                    "description": round_.description,
                    "totals": {election.name(n): votes for n, votes in sorted(round_.totals.items())},
                    "non_transferable": round_.exhausted,
                }
            )
    else:
        outcome = schulze(election, seed=options["seed"])
        elected = [] if outcome.winner is None else [outcome.winner]
        lots = outcome.lots
        stages.append({"description": "Ranking: " + ", ".join(election.name(n) for n in outcome.ranking)})
    seconds = time.perf_counter() - started
    names = [election.name(n) for n in elected]
    if options["json"]:
        document = {
            "elected": names,
            "elected_numbers": elected,
            "quota": quota,
            "stages": stages,
            "lots": lots,
            "seconds": seconds,
        }
        write(json.dumps(document, ensure_ascii=False))
        return
    if election.title:
        write(f"Election: {election.title}")
    for stage in stages:
        write(stage["description"])
    write(f"Elected ({len(names)}):")
    for place, name in enumerate(names, start=1):
        write(f"{place}. {name}")
    write(f"Time: {seconds:.3f} s")
