"""Time the Method of Equal Shares on a large Pabulib election, against pabutools on the same instance.

What it does:

1. reads the file with ``coproduce.methods.pabulib`` (not timed) and builds the instance;
2. times ``equal_shares(instance, completion="none")`` and ``completion="add1"`` (``--repeat`` times each, on a
   fresh copy of the instance each time, so merging identical ballots is included in every timing; the median
   is reported);
3. measures the peak memory of one run of each (``tracemalloc``, which counts numpy's arrays too) and the
   process's peak resident memory (``ru_maxrss``) before pabutools runs;
4. unless ``--no-pabutools``: parses the same file with pabutools, merges identical ballots
   (``as_multiprofile()``) and times ``method_of_equal_shares(..., sat_class=Cost_Sat)`` without and with
   ``voter_budget_increment=1`` (``--pabutools-repeat`` times each), checks both rules select the same projects
   in the same order, and reports the ratio;
5. prints the machine's load average before and after (other work shares the machine); ``--wait-idle N``
   first waits up to N seconds for the 1-minute load average to fall below ``--idle-load`` (default 1.0).
   Wall-clock and CPU times (``time.process_time``) are both reported: on a busy machine the CPU time is the
   steadier measure of the work done.

    uv run python benchmarks/equal_shares.py                       # Poland_Lodz_2022.pb from tests/data
    uv run python benchmarks/equal_shares.py --file OTHER.pb --repeat 5 --json

pabutools (GPL-3.0-or-later) is a development dependency used here as the reference only.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coproduce.methods.equal_shares import Instance, equal_shares
from coproduce.methods.pabulib import read_pb, to_instance

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "pabulib" / "Poland_Lodz_2022.pb"


def fresh(instance: Instance) -> Instance:
    # New ballot mappings (equal content), so that nothing prepared for one run is reused by the next.
    return Instance(
        budget=instance.budget,
        costs=dict(instance.costs),
        ballots=[dict(b) for b in instance.ballots],
        kind=instance.kind,
    )


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, list[float], float, Any]:
    """Median wall-clock seconds, every wall-clock time, median CPU seconds of this process, the last result."""
    times = []
    cpu = []
    result = None
    for _ in range(repeat):
        gc.collect()
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), times, statistics.median(cpu), result


def peak_memory(function: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pabutools-repeat", type=int, default=1)
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--wait-idle", type=float, default=0.0, help="wait up to this many seconds for a quiet machine")
    parser.add_argument("--idle-load", type=float, default=1.0)
    args = parser.parse_args()

    waited_until = time.monotonic() + args.wait_idle
    while os.getloadavg()[0] > args.idle_load and time.monotonic() < waited_until:
        time.sleep(5)

    load_before = os.getloadavg()
    instance = to_instance(read_pb(args.file))
    copies = [fresh(instance) for _ in range(args.repeat)]
    plain_copies = iter(copies)
    plain_s, plain_all, plain_cpu, plain = timed(
        lambda: equal_shares(next(plain_copies), completion="none"), args.repeat
    )
    copies = [fresh(instance) for _ in range(args.repeat)]
    add1_copies = iter(copies)
    add1_s, add1_all, add1_cpu, add1 = timed(lambda: equal_shares(next(add1_copies), completion="add1"), args.repeat)
    del copies
    plain_peak = peak_memory(lambda: equal_shares(fresh(instance), completion="none"))
    add1_peak = peak_memory(lambda: equal_shares(fresh(instance), completion="add1"))
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    result: dict[str, Any] = {
        "file": args.file.name,
        "voters": len(instance.ballots),
        "projects": len(instance.costs),
        "groups_of_identical_ballots": len(plain.groups),
        "plain": {
            "seconds": plain_s,
            "cpu_seconds": plain_cpu,
            "all": plain_all,
            "selected": len(plain.selected),
            "cost": plain.cost,
        },
        "add1": {
            "seconds": add1_s,
            "cpu_seconds": add1_cpu,
            "all": add1_all,
            "selected": len(add1.selected),
            "cost": add1.cost,
            "runs": add1.runs,
        },
        "tracemalloc_peak_mib": {"plain": plain_peak / 2**20, "add1": add1_peak / 2**20},
        "process_max_rss_mib_before_pabutools": max_rss_mib,
        "python": platform.python_version(),
    }

    if not args.no_pabutools:
        from pabutools.election import Additive_Cardinal_Sat, Cost_Sat, parse_pabulib
        from pabutools.rules import method_of_equal_shares

        pb_instance, profile = parse_pabulib(str(args.file))
        multiprofile = profile.as_multiprofile()
        sat = Cost_Sat if instance.kind == "approval" else Additive_Cardinal_Sat

        def reference(increment: int | None) -> list[str]:
            outcome = method_of_equal_shares(pb_instance, multiprofile, sat_class=sat, voter_budget_increment=increment)
            return [p.name for p in outcome]

        ref_plain_s, ref_plain_all, ref_plain_cpu, ref_plain = timed(lambda: reference(None), args.pabutools_repeat)
        ref_add1_s, ref_add1_all, ref_add1_cpu, ref_add1 = timed(lambda: reference(1), args.pabutools_repeat)
        ours_plain = list(equal_shares(instance, completion="none", tie_break="id").selected)
        ours_add1 = list(equal_shares(instance, completion="add1", tie_break="id").selected)
        result["pabutools"] = {
            "plain": {
                "seconds": ref_plain_s,
                "cpu_seconds": ref_plain_cpu,
                "all": ref_plain_all,
                "same_selection": ours_plain == ref_plain,
            },
            "add1": {
                "seconds": ref_add1_s,
                "cpu_seconds": ref_add1_cpu,
                "all": ref_add1_all,
                "same_selection": ours_add1 == ref_add1,
            },
        }
        result["ratio"] = {"plain": ref_plain_s / plain_s, "add1": ref_add1_s / add1_s}
        result["ratio_cpu"] = {"plain": ref_plain_cpu / plain_cpu, "add1": ref_add1_cpu / add1_cpu}

    result["load_average_before"] = load_before
    result["load_average_after"] = os.getloadavg()

    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{result['file']}: {result['voters']} voters, {result['projects']} projects, "
        f"{result['groups_of_identical_ballots']} groups of identical ballots"
    )
    print(
        f"plain MES : {plain_s:.3f} s (CPU {plain_cpu:.3f} s; median of {args.repeat}), "
        f"{len(plain.selected)} projects, cost {plain.cost}"
    )
    print(
        f"MES + Add1: {add1_s:.3f} s (CPU {add1_cpu:.3f} s; median of {args.repeat}), {add1.runs} runs, "
        f"{len(add1.selected)} projects, cost {add1.cost}"
    )
    print(
        f"peak memory (tracemalloc): plain {plain_peak / 2**20:.1f} MiB, add1 {add1_peak / 2**20:.1f} MiB; "
        f"process peak RSS {max_rss_mib:.0f} MiB"
    )
    if "pabutools" in result:
        ref = result["pabutools"]
        for label, key in (("plain", "plain"), ("Add1 ", "add1")):
            print(
                f"pabutools {label}: {ref[key]['seconds']:.2f} s (CPU {ref[key]['cpu_seconds']:.2f} s), "
                f"ratio {result['ratio'][key]:.0f}x (CPU {result['ratio_cpu'][key]:.0f}x), "
                f"same selection: {ref[key]['same_selection']}"
            )
    print(f"load average before {load_before}, after {result['load_average_after']}")


if __name__ == "__main__":
    main()
