"""Time the opinion-map method (``coproduce.methods.opinion``) on real and synthetic conversations.

1. ``vtaiwan.uberx`` (Pol.is open data in ``tests/data/polis/opendata``: 1 921 participants, 197
   statements, 49 443 votes): a full update from the votes, fresh (no previous state) and warm (with
   the state of an update made before the last 5 % of the votes arrived), best of ``--repeat``;
2. a synthetic conversation (default 100 000 participants x 2 000 statements x 5 000 000 votes,
   three opinion groups, every participant voting on a random subset): one fresh full update
   through ``update_arrays``, then one warm update. Peak memory is the process's peak resident set
   size (``ru_maxrss``), which includes the generated votes themselves.

Prints a table, or JSON with ``--json``, with the load average before and after. BLAS runs with
one thread (``OPENBLAS_NUM_THREADS=1``, the setting for background work on a small shared
machine); ``COPRODUCE_BLAS_THREADS=2`` measures with two.

    uv run python benchmarks/opinion.py
    uv run python benchmarks/opinion.py --participants 20000 --votes 1000000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

# One BLAS thread unless told otherwise (before numpy loads): on a 2-core machine shared with web
# workers, a multi-threaded BLAS spends its time waiting for the other thread's core.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, os.environ.get("COPRODUCE_BLAS_THREADS", "1"))

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from coproduce.methods import opinion, polis_csv  # noqa: E402

VTAIWAN = ROOT / "tests" / "data" / "polis" / "opendata" / "vtaiwan.uberx"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_vtaiwan(repeat: int) -> dict[str, float | int]:
    """Best of ``repeat`` runs; CPU time is this process's (user + system)."""
    export = polis_csv.read_export(VTAIWAN)
    votes = sorted(export.votes, key=lambda v: v[3])
    stmts, mod_out = export.statement_ids, export.moderated_out
    fresh, fresh_cpu = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result, _state = opinion.update(votes, stmts, mod_out)
        fresh.append(time.perf_counter() - started)
        fresh_cpu.append(time.process_time() - cpu)
    cut = int(len(votes) * 0.95)
    _, earlier = opinion.update(votes[:cut], stmts, mod_out)
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        opinion.update(votes, stmts, mod_out, earlier)
        warm.append(time.perf_counter() - started)
    return {
        "participants": result.n_participants,
        "statements": result.n_statements,
        "votes": result.n_votes,
        "groups": len(result.groups),
        "fresh_seconds": min(fresh),
        "fresh_cpu_seconds": min(fresh_cpu),
        "warm_seconds": min(warm),
    }


def synthetic(n: int, p: int, n_votes: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Votes of ``n`` participants in 3 opinion groups on ``p`` statements, without repeats."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 3, n)
    agree_p = rng.uniform(0.05, 0.95, (3, p)).astype(np.float32)
    per = rng.poisson(n_votes / n, n).clip(1, p)
    per = (per * (n_votes / per.sum())).astype(np.int64).clip(1, p)
    pids = np.repeat(np.arange(n, dtype=np.int64), per)
    # distinct statements per participant: random keys, sorted within each participant
    sids = np.empty(len(pids), dtype=np.int64)
    start = 0
    block = 20_000
    offsets = np.concatenate([[0], np.cumsum(per)])
    for a in range(0, n, block):
        b = min(n, a + block)
        lo, hi = offsets[a], offsets[b]
        keys = rng.random((b - a, p), dtype=np.float32).argsort(axis=1)
        mask = np.arange(p)[None, :] < per[a:b, None]
        sids[lo:hi] = keys[mask]
        start = hi
    del start
    draw = rng.random(len(pids), dtype=np.float32)
    pa = agree_p[group[pids], sids]
    passes = rng.random(len(pids), dtype=np.float32) < 0.15
    votes = np.where(draw < pa, 1, -1).astype(np.int8)
    votes[passes] = 0
    order = rng.permutation(len(pids))
    return pids[order], sids[order], votes[order]


def bench_synthetic(n: int, p: int, n_votes: int) -> dict[str, float | int]:
    pids, sids, votes = synthetic(n, p, n_votes)
    stmts = list(range(p))
    before = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    result, state = opinion.update_arrays(pids, sids, votes, stmts)
    fresh, fresh_cpu = time.perf_counter() - started, time.process_time() - cpu
    fresh_peak = peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    opinion.update_arrays(pids, sids, votes, stmts, previous=state)
    warm, warm_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "participants": result.n_participants,
        "statements": result.n_statements,
        "votes": result.n_votes,
        "groups": len(result.groups),
        "fresh_seconds": fresh,
        "fresh_cpu_seconds": fresh_cpu,
        "warm_seconds": warm,
        "warm_cpu_seconds": warm_cpu,
        "peak_mb_before_update": before,
        "peak_mb": max(fresh_peak, peak_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs on vtaiwan.uberx (best is reported)")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--statements", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=5_000_000)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"load": os.getloadavg(), "blas_threads": os.environ["OPENBLAS_NUM_THREADS"]}
    report["vtaiwan.uberx"] = bench_vtaiwan(args.repeat)
    if not args.skip_synthetic:
        report["synthetic"] = bench_synthetic(args.participants, args.statements, args.votes)
    report["load_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for name in ("vtaiwan.uberx", "synthetic"):
        if name not in report:
            continue
        row = report[name]
        assert isinstance(row, dict)
        print(f"{name}: " + ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
    print(f"load average before {report['load']}, after {report['load_after']}")


if __name__ == "__main__":
    main()
