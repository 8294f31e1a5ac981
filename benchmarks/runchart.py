"""Run-chart signals for many series at once: time ``signals_batch`` on 10 000 series of 100 points.

The series are random (normal noise, with a step change half-way through a third of them, so that every rule
has something to find). Each repeat times one call with ``time.perf_counter()`` (wall clock) and
``time.process_time()`` (CPU time of this process, which other work on a shared machine disturbs less); the
table shows the best, median and worst of the repeats and how many series each rule flagged.

    uv run python benchmarks/runchart.py                 # 10 000 × 100, 7 repeats
    uv run python benchmarks/runchart.py --series 100000 --points 100 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from coproduce.methods.runchart import signals_batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--baseline", type=int, default=20)
    args = parser.parse_args()

    rng = np.random.default_rng(2026)
    values = rng.normal(50, 5, size=(args.series, args.points)).round(1)
    changed = rng.random(args.series) < 1 / 3
    values[changed, args.points // 2 :] += 8

    signals_batch(values[:10], args.baseline)  # warm the runs table
    timings = []
    cpu = []
    result = None
    for _ in range(args.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = signals_batch(values, args.baseline)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    assert result is not None
    flagged = {
        "shift": int(result.shift.any(axis=1).sum()),
        "trend": int(result.trend.any(axis=1).sum()),
        "too few runs": int(result.too_few_runs.sum()),
        "too many runs": int(result.too_many_runs.sum()),
        "astronomical": int(result.astronomical.any(axis=1).sum()),
    }
    print(f"series {args.series} × points {args.points}, baseline {args.baseline}, repeats {args.repeats}")
    print("| best s | median s | worst s | CPU median s | CPU worst s | under 1 s |")
    print("|-------:|---------:|--------:|-------------:|------------:|-----------|")
    best, median, worst = min(timings), statistics.median(timings), max(timings)
    print(
        f"| {best:.3f} | {median:.3f} | {worst:.3f} | {statistics.median(cpu):.3f} | {max(cpu):.3f} "
        f"| {'yes' if worst < 1 else 'no'} |"
    )
    print("series flagged: " + ", ".join(f"{rule} {count}" for rule, count in flagged.items()))


if __name__ == "__main__":
    main()
