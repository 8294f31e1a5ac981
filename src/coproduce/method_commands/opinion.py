"""``coproduce opinion FOLDER [--json]``: the opinion map of a Pol.is export folder.

Reads ``comments.csv`` plus ``votes.csv`` (or ``participants-votes.csv`` when there is no
``votes.csv``), runs the Pol.is method (``coproduce.methods.opinion``) and prints the groups with
their representative statements, and the consensus statements. ``--json`` prints
``{"participants": {id: group or null}, "groups": [...], "consensus": {...}, "seconds": ...}``.
Needs no database.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from coproduce.method_commands import CommandFailed
from coproduce.methods import opinion, polis_csv

HELP = "Show the opinion groups, representative and consensus statements of a Pol.is export folder."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", help="folder with comments.csv and votes.csv (or participants-votes.csv)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def handle(options: Mapping[str, Any], write: Callable[[str], None]) -> None:
    try:
        export = polis_csv.read_export(options["folder"])
    except polis_csv.PolisCsvError as error:
        raise CommandFailed(str(error)) from None
    started = time.perf_counter()
    result, _state = opinion.update(export.votes, export.statement_ids, export.moderated_out)
    seconds = time.perf_counter() - started
    texts: dict[Hashable, str] = {s.id: s.text for s in export.statements}
    if options["json"]:
        write(json.dumps(_as_json(result, texts, seconds), ensure_ascii=False, indent=2))
        return
    _print_text(write, result, texts, seconds, export.source)


def _print_text(
    write: Callable[[str], None], result: opinion.Result, texts: dict[Hashable, str], seconds: float, source: str
) -> None:
    write(
        f"{result.n_participants} participants, {result.n_statements} statements, {result.n_votes} votes "
        f"(from {source}); {len(result.in_conv)} in the map; computed in {seconds:.3f} s"
    )
    if not result.groups:
        write("No groups: too few votes.")
    for number, group in enumerate(result.groups, start=1):
        write("")
        write(f"Group {_letter(number)} ({len(group.members)} participants)")
        for rep in result.repness.get(group.id, []):
            direction = "agree" if rep.repful_for == "agree" else "disagree"
            write(
                f"  {rep.p_success:4.0%} {direction}: [{rep.statement}] {_short(texts.get(rep.statement, ''))}"
                f" ({rep.n_success} of {rep.n_trials})"
            )
    for direction in ("agree", "disagree"):
        items = result.consensus.get(direction, [])
        write("")
        write(f"Everyone tends to {direction}:" if items else f"No consensus to {direction}.")
        for item in items:
            write(
                f"  {item.p_success:4.0%}: [{item.statement}] {_short(texts.get(item.statement, ''))}"
                f" ({item.n_success} of {item.n_trials})"
            )


def _letter(number: int) -> str:
    return chr(ord("A") + number - 1) if number <= 26 else str(number)


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_json(result: opinion.Result, texts: dict[Hashable, str], seconds: float) -> dict[str, Any]:
    return {
        "participants": {str(p): g for p, g in result.participants.items()},
        "groups": [
            {
                "id": group.id,
                "members": len(group.members),
                "center": list(group.center),
                "representative": [
                    {**rep.to_dict(), "text": texts.get(rep.statement, "")} for rep in result.repness.get(group.id, [])
                ],
            }
            for group in result.groups
        ],
        "consensus": {
            direction: [{**item.to_dict(), "text": texts.get(item.statement, "")} for item in items]
            for direction, items in result.consensus.items()
        },
        "group_aware_consensus": {str(k): v for k, v in result.group_aware_consensus.items()},
        "seconds": seconds,
    }
