"""Load-test the partnership home page and the people page over loopback, with production settings on SQLite.

What it does, in a temporary folder that it removes afterwards:

1. prepares a SQLite database with the production settings (``COPRODUCE_DEMO`` unset, ``DATABASE_URL`` set to a
   ``sqlite:///`` file, HTTPS redirect off because the traffic is plain HTTP on 127.0.0.1): ``migrate``,
   ``collectstatic`` and ``load_demo``;
2. signs in the demo member Aisha by writing a session straight into the database;
3. starts ``coproduce serve`` (granian, WSGI) on a free loopback port;
4. for each page: a warm-up, then a measured window in which ``--clients`` threads each keep one HTTP/1.1
   connection and send requests back to back (no think time); each request's latency is timed with
   ``time.perf_counter()``; any answer other than 200, and any exception, is an error;
5. optionally the same with ``wrk`` (``--wrk``; needs the ``wrk`` program), which runs outside Python;
6. prints a table (or JSON with ``--json``) and stops the server, also on Ctrl-C or on an error.

Only 127.0.0.1 is contacted; every loop is bounded by time and by a request count. The server's CPU time per
request and the CPU used by other work on the machine during each window are reported too: on a shared machine,
``--wait-idle`` waits for other work to stop before each window and ``--retries`` measures a disturbed window
again.

    uv run python benchmarks/http_pages.py                       # 20 clients, 20 s per page
    uv run python benchmarks/http_pages.py --wrk --workers 2 --threads 2 --wait-idle 120 --retries 3 --json
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from coproduce.cli import DEFAULT_THREADS

HOST = "127.0.0.1"
SLUG = "riverside"
MEMBER_EMAIL = "aisha@riverside.example"
AUTH_BACKEND = "coproduce.accounts.backends.AuthenticationBackend"

# A session for Aisha, written straight into the database; prints one JSON line that the script reads.
SESSION_SNIPPET = f"""
import json
from django.contrib.auth import get_user_model
from coproduce.core.sessions import SessionStore
from coproduce.partnerships.models import Partnership
user = get_user_model().objects.get(email={MEMBER_EMAIL!r})
store = SessionStore()
store["_auth_user_id"] = str(user.pk)
store["_auth_user_backend"] = {AUTH_BACKEND!r}
store["_auth_user_hash"] = user.get_session_auth_hash()
store.save()
name = Partnership.objects.get(slug={SLUG!r}).name
print("BENCH " + json.dumps({{"session_key": store.session_key, "partnership": name}}))
"""

# wrk reports p50/p75/p90/p99 with --latency but not p95: this script prints the figures as one JSON line.
WRK_LUA = """
wrk.headers["Cookie"] = "sessionid=%s"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "mean_us": %%.1f, "err_connect": %%d, "err_read": %%d, "err_write": %%d, ' ..
    '"err_status": %%d, "err_timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Page:
    name: str
    path: str
    heading: str  # text that must be in the <h1> of a good answer


@dataclass
class Result:
    page: str
    tool: str
    clients: int
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    error_samples: list[str] = field(default_factory=list)
    # CPU used during the window, in cores (1.0 = one core busy all the time): by the server's processes, by
    # the load generator, and by everything else on the machine (see DISTURBED_CORES).
    server_cores: float = math.nan
    client_cores: float = math.nan
    other_cores: float = math.nan
    server_cpu_ms_per_request: float = math.nan


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DISTURBED_CORES = 0.15  # CPU used by other work during a window above which the window counts as disturbed


@dataclass
class CpuSnapshot:
    machine_busy: float  # seconds of CPU, all cores, everything
    server: float  # seconds of CPU of the server's process group
    client: float  # seconds of CPU of this process and of its finished children (wrk)

    @classmethod
    def take(cls, server_pgid: int) -> CpuSnapshot:
        values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
        busy = (sum(values) - values[3] - values[4]) / CLOCK_TICKS  # less idle and iowait
        server = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            rest = stat[stat.rfind(")") + 2 :].split()  # rest[2] is the process group, rest[11:13] utime, stime
            if int(rest[2]) == server_pgid:
                server += int(rest[11]) + int(rest[12])
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        client = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        return cls(busy, server / CLOCK_TICKS, client)


def machine_busy_cores(interval: float = 2.0) -> float:
    """How many cores the whole machine kept busy over ``interval`` seconds."""
    first = CpuSnapshot.take(-1).machine_busy
    time.sleep(interval)
    return (CpuSnapshot.take(-1).machine_busy - first) / interval


def wait_until_quiet(limit: float, say: Callable[[str], None], threshold: float = 0.25) -> float:
    """Wait up to ``limit`` seconds for the machine to be nearly idle; return the last busy figure (cores)."""
    deadline = time.monotonic() + limit
    busy = machine_busy_cores()
    while busy > threshold and time.monotonic() < deadline:
        say(f"  the machine is busy ({busy:.2f} cores used by other work); waiting …")
        time.sleep(5)
        busy = machine_busy_cores()
    return busy


def add_cpu(result: Result, before: CpuSnapshot, after: CpuSnapshot) -> None:
    elapsed = result.seconds
    server, client = after.server - before.server, after.client - before.client
    result.server_cores = round(server / elapsed, 2)
    result.client_cores = round(client / elapsed, 2)
    result.other_cores = round(max(0.0, (after.machine_busy - before.machine_busy - server - client) / elapsed), 2)
    result.server_cpu_ms_per_request = round(server * 1000 / result.requests, 1) if result.requests else math.nan


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def server_env(workdir: Path, *, database_url: str, site_url: str) -> dict[str, str]:
    """The environment of a production server for a benchmark: this process's, without the demo's and
    Django's settings, with a throwaway secret key, plain HTTP on the benchmark's host, its files in
    ``workdir`` and only warnings logged."""
    env = {k: v for k, v in os.environ.items() if k not in {"COPRODUCE_DEMO", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "COPRODUCE_SSL_REDIRECT": "0",
            "COPRODUCE_DATA_DIR": str(workdir),
            "COPRODUCE_STATIC_ROOT": str(workdir / "static"),
            "COPRODUCE_SITE_URL": site_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def run_manage(env: dict[str, str], *args: str) -> str:
    """Run ``coproduce <args>`` with the benchmark's environment; return its standard output."""
    proc = subprocess.run(
        [sys.executable, "-m", "coproduce.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if proc.returncode != 0:
        raise SystemExit(f"coproduce {args[0]} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def bench_lines(output: str) -> list[str]:
    return [line[len("BENCH ") :] for line in output.splitlines() if line.startswith("BENCH ")]


def fetch(port: int, path: str, cookie: str, timeout: float = 5.0) -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def check_page(port: int, page: Page, cookie: str) -> None:
    status, body = fetch(port, page.path, cookie)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    if status != 200 or heading is None or page.heading not in html.unescape(heading.group(1)):
        raise SystemExit(
            f"{page.path}: expected 200 with the heading {page.heading!r}, got {status}"
            f" and heading {heading.group(1).strip() if heading else None!r}; not measuring."
        )


class Server:
    """``coproduce serve`` in its own process group, stopped (and if need be killed) on exit."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coproduce.cli",
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, cookie: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"The server stopped (exit code {self.proc.returncode}):\n{self.log_tail()}")
            try:
                fetch(self.port, path, cookie, timeout=2.0)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"The server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            # `coproduce serve` turns SIGTERM into an orderly stop of granian.
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        # Anything of its group still running (granian's worker processes) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()


def python_load(
    port: int, page: Page, cookie: str, clients: int, seconds: float, max_requests: int, think: float = 0.0
) -> Result:
    """``clients`` threads, one keep-alive connection each, requests back to back until the time or count runs out.

    With ``think`` > 0 each client pauses after every answer for a random time between half and one and a half
    times ``think`` seconds (as a person reading the page would), from a generator seeded with its number."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    samples: list[str] = []
    lock = threading.Lock()
    issued = 0
    start_barrier = threading.Barrier(clients + 1)
    headers = {"Cookie": f"sessionid={cookie}"}
    deadline = 0.0

    def take_ticket() -> bool:
        nonlocal issued
        with lock:
            if issued >= max_requests:
                return False
            issued += 1
            return True

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        mine = latencies[index]
        pauses = random.Random(index)
        start_barrier.wait()
        try:
            while time.perf_counter() < deadline and take_ticket():
                t0 = time.perf_counter()
                try:
                    conn.request("GET", page.path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                    problem = f"HTTP {response.status}"
                except (OSError, http.client.HTTPException) as error:
                    ok = False
                    problem = f"{type(error).__name__}: {error}"
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                mine.append(time.perf_counter() - t0)
                if not ok:
                    errors[index] += 1
                    with lock:
                        if len(samples) < 5:
                            samples.append(problem)
                if think > 0:
                    time.sleep(think * pauses.uniform(0.5, 1.5))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    t_start = time.perf_counter()
    deadline = t_start + seconds
    start_barrier.wait()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - t_start
    values = sorted(v for per_client in latencies for v in per_client)
    count = len(values)
    return Result(
        page=page.name,
        tool=f"python, think {think:g} s" if think else "python",
        clients=clients,
        seconds=round(elapsed, 2),
        requests=count,
        errors=sum(errors),
        rps=round(count / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(values, 50) * 1000, 1),
        p95_ms=round(percentile(values, 95) * 1000, 1),
        p99_ms=round(percentile(values, 99) * 1000, 1),
        max_ms=round(values[-1] * 1000, 1) if values else math.nan,
        mean_ms=round(sum(values) / count * 1000, 1) if count else math.nan,
        error_samples=samples,
    )


def wrk_load(port: int, page: Page, cookie: str, clients: int, seconds: float, script: Path) -> Result:
    cmd = [
        "wrk", "-t", "2", "-c", str(clients), "-d", f"{max(1, math.ceil(seconds))}s", "--timeout", "10s",
        "-s", str(script), f"http://{HOST}:{port}{page.path}",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(line[len("WRKJSON ") :])
    elapsed = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout"))
    return Result(
        page=page.name,
        tool="wrk",
        clients=clients,
        seconds=round(elapsed, 2),
        requests=data["requests"],
        errors=errors,
        rps=round(data["requests"] / elapsed, 1),
        p50_ms=round(data["p50_us"] / 1000, 1),
        p95_ms=round(data["p95_us"] / 1000, 1),
        p99_ms=round(data["p99_us"] / 1000, 1),
        max_ms=round(data["max_us"] / 1000, 1),
        mean_ms=round(data["mean_us"] / 1000, 1),
        error_samples=[
            f"{k}={data[k]}" for k in ("err_connect", "err_read", "err_write", "err_status", "err_timeout") if data[k]
        ],
    )


TABLE_COLUMNS = [  # title, Result attribute, format
    ("page", "page", ""),
    ("tool", "tool", ""),
    ("clients", "clients", "d"),
    ("requests", "requests", "d"),
    ("req/s", "rps", ".1f"),
    ("p50 ms", "p50_ms", ".1f"),
    ("p95 ms", "p95_ms", ".1f"),
    ("p99 ms", "p99_ms", ".1f"),
    ("max ms", "max_ms", ".1f"),
    ("errors", "errors", "d"),
    ("srv CPU ms/req", "server_cpu_ms_per_request", ".1f"),
    ("other cores", "other_cores", ".2f"),
]


def table(results: list[Result], target_ms: float) -> str:
    def line(cells: list[str]) -> str:
        return " ".join(
            f"{c:<7}" if i < 2 else f"{c:>{max(7, len(t[0]))}}"
            for i, (c, t) in enumerate(zip(cells, TABLE_COLUMNS, strict=True))
        )

    head = line([title for title, _, _ in TABLE_COLUMNS]) + f"  p95 < {target_ms:g} ms"
    rows = [head, "-" * len(head)]
    for r in results:
        cells = [format(getattr(r, attr), fmt) for _, attr, fmt in TABLE_COLUMNS]
        rows.append(line(cells) + f"  {'yes' if r.p95_ms < target_ms else 'no'}")
    return "\n".join(rows)


def code_version() -> str:
    """The commit of the coproduce package that the server imports, and whether its source has local changes."""
    spec = importlib.util.find_spec("coproduce")
    if spec is None or spec.origin is None:
        return "unknown"
    src = Path(spec.origin).parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(src), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "-C", str(src), "status", "--porcelain", "--", "."], capture_output=True, text=True, timeout=10
        )
    except OSError:
        return str(src)
    if commit.returncode != 0:
        return f"{src} (not a git checkout)"
    return commit.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def machine_info() -> dict[str, str | int | float]:
    """What the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    versions = {}
    for package in ("django", "granian"):
        with contextlib.suppress(Exception):
            versions[package] = importlib.metadata.version(package)
    return {
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "code": code_version(),
        "cpus": os.cpu_count() or 0,
        "cpu_model": model.group(1).strip() if model else "unknown",
        "memory_gib": round(int(mem.group(1)) / 1024**2, 1) if mem else 0,
        "python": platform.python_version(),
        **versions,
    }


def _no_nan(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per page (default 20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per page, not counted (default 3)")
    parser.add_argument(
        "--max-requests", type=int, default=100_000, help="cap on requests per page and window (default 100000)"
    )
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument(
        "--threads", type=int, default=None, help="granian blocking threads per worker (COPRODUCE_THREADS; default 1)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="python client only: seconds each client pauses after an answer, ±50%% (default 0: back to back)",
    )
    parser.add_argument("--wrk", action="store_true", help="also measure with wrk (must be installed)")
    parser.add_argument("--target-ms", type=float, default=50.0, help="p95 target shown in the table (default 50)")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before each measured window, wait up to this long for other work on the machine to stop (default 0)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=0,
        help=f"measure a window again, up to this many times, when other work used over {DISTURBED_CORES} cores",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure the near-empty 'leave the partnership' page: what every signed-in partnership page costs",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 1000 or args.seconds <= 0 or args.seconds > 600 or args.max_requests < 1:
        parser.error("use 1-1000 clients, 0-600 seconds and a positive --max-requests")
    if args.wrk and shutil.which("wrk") is None:
        parser.error("--wrk needs the wrk program (Debian: apt-get install wrk)")

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="coproduce-bench-"))
    env = server_env(workdir, database_url=f"sqlite:///{workdir / 'db.sqlite3'}", site_url=f"http://{HOST}")
    if args.threads is not None:
        env["COPRODUCE_THREADS"] = str(args.threads)
    threads = env.get("COPRODUCE_THREADS", str(DEFAULT_THREADS))  # what coproduce serve uses when it is not set
    server: Server | None = None
    # Ctrl-C and SIGTERM (e.g. from a CI timeout) go through the same clean-up, even where the shell started
    # this script with SIGINT ignored (as a background job).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        say(f"Preparing a production-settings SQLite database in {workdir} …")
        run_manage(env, "migrate", "--no-input", "-v", "0")
        run_manage(env, "collectstatic", "--no-input", "-v", "0")
        run_manage(env, "load_demo")
        info = json.loads(bench_lines(run_manage(env, "shell", "-c", SESSION_SNIPPET))[0])
        cookie = info["session_key"]
        pages = [
            Page("home", f"/p/{SLUG}/", info["partnership"]),
            Page("people", f"/p/{SLUG}/people/", "People"),
        ]
        if args.floor:
            pages.append(Page("leave", f"/p/{SLUG}/leave/", "Leave"))

        port = free_port()
        say(f"Starting coproduce serve on {HOST}:{port} (workers={args.workers}, blocking threads={threads}) …")
        server = Server(env, port, args.workers, workdir / "server.log")
        server.wait_ready(pages[0].path, cookie)
        for page in pages:
            try:
                check_page(port, page, cookie)
            except SystemExit as error:
                raise SystemExit(f"{error}\nServer log:\n{server.log_tail()}") from None

        results: list[Result] = []
        wrk_script = workdir / "cookie.lua"
        wrk_script.write_text(WRK_LUA % cookie)
        tools = ["python", "wrk"] if args.wrk else ["python"]

        def load(tool: str, page: Page, seconds: float) -> Result:
            if tool == "wrk":
                return wrk_load(port, page, cookie, args.clients, seconds, wrk_script)
            return python_load(port, page, cookie, args.clients, seconds, args.max_requests, args.think)

        for page in pages:
            for tool in tools:
                for attempt in range(1 + args.retries):
                    if args.wait_idle > 0:
                        wait_until_quiet(args.wait_idle, say)
                    say(f"{page.name} ({tool}): {args.warmup:g} s warm-up, then {args.seconds:g} s measured")
                    if args.warmup > 0:
                        load(tool, page, args.warmup)
                    before = CpuSnapshot.take(server.proc.pid)
                    result = load(tool, page, args.seconds)
                    add_cpu(result, before, CpuSnapshot.take(server.proc.pid))
                    if result.other_cores <= DISTURBED_CORES or attempt == args.retries:
                        break
                    say(f"  other work used {result.other_cores:.2f} cores during the window; measuring again")
                results.append(result)
        if server.proc.poll() is not None:
            raise SystemExit(f"The server stopped during the run:\n{server.log_tail()}")
        settings_used = {
            "workers": args.workers,
            "blocking_threads": int(threads),
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "database": "sqlite (DATABASE_URL)",
        }
        if args.json:
            rows = [{k: _no_nan(v) for k, v in asdict(r).items()} for r in results]
            print(json.dumps({"machine": machine_info(), "settings": settings_used, "results": rows}, indent=2))
        else:
            print()
            print(table(results, args.target_ms))
            print()
            print(", ".join(f"{k}={v}" for k, v in settings_used.items()))
            print(", ".join(f"{k}={v}" for k, v in machine_info().items()))
            for r in results:
                if r.error_samples:
                    print(f"{r.page}/{r.tool} errors, first ones: {'; '.join(r.error_samples)}")
        return 0
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
