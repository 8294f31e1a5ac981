"""Time ``coproduce budget`` and ``coproduce opinion`` as whole processes, side by side with the reference
libraries run the same way on the same files: pabutools for the Method of Equal Shares, red-dwarf for the
Pol.is opinion map.

A whole process is what someone checking a result waits for: starting Python, importing, reading the file,
the method, printing. For each file and each repeat the two commands run one after the other (which goes first
alternates; each runs once first on a small file, untimed, so that its bytecode is compiled and kept, as for an
installed program), so that both see the same load on a shared machine; the medians of the wall-clock times, of the
CPU times (user + system, from ``getrusage`` of the children) and of their ratios are reported, with the load
average before and after.

* ``budget``: ``coproduce budget FILE --completion none --json`` (plain MES) and ``--completion add1`` (MES +
  Add1) against a Python process that parses the file with pabutools' ``parse_pabulib`` and runs
  ``method_of_equal_shares(..., sat_class=Cost_Sat)`` on ``profile.as_multiprofile()`` without and with
  ``voter_budget_increment=1`` (as ``benchmarks/equal_shares.py`` calls it). Both selections are compared.
* ``opinion``: ``coproduce opinion FOLDER --json`` against a Python process that reads ``comments.csv`` and
  ``votes.csv`` as red-dwarf's CSV-export loader does (its ``Vote`` and ``Statement`` models, the latest vote of
  each participant on each statement), runs ``reddwarf.implementations.polis.run_pipeline`` with the moderated-out
  statements and prints the groups, representative and consensus statements as JSON.

The files are the real ones in the shared data folder (``--data``, default ``../shared/data`` next to the
repository, or ``$COPRODUCE_BENCH_DATA``); nothing of them is copied into the repository. red-dwarf is in the
``bench`` dependency group, which ``uv sync`` leaves out:

    uv run --group bench python benchmarks/method_commands.py
    uv run --group bench python benchmarks/method_commands.py --only opinion --repeat 5 --json
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

PABUTOOLS = """
import json, sys
from pabutools.election import Additive_Cardinal_Sat, Cost_Sat, parse_pabulib
from pabutools.rules import method_of_equal_shares
instance, profile = parse_pabulib(sys.argv[1])
sat = Cost_Sat if "approval" in type(profile).__name__.lower() else Additive_Cardinal_Sat
increment = None if sys.argv[2] == "none" else 1
outcome = method_of_equal_shares(instance, profile.as_multiprofile(), sat_class=sat, voter_budget_increment=increment)
print(json.dumps({"selected": [p.name for p in outcome]}))
"""

RED_DWARF = """
import csv, json, sys
from pathlib import Path
from reddwarf.data_loader import Loader
from reddwarf.implementations.polis import run_pipeline
from reddwarf.models import Statement, Vote
folder = Path(sys.argv[1])
loader = Loader()
with open(folder / "comments.csv", newline="", encoding="utf-8") as f:
    loader.comments_data = [Statement(**c).model_dump(mode="json") for c in csv.DictReader(f)]
with open(folder / "votes.csv", newline="", encoding="utf-8") as f:
    loader.votes_data = [Vote(**v).model_dump(mode="json") for v in csv.DictReader(f)]
loader.filter_duplicate_votes(keep="recent")
moderated_out = [s["statement_id"] for s in loader.comments_data if s["moderated"] == -1]
result = run_pipeline(votes=loader.votes_data, mod_out_statement_ids=moderated_out, random_state=0)
labels = result.clusterer.labels_ if result.clusterer is not None else []
print(json.dumps({"groups": len(set(int(x) for x in labels)), "repness": result.repness, "consensus": result.consensus},
                 default=str))
"""


def default_data() -> Path:
    if os.environ.get("COPRODUCE_BENCH_DATA"):
        return Path(os.environ["COPRODUCE_BENCH_DATA"])
    for candidate in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "data"


# As installed: Python may keep the compiled bytecode of what it imports (an environment that forbids it makes
# every process compile pandas, scikit-learn, numpy and Django again, which is not what people run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


PARSE = """
import json, statistics, sys, time
from coproduce.methods.pabulib import read_pb, to_instance
times = []
for _ in range(int(sys.argv[2])):
    started = time.process_time()
    to_instance(read_pb(sys.argv[1]))
    times.append(time.process_time() - started)
print(json.dumps({"median": statistics.median(times), "min": min(times)}))
"""


def run(command: list[str], source: Path | None = None) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system) of one whole process, and what it printed; ``source``: the
    folder our package is imported from (another checkout's ``src``), else the installed one."""
    env = ENV if source is None else {**ENV, "PYTHONPATH": str(source)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def paired(ours: list[str], reference: list[str], repeat: int, source: Path | None = None) -> dict[str, Any]:
    """``source``: the reference is the ``reference`` command imported from there (``--before``)."""
    rows = []
    out_ours = out_ref = ""
    for index in range(repeat):
        if index % 2 == 0:
            wall_o, cpu_o, out_ours = run(ours)
            wall_r, cpu_r, out_ref = run(reference, source)
        else:
            wall_r, cpu_r, out_ref = run(reference, source)
            wall_o, cpu_o, out_ours = run(ours)
        rows.append({"ours": wall_o, "ours_cpu": cpu_o, "reference": wall_r, "reference_cpu": cpu_r})
    median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    return {
        "runs": rows,
        "median": median,
        "ratio": statistics.median(row["reference"] / row["ours"] for row in rows),
        "ratio_cpu": statistics.median(row["reference_cpu"] / row["ours_cpu"] for row in rows),
        "output": (out_ours, out_ref),
    }


def warm_up(*commands: list[str]) -> None:
    """Run each command once, untimed, on a small file: Python compiles and keeps the bytecode of everything
    they import, and the programs are in the page cache, as for an installed program."""
    for command in commands:
        run(command)


def budget(data: Path, repeat: int, files: list[str], before: Path | None) -> list[dict[str, Any]]:
    results = []
    small = str(data / "pabulib" / "Netherlands_Assen_2024.pb")
    warm_up([sys.executable, "-m", "coproduce.cli", "budget", small], [sys.executable, "-c", PABUTOOLS, small, "add1"])
    if before:
        run([sys.executable, "-m", "coproduce.cli", "budget", small], before)
    for name in files:
        path = data / "pabulib" / name
        for completion in ("none", "add1"):
            ours = [sys.executable, "-m", "coproduce.cli", "budget", str(path), "--completion", completion, "--json"]
            reference = ours if before else [sys.executable, "-c", PABUTOOLS, str(path), completion]
            timing = paired(ours, reference, repeat, before)
            out_ours, out_ref = timing.pop("output")
            same = set(json.loads(out_ours)["selected"]) == set(json.loads(out_ref)["selected"])
            results.append(
                {"command": "budget", "file": name, "completion": completion, "same_selection": same, **timing}
            )
    return results


def opinion(data: Path, repeat: int, conversations: list[str], before: Path | None) -> list[dict[str, Any]]:
    results = []
    small = str(data / "polis" / "opendata" / "london.youth.policing")
    warm_up([sys.executable, "-m", "coproduce.cli", "opinion", small], [sys.executable, "-c", RED_DWARF, small])
    if before:
        run([sys.executable, "-m", "coproduce.cli", "opinion", small], before)
    for name in conversations:
        folder = data / "polis" / "opendata" / name
        ours = [sys.executable, "-m", "coproduce.cli", "opinion", str(folder), "--json"]
        reference = ours if before else [sys.executable, "-c", RED_DWARF, str(folder)]
        timing = paired(ours, reference, repeat, before)
        out_ours, out_ref = timing.pop("output")
        theirs = json.loads(out_ref)["groups"]
        groups = (len(json.loads(out_ours)["groups"]), theirs if isinstance(theirs, int) else len(theirs))
        results.append({"command": "opinion", "file": name, "groups_ours_reference": groups, **timing})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["budget", "opinion"])
    parser.add_argument("--pb", nargs="+", default=["Poland_Lodz_2022.pb"])
    parser.add_argument("--conversations", nargs="+")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="SRC",
        help="instead of the reference libraries, our same commands imported from SRC (another checkout's src)",
    )
    parser.add_argument(
        "--parse",
        type=Path,
        nargs="*",
        metavar="SRC",
        help="instead: CPU seconds of read_pb + to_instance on the first --pb file, in one process, medians of "
        "--repeat; with SRC folders (other checkouts' src), each in turn, alternating",
    )
    args = parser.parse_args()
    if args.parse is not None:
        parse_timings(args)
        return
    conversations = args.conversations or sorted(p.name for p in (args.data / "polis" / "opendata").iterdir())
    load_before = os.getloadavg()
    results: list[dict[str, Any]] = []
    if args.only in (None, "budget"):
        results += budget(args.data, args.repeat, args.pb, args.before)
    if args.only in (None, "opinion"):
        results += opinion(args.data, args.repeat, conversations, args.before)
    report = {
        "results": results,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    opinions = [r["ratio"] for r in results if r["command"] == "opinion"]
    if opinions:
        report["opinion_median_ratio"] = statistics.median(opinions)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    other = "before" if args.before else "reference"
    print(f"{'command':8} {'file':40} {'ours s (CPU)':>16} {other + ' s (CPU)':>18} {'ratio (CPU)':>14}")
    for r in results:
        label = r["file"] + (f" {r['completion']}" if r["command"] == "budget" else "")
        m = r["median"]
        print(
            f"{r['command']:8} {label:40} {m['ours']:7.2f} ({m['ours_cpu']:5.2f}) {m['reference']:8.2f} "
            f"({m['reference_cpu']:6.2f}) {r['ratio']:6.1f}x ({r['ratio_cpu']:4.1f}x)"
            + (f"  same selection: {r['same_selection']}" if "same_selection" in r else "")
            + (f"  groups ours/{other}: {r['groups_ours_reference']}" if "groups_ours_reference" in r else "")
        )
    if opinions:
        print(f"opinion: median of the ratios over {len(opinions)} conversations {report['opinion_median_ratio']:.1f}x")
    print(f"{repeat_note(args.repeat)}; load average before {load_before}, after {report['load_average_after']}")


def parse_timings(args: argparse.Namespace) -> None:
    path = str(args.data / "pabulib" / args.pb[0])
    sources: list[Path | None] = [*args.parse] or [None]
    found: dict[str, list[float]] = {str(source): [] for source in sources}
    load_before = os.getloadavg()
    for index in range(args.repeat):
        for source in sources if index % 2 == 0 else sources[::-1]:
            found[str(source)].append(json.loads(run([sys.executable, "-c", PARSE, path, "1"], source)[2])["median"])
    for name, times in found.items():
        label = "this checkout" if name == "None" else name
        print(f"{label}: read_pb + to_instance {statistics.median(times):.3f} s CPU (median of {len(times)})")
    print(f"load average before {load_before}, after {os.getloadavg()}")


def repeat_note(repeat: int) -> str:
    return f"medians of {repeat} paired runs"


if __name__ == "__main__":
    main()
