"""Time ``coproduce count`` (STV by the Scottish rules) as a whole process against votekit's STV run the same way
on the same file: the largest BLT file in the shared data folder (``../shared/data/stv``, or ``--data``).

A whole process is what someone checking a result waits for: starting Python, importing, reading the file,
counting, printing. For each repeat the two commands run one after the other (which goes first alternates; each
runs once first, untimed, so that its bytecode is compiled and kept, as for an installed program); the medians of
the wall-clock times, of the CPU times (user + system of the child) and of the ratios are reported, with the
load average before and after. Both must elect the same candidates.

The votekit process reads the BLT file with a few lines of its own (votekit's ``load_scottish`` reads the
source's CSV files, not BLT) and runs ``votekit.elections.STV`` with its defaults (Droop quota, fractional
transfers): votekit is in the dev dependency group.

    uv run python benchmarks/count_vs_votekit.py
    uv run python benchmarks/count_vs_votekit.py --repeat 9 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

VOTEKIT = """
import csv, json, sys
from votekit.ballot import Ballot
from votekit.elections import STV
from votekit.pref_profile import PreferenceProfile
lines = [line.strip() for line in open(sys.argv[1], encoding="utf-8-sig") if line.strip()]
size, seats = (int(x) for x in lines[0].split())
end = lines.index("0")
names = [next(csv.reader([line]))[0].strip() for line in lines[end + 1 : end + 1 + size]]
ballots = []
for line in lines[1:end]:
    parts = [int(x) for x in line.split()]
    if len(parts) > 2 and parts[0] > 0:
        ballots.append(Ballot(ranking=tuple(frozenset({names[n - 1]}) for n in parts[1:-1]), weight=parts[0]))
count = STV(PreferenceProfile(ballots=tuple(ballots), candidates=tuple(names)), m=seats)
print(json.dumps({"elected": [name for group in count.get_elected() for name in group]}))
"""

# As installed: Python may keep the compiled bytecode of what it imports.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def default_data() -> Path:
    if os.environ.get("COPRODUCE_BENCH_DATA"):
        return Path(os.environ["COPRODUCE_BENCH_DATA"]) / "stv"
    for candidate in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate / "stv"
    return ROOT.parent / "shared" / "data" / "stv"


def run(command: list[str]) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system) of one whole process, and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data(), help="the folder of BLT files")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    path = max(sorted(args.data.glob("*.blt")), key=lambda p: p.stat().st_size)
    ours = [sys.executable, "-m", "coproduce.cli", "count", str(path), "--json"]
    reference = [sys.executable, "-c", VOTEKIT, str(path)]
    run(ours)
    run(reference)
    load_before = os.getloadavg()
    rows = []
    out_ours = out_ref = ""
    for index in range(args.repeat):
        if index % 2 == 0:
            wall_o, cpu_o, out_ours = run(ours)
            wall_r, cpu_r, out_ref = run(reference)
        else:
            wall_r, cpu_r, out_ref = run(reference)
            wall_o, cpu_o, out_ours = run(ours)
        rows.append({"ours": wall_o, "ours_cpu": cpu_o, "votekit": wall_r, "votekit_cpu": cpu_r})
    elected_ours, elected_votekit = json.loads(out_ours)["elected"], json.loads(out_ref)["elected"]
    result: dict[str, Any] = {
        "file": path.name,
        "bytes": path.stat().st_size,
        "repeat": args.repeat,
        "median": {key: statistics.median(row[key] for row in rows) for key in rows[0]},
        "ratio": statistics.median(row["votekit"] / row["ours"] for row in rows),
        "ratio_cpu": statistics.median(row["votekit_cpu"] / row["ours_cpu"] for row in rows),
        "same_elected": set(elected_ours) == set(elected_votekit),
        "runs": rows,
        "load": {"before": load_before, "after": os.getloadavg()},
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    median = result["median"]
    print(f"{path.name} ({result['bytes']:,} bytes), {args.repeat} repeats, {result['machine']}")
    print(f"load average before {load_before[0]:.2f}, after {result['load']['after'][0]:.2f}")
    print("| | wall (median) | CPU (median) |")
    print("|---|---|---|")
    print(f"| `coproduce count --json` | {median['ours']:.2f} s | {median['ours_cpu']:.2f} s |")
    print(f"| votekit `STV` | {median['votekit']:.2f} s | {median['votekit_cpu']:.2f} s |")
    print(f"| votekit ÷ ours (median of ratios) | {result['ratio']:.1f}× | {result['ratio_cpu']:.1f}× |")
    print(f"same elected: {result['same_elected']}")
    if not result["same_elected"]:
        raise SystemExit("the two counts elected different candidates")


if __name__ == "__main__":
    main()
