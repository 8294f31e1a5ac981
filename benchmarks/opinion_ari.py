"""How far our opinion groups agree with Pol.is's own, on the public Pol.is conversations.

For each conversation in ``tests/data/polis/opendata`` this compares Pol.is's exported ``group-id``
(``participants-votes.csv``) with:

* a **fresh** computation from all votes (``opinion.update``), and our clustering at the k Pol.is
  shows, taken from the same update;
* a **replay** of the votes in time order, one update per batch of ``--interval`` seconds
  (``opinion.replay``), as Pol.is's math worker computed them over the conversation's life.

* with ``--first-map``, the replay an imported conversation's first snapshot runs: the shortest of
  1 minute, 1 hour, 1 day whose replay is at most 1 200 updates (``conversations.snapshots``'s
  ``HISTORY_INTERVALS`` and ``HISTORY_MAX_UPDATES``, repeated here to run without Django).

The agreement is the adjusted Rand index over the participants both put in a group (1 = the same
partition, about 0 = chance). Also printed: how many participants each puts in a group, the number
of groups and the seconds taken. A replay of vtaiwan.uberx at 3 600 s is about a thousand updates
(minutes on a shared machine); ``--conversations`` picks a few.

    uv run python benchmarks/opinion_ari.py
    uv run python benchmarks/opinion_ari.py --intervals 86400 3600 60 --conversations canadian-electoral-reform
    uv run python benchmarks/opinion_ari.py --intervals --first-map
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Hashable
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, os.environ.get("COPRODUCE_BLAS_THREADS", "1"))

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from coproduce.methods import opinion, polis_csv  # noqa: E402

OPEN_DATA = ROOT / "tests" / "data" / "polis" / "opendata"
FIRST_MAP_INTERVALS = (60.0, 3600.0, 86400.0)  # as conversations.snapshots.HISTORY_INTERVALS (seconds)
FIRST_MAP_MAX_UPDATES = 1200  # as conversations.snapshots.HISTORY_MAX_UPDATES
CONVERSATIONS = [
    "london.youth.policing",
    "brexit-consensus",
    "scoop-hivemind.ubi",
    "canadian-electoral-reform",
    "vtaiwan.uberx",
]


def agreement(polis: dict[object, int | None], ours: dict[object, int | None]) -> tuple[float, int]:
    both = [p for p, g in polis.items() if g is not None and ours.get(p) is not None]
    return opinion.adjusted_rand_index([polis[p] for p in both], [ours[p] for p in both]), len(both)


def at_k(state: opinion.State, k: int) -> dict[object, int | None]:
    """Participant -> group in the update's clustering for ``k`` groups (empty if not tried)."""
    base: dict[Hashable, list[Hashable]] = {b.id: b.members for b in state.base_clusters}
    return {p: g.id for g in state.group_clusterings.get(k, []) for b in g.members for p in base[b]}


def measure(name: str, intervals: list[float], first_map: bool = False) -> dict[str, object]:
    export = polis_csv.read_export(OPEN_DATA / name)
    assert export.groups is not None
    polis = export.groups
    polis_k = len({g for g in polis.values() if g is not None})
    row: dict[str, object] = {
        "participants": len(polis),
        "polis_clustered": sum(g is not None for g in polis.values()),
        "polis_groups": polis_k,
    }
    statements = sorted(export.statement_ids)  # Pol.is's column order: by comment id
    started = time.perf_counter()
    fresh, state = opinion.update(export.votes, statements, export.moderated_out)
    ari, both = agreement(polis, fresh.participants)
    tried = polis_k in state.group_clusterings
    row["fresh"] = {
        "ari": round(ari, 3),
        "ari_at_polis_k": round(agreement(polis, at_k(state, polis_k))[0], 3) if tried else None,
        "in_both": both,
        "clustered": len(fresh.in_conv),
        "groups": len(fresh.groups),
        "seconds": round(time.perf_counter() - started, 3),
    }
    for interval in intervals:
        started = time.perf_counter()
        # the export's timestamps are in milliseconds
        replayed, _ = opinion.replay(export.votes, statements, export.moderated_out, interval=interval * 1000)
        ari, both = agreement(polis, replayed.participants)
        row[f"replay_{interval:g}s"] = {
            "ari": round(ari, 3),
            "in_both": both,
            "clustered": len(replayed.in_conv),
            "groups": len(replayed.groups),
            "seconds": round(time.perf_counter() - started, 1),
        }
    if first_map:
        started = time.perf_counter()
        moments = [ts for *_vote, ts in export.votes]
        chosen = opinion.replay_interval(moments, [i * 1000 for i in FIRST_MAP_INTERVALS], FIRST_MAP_MAX_UPDATES)
        replayed, _ = opinion.replay(export.votes, statements, export.moderated_out, interval=chosen)
        ari, both = agreement(polis, replayed.participants)
        row["first_map"] = {
            "interval_s": chosen / 1000,
            "updates": opinion.replay_updates(moments, chosen),
            "ari": round(ari, 3),
            "in_both": both,
            "groups": len(replayed.groups),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--intervals", type=float, nargs="*", default=[3600.0], help="replay batch lengths, seconds")
    parser.add_argument("--conversations", nargs="*", default=CONVERSATIONS, choices=CONVERSATIONS)
    parser.add_argument("--first-map", action="store_true", help="the replay of an imported conversation's first map")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"load": os.getloadavg()}
    for name in args.conversations:
        report[name] = measure(name, args.intervals, args.first_map)
        if not args.json:
            print(name, json.dumps(report[name]), flush=True)
    report["load_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"load average before {report['load']}, after {report['load_after']}")


if __name__ == "__main__":
    main()
