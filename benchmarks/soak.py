"""Soak test: hours of steady mixed load on PostgreSQL, watching each process's memory; a benchmark, not CI.

What it does:

1. creates the PostgreSQL database ``coproduce_soak`` (``--database-url``; dropped first if it is there, so use
   a database of your own), with the production settings (``COPRODUCE_DEMO`` unset, HTTPS redirect off because
   the traffic is plain HTTP on 127.0.0.1): ``migrate``, ``collectstatic``, ``load_demo``, then
   ``load_mix.prepare`` (sessions for the demo's members and staff, ``--extra-members`` more members, a plan
   for every member, an event with a small capacity);
2. starts ``coproduce serve`` (granian, ``--workers`` worker processes) on ``--port`` and ``coproduce worker``
   (the background tasks), each in its own process group;
3. runs ``benchmarks/load_mix.py`` with ``--users`` people pausing ``--pause-min``..``--pause-max`` seconds
   between operations for ``--minutes``;
4. every ``--sample-seconds`` it reads the memory of every process of the web server and of the worker: RSS
   (``VmRSS`` in ``/proc/PID/status``) and USS (``Private_Clean`` + ``Private_Dirty`` in
   ``/proc/PID/smaps_rollup``: memory that is the process's own), and the load's running totals; the result
   file is rewritten after each sample, so a run that is stopped early still leaves its figures;
5. afterwards checks every write against the database (``load_mix.verify``: acknowledged = stored, nothing
   doubled, capacity kept) and computes each process's memory growth: the average over the last
   ``--window-minutes`` against the average over the first ``--window-minutes`` after ``--warmup-minutes``;
6. writes the JSON result (``--out``, default ``benchmarks/results/soak-YYYYMMDD.json``, samples included),
   prints a summary and exits 1 when a process grew by 10 % or more (USS), an error happened, a write was lost
   or doubled, or a process died or was replaced; 0 otherwise.

Only 127.0.0.1 is contacted. Stop it with Ctrl-C or SIGTERM: the server and worker are stopped and the figures
so far are written.

    uv run python benchmarks/soak.py --minutes 120 --out /work/soak-result.json     # the real run
    uv run python benchmarks/soak.py --minutes 4 --warmup-minutes 1 --window-minutes 1 --sample-seconds 10
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_mix
from conversation_votes import _psql_database
from http_pages import HOST, Server, _interrupt, machine_info, run_manage, server_env

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coproduce_soak"
GROWTH_LIMIT_PERCENT = 10.0


def process_memory(pid: int) -> dict[str, int] | None:
    """RSS and USS of one process, in KiB; None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    uss = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                uss += int(line.split()[1])
    return {"rss_kib": rss, "uss_kib": uss}


def group_processes(pgid: int) -> dict[int, str]:
    """The processes of a process group: pid -> a short name (from the command line)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        rest = stat[stat.rfind(")") + 2 :].split()
        if int(rest[2]) == pgid:
            found[int(entry.name)] = cmdline[:160]
    return found


def growth(samples: list[dict[str, Any]], warmup: float, window: float, metric: str) -> dict[str, Any]:
    """Per process: average ``metric`` over [warmup, warmup + window) and over the last ``window`` seconds."""
    if not samples:
        return {}
    end = samples[-1]["t"]
    out: dict[str, Any] = {}
    names = {name for s in samples for name in s["processes"]}
    for name in sorted(names):
        first = [
            s["processes"][name][metric]
            for s in samples
            if name in s["processes"] and warmup <= s["t"] < warmup + window
        ]
        last = [s["processes"][name][metric] for s in samples if name in s["processes"] and s["t"] > end - window]
        if not first or not last:
            out[name] = {"baseline_kib": None, "final_kib": None, "growth_percent": None}
            continue
        base, final = sum(first) / len(first), sum(last) / len(last)
        out[name] = {
            "baseline_kib": round(base),
            "final_kib": round(final),
            "growth_percent": round((final - base) / base * 100, 2) if base else None,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=120.0, help="minutes of load (default 120)")
    parser.add_argument("--warmup-minutes", type=float, default=10.0, help="not counted in the growth (default 10)")
    parser.add_argument("--window-minutes", type=float, default=10.0, help="averaging window (default 10)")
    parser.add_argument("--sample-seconds", type=float, default=30.0, help="memory sampling interval (default 30)")
    parser.add_argument("--users", type=int, default=20, help="virtual people (default 20)")
    parser.add_argument("--extra-members", type=int, default=0, help="members added to the demo (default 0)")
    parser.add_argument("--pause-min", type=float, default=1.0)
    parser.add_argument("--pause-max", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument("--port", type=int, default=8765, help="loopback port of the web server (default 8765)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL database to (re)create")
    parser.add_argument("--keep-database", action="store_true", help="leave the database afterwards (default: drop)")
    parser.add_argument(
        "--reuse-database", action="store_true", help="use the database as it is (kept from an earlier run): no set-up"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="result JSON (default benchmarks/results/soak-DATE.json)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.sample_seconds <= 0 or not 1 <= args.users <= 500:
        parser.error("use positive --minutes and --sample-seconds and 1-500 users")
    warmup, window = args.warmup_minutes * 60, args.window_minutes * 60
    if warmup + 2 * window > args.minutes * 60:
        parser.error("--minutes must cover the warm-up and two windows (the first after warm-up, and the last)")
    out = (
        args.out or Path(__file__).resolve().parent / "results" / f"soak-{time.strftime('%Y%m%d', time.gmtime())}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        print(f"{time.strftime('%H:%M:%S', time.gmtime())} {text}", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="coproduce-soak-"))
    env = server_env(workdir, database_url=args.database_url, site_url=f"http://{HOST}:{args.port}")
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    server: Server | None = None
    worker: subprocess.Popen[bytes] | None = None
    worker_log = None
    created = False
    stop = threading.Event()
    result_box: dict[str, Any] = {}
    report: dict[str, Any] = {
        "benchmark": "soak",
        "status": "starting",
        "machine": machine_info(),
        "settings": {
            "minutes": args.minutes,
            "warmup_minutes": args.warmup_minutes,
            "window_minutes": args.window_minutes,
            "sample_seconds": args.sample_seconds,
            "users": args.users,
            "pause_seconds": [args.pause_min, args.pause_max],
            "granian_workers": args.workers,
            "task_workers": 1,
            "database": "postgresql " + urlsplit(args.database_url).path.lstrip("/"),
            "weights": load_mix.DEFAULT_WEIGHTS,
            "growth_limit_percent": GROWTH_LIMIT_PERCENT,
        },
        "samples": [],
    }

    def write() -> None:
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(report, indent=1, default=str))
        tmp.replace(out)

    code = 1
    try:
        say(f"Preparing the PostgreSQL database {urlsplit(args.database_url).path.lstrip('/')} …")
        if not args.reuse_database:
            _psql_database(args.database_url, "create")
            created = True
            run_manage(env, "migrate", "--no-input", "-v", "0")
            say("Loading the demo …")
            run_manage(env, "load_demo")
        run_manage(env, "collectstatic", "--no-input", "-v", "0")
        plan = load_mix.prepare(env, extra_members=args.extra_members)
        say(
            f"{len(plan['people'])} people ready; starting coproduce serve on {HOST}:{args.port} and coproduce worker …"
        )
        server = Server(env, args.port, args.workers, workdir / "server.log")
        worker_log = (workdir / "worker.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "-m", "coproduce.cli", "worker"],
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server.wait_ready(f"/p/{plan['slug']}/", plan["people"][0]["session"])
        time.sleep(3)  # granian's workers are up
        groups = {"web": server.proc.pid, "worker": worker.pid}
        first_seen: dict[str, int] = {}

        def names() -> dict[str, int]:
            """A stable name per process: web-main, web-1.., worker (by start order within the group)."""
            named: dict[str, int] = {}
            for group, pgid in groups.items():
                pids = sorted(group_processes(pgid))
                python_pids = pids
                if group == "web":
                    named["web-main"] = pgid
                    for n, pid in enumerate([p for p in python_pids if p != pgid], start=1):
                        named[f"web-{n}"] = pid
                else:
                    named["worker"] = pgid
                    for n, pid in enumerate([p for p in python_pids if p != pgid], start=1):
                        named[f"worker-child-{n}"] = pid
            return named

        first_seen.update(names())
        report["processes"] = {name: {"pid": pid} for name, pid in first_seen.items()}
        say("Processes: " + ", ".join(f"{n}={p}" for n, p in first_seen.items()))

        mix = load_mix.Mix(f"http://{HOST}:{args.port}", plan, pause=(args.pause_min, args.pause_max), seed=args.seed)
        seconds = args.minutes * 60
        runner = threading.Thread(
            target=lambda: result_box.setdefault(
                "result", load_mix.run_mix(mix, users=args.users, seconds=seconds, stop=stop)
            ),
            daemon=True,
        )
        t0 = time.monotonic()
        runner.start()
        report["status"] = "running"
        report["started_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        say(f"Load: {args.users} people, pauses {args.pause_min:g}-{args.pause_max:g} s, {args.minutes:g} minutes")
        replaced: list[str] = []
        while True:
            now = time.monotonic() - t0
            sample: dict[str, Any] = {
                "t": round(now, 1),
                "utc": time.strftime("%H:%M:%S", time.gmtime()),
                "processes": {},
            }
            for name, pid in first_seen.items():
                memory = process_memory(pid)
                if memory is not None:
                    sample["processes"][name] = memory
                elif name not in replaced:
                    replaced.append(name)
                    say(f"process {name} (pid {pid}) is gone")
            current = names()
            for name, pid in current.items():
                if first_seen.get(name) not in (None, pid) and f"{name} replaced" not in replaced:
                    replaced.append(f"{name} replaced")
                    say(f"process {name} was replaced: pid {first_seen[name]} -> {pid}")
            sample["load"] = mix.result.totals()
            report["samples"].append(sample)
            report["problems"] = replaced
            report["errors_so_far"] = mix.result.error_log[:100]
            write()
            mem = " ".join(f"{n}={m['uss_kib'] / 1024:.0f}M" for n, m in sample["processes"].items())
            load = sample["load"]
            say(f"t={now / 60:5.1f} min sent={load['sent']} acked={load['acknowledged']} "
                f"rejected={load['rejected']} errors={load['errors']} USS {mem}")  # fmt: skip
            if not runner.is_alive():
                break
            runner.join(timeout=max(0.1, args.sample_seconds - (time.monotonic() - t0 - now)))
            if not runner.is_alive() and time.monotonic() - t0 < seconds - 1:
                break
        result: load_mix.MixResult = result_box["result"]
        say("Load finished; checking the database …")
        stored = load_mix.fetch_stored(env, plan, workdir)
        checked = load_mix.verify(result, stored, plan)
        uss = growth(report["samples"], warmup, window, "uss_kib")
        rss = growth(report["samples"], warmup, window, "rss_kib")
        worst = max((g["growth_percent"] for g in uss.values() if g["growth_percent"] is not None), default=None)
        passed = (
            result.error_count == 0
            and checked["exact"]
            and not replaced
            and worst is not None
            and worst < GROWTH_LIMIT_PERCENT
            and all(g["growth_percent"] is not None for g in uss.values())
        )
        report.update(
            {
                "status": "finished",
                "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "operations": result.summary(),
                "totals": result.totals(),
                "checked": checked,
                "memory_growth_uss": uss,
                "memory_growth_rss": rss,
                "worst_uss_growth_percent": worst,
                "errors": result.error_log,
                "passed": passed,
            }
        )
        write()
        print()
        load_mix.print_table(result, checked)
        print()
        print(f"{'process':<16}{'USS base MiB':>14}{'USS last MiB':>14}{'growth %':>10}{'RSS growth %':>14}")
        for name, g in uss.items():
            base = f"{g['baseline_kib'] / 1024:.1f}" if g["baseline_kib"] else "-"
            last = f"{g['final_kib'] / 1024:.1f}" if g["final_kib"] else "-"
            print(f"{name:<16}{base:>14}{last:>14}{g['growth_percent']!s:>10}{rss[name]['growth_percent']!s:>14}")
        print()
        print(f"errors: {result.error_count}; processes gone or replaced: {replaced or 'none'}")
        print(f"{'PASS' if passed else 'FAIL'} (growth < {GROWTH_LIMIT_PERCENT:g} % per process, no errors, exact)")
        print(f"result: {out}")
        if result.error_count:
            print(f"server log tail:\n{server.log_tail(40)}")
        code = 0 if passed else 1
    except KeyboardInterrupt:
        say("Interrupted: stopping; the figures so far are in the result file.")
        stop.set()
        report["status"] = "interrupted"
        code = 130
    finally:
        stop.set()
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(worker.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(worker.pid, signal.SIGKILL)
        if worker_log is not None:
            worker_log.close()
        if server is not None:
            with contextlib.suppress(Exception):
                report["server_log_tail"] = server.log_tail(60)
            server.stop()
        with contextlib.suppress(Exception):
            write()
        if created and not args.keep_database:
            with contextlib.suppress(Exception):
                _psql_database(args.database_url, "drop")
        shutil.rmtree(workdir, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
