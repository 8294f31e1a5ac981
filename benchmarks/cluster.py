"""Several servers on one PostgreSQL, under a mixed load, with faults: what is acknowledged is stored, once.

Run as root on a Linux machine (network namespaces, a loop-mounted filesystem, a PostgreSQL cluster of its
own). It builds, and removes again on exit (also on Ctrl-C):

* a bridge ``cp25br`` (10.25.0.1/24) in the root namespace, and five hosts, each a network namespace with a
  veth pair and its own address: ``web1``..``web3`` (10.25.0.11-13) each running ``coproduce serve`` (granian,
  one process) on port 8000, ``worker1``/``worker2`` (10.25.0.21-22) each running ``coproduce worker``;
* a PostgreSQL cluster of its own (``pg_createcluster 15 cp25``, port 5439, listening on 127.0.0.1 and the
  bridge address), whose data directory (and so its WAL) lives on a small ext4 filesystem in a file mounted
  through a loop device, so that "disk full" can be made without touching the machine's shared PostgreSQL;
* HAProxy on 127.0.0.1, balancing over the three webs with a health check on ``/readyz`` (``/`` when the
  code has no ``/readyz`` yet) and retrying only connections that failed before a request was sent;
* the database ``coproduce_cluster``: migrated, the demo partnership loaded, and ``--users`` extra members
  (each with a session written straight into the database, as benchmarks/http_pages.py does).

Then ``--users`` virtual users (threads, one keep-alive connection each through HAProxy, a pause of 1-3 s
between two actions) view pages and vote in the demo's open conversations, while the script makes, one after
another with a quiet spell between: ``kill -9`` of a web server (then restarts it), ``kill -9`` of a worker in
the middle of tasks (24 two-second tasks are queued first; the workers run with ``--stale-after 10``, so the
other worker runs a killed task again after 10 s), a PostgreSQL restart, one web server's link down for 15 s,
and disk full on the database's filesystem for 15 s. Every vote carries its identity (person, statement,
value); afterwards the database is compared with what was acknowledged: per operation kind and per fault,
sent / acknowledged / stored / lost (acknowledged, not stored) / doubled (one vote sent, more than one stored
in the vote history). Also checked: each queued task finished, each periodic job's period has one run and one
task, a statement taken out by a coordinator is offered by no web server afterwards (the per-process routing
tables), and ``coproduce check-counts`` when the code has it.

    apt-get install -y haproxy                       # once
    uv run python benchmarks/cluster.py              # a readable report
    uv run python benchmarks/cluster.py --json       # one JSON document on standard output

Only the addresses 10.25.0.0/24 and 127.0.0.1 are used. The PostgreSQL cluster ``cp25``, the namespaces
``cp25-*``, the bridge and the loop filesystem under /var/tmp/coproduce-cluster are removed at the end (and,
if a previous run was killed and left them, at the start).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import load_mix  # benchmarks/load_mix.py: the mixed load (this folder is on sys.path when run as a script)

BENCH_DIR = Path(__file__).resolve().parent
PREFIX = "cp25"
BRIDGE = "cp25br"
GATEWAY = "10.25.0.1"
NETMASK = 24
HOSTS = {
    "web1": "10.25.0.11",
    "web2": "10.25.0.12",
    "web3": "10.25.0.13",
    "worker1": "10.25.0.21",
    "worker2": "10.25.0.22",
}
WEBS = ["web1", "web2", "web3"]
WORKERS = ["worker1", "worker2"]
WEB_PORT = 8000
PG_VERSION = "15"
PG_NAME = "cp25"
PG_PORT = 5439
DATABASE = "coproduce_cluster"
# Root-only, made afresh by each run (an earlier run's is removed first).
STATE_DIR = Path("/var/tmp/coproduce-cluster")  # noqa: S108  # nosec B108
VOLUME_MB = 400
SLUG = "riverside"
STATEMENT_FIELD = re.compile(r'name="statement" value="(\d+)"')
STALE_AFTER = 10  # seconds: `coproduce worker --stale-after` for this run
AUTH_BACKEND = "coproduce.accounts.backends.AuthenticationBackend"

# What the run needs besides load_mix's plan: a statement of its own for the routing check (added after the
# plan was made, so the load never votes on it), its coordinator, and when the run started (database clock).
COORDINATOR_SNIPPET = """
import json
from django.db import connection
from coproduce.partnerships.models import Membership
from coproduce.conversations.models import Conversation
from coproduce.conversations.services.statements import statement_seed
coordinator = Membership.objects.filter(partnership__slug=%(slug)r, is_coordinator=True).order_by("pk").first()
conversation = Conversation.objects.get(pk=%(conversation)d)
statement = statement_seed(actor=coordinator, conversation=conversation, text="Cluster check: %(tag)s")
with connection.cursor() as cursor:
    cursor.execute("SELECT now()")
    now = cursor.fetchone()[0]
print("CLUSTER " + json.dumps({"coordinator": coordinator.pk, "statement": statement.pk, "now": now.isoformat()}))
"""

# How many rows the vote history holds per person and statement: a vote sent once and applied twice shows here
# (the current vote, one row per person and statement, cannot).
VOTE_HISTORY_SNIPPET = """
import json
from django.db.models import Count
from coproduce.conversations.models import VoteEvent
rows = (
    VoteEvent.objects.filter(participant__user_id__in=%(users)r, conversation_id__in=%(conversations)r)
    .values("participant__user_id", "statement_id").annotate(n=Count("id"))
    .values_list("participant__user_id", "statement_id", "n")
)
print("CLUSTER " + json.dumps({f"vote:{u}:{s}": n for u, s, n in rows}))
"""

# Takes a statement out of a conversation, as its coordinator, from a process that is none of the web servers.
HIDE_SNIPPET = """
import json
from coproduce.conversations.models import Statement
from coproduce.conversations.services.moderation import statement_moderate
from coproduce.partnerships.models import Membership
actor = Membership.objects.get(pk=%(coordinator)d)
statement = Statement.objects.get(pk=%(statement)d)
statement_moderate(actor=actor, statement=statement, publish=False, reason="cluster benchmark")
print("CLUSTER " + json.dumps({"hidden": statement.pk}))
"""

ENQUEUE_SNIPPET = """
import json
from cluster_jobs import slow_job
ids = []
for i in range(%(count)d):
    job_id = f"%(tag)s-{i}"
    slow_job.enqueue(job_id, %(seconds)r, %(log)r)
    ids.append(job_id)
print("CLUSTER " + json.dumps(ids))
"""

# The benchmark's tasks by status; each periodic job's runs since the start, with the state of each run's task.
TASKS_SNIPPET = """
import json
from collections import Counter
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from coproduce.core.models import ScheduledRun
jobs = dict(
    DBTaskResult.objects.filter(task_path="cluster_jobs.slow_job").values_list("status").annotate(n=Count("id"))
)
runs = list(ScheduledRun.objects.filter(created_at__gte=%(since)r).values_list("job", "period_start", "task_id"))
statuses = {
    str(pk): status
    for pk, status in DBTaskResult.objects.filter(id__in=[t for _, _, t in runs if t]).values_list("id", "status")
}
per_period = Counter((job, start) for job, start, _ in runs)
print("CLUSTER " + json.dumps({
    "benchmark_tasks_by_status": jobs,
    "periods_started": len(runs),
    "periods_started_twice": sum(1 for n in per_period.values() if n > 1),
    "tasks_of_runs_by_status": dict(Counter(str(statuses.get(t, "no task")) for _, _, t in runs)),
    "jobs": sorted({job for job, _, _ in runs}),
}))
"""


def say_to(stream: Any) -> Callable[[str], None]:
    def say(text: str) -> None:
        print(text, file=stream, flush=True)

    return say


def sh(*cmd: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def ns(host: str) -> str:
    return f"{PREFIX}-{host}"


def marked_json(output: str) -> Any:
    for line in output.splitlines():
        if line.startswith("CLUSTER "):
            return json.loads(line[len("CLUSTER ") :])
    raise SystemExit(f"No result in the output:\n{output}")


# --- The arrangement ---------------------------------------------------------------------------------------


def clean_leftovers() -> None:
    """Remove what a killed earlier run left: namespaces, bridge, the PostgreSQL cluster, the filesystem."""
    for host in HOSTS:
        sh("ip", "netns", "del", ns(host), check=False)
        sh("ip", "link", "del", f"{PREFIX}{host}", check=False)
    sh("ip", "link", "del", BRIDGE, check=False)
    if Path(f"/etc/postgresql/{PG_VERSION}/{PG_NAME}").exists():
        sh("pg_dropcluster", PG_VERSION, PG_NAME, "--stop", check=False)
    volume = STATE_DIR / "volume"
    if volume.is_mount():
        sh("umount", "-l", str(volume), check=False)
    shutil.rmtree(STATE_DIR, ignore_errors=True)


def network_up() -> None:
    sh("ip", "link", "add", BRIDGE, "type", "bridge")
    sh("ip", "addr", "add", f"{GATEWAY}/{NETMASK}", "dev", BRIDGE)
    sh("ip", "link", "set", BRIDGE, "up")
    for host, address in HOSTS.items():
        outside = f"{PREFIX}{host}"
        sh("ip", "netns", "add", ns(host))
        sh("ip", "link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", ns(host))
        sh("ip", "link", "set", outside, "master", BRIDGE, "up")
        sh("ip", "-n", ns(host), "addr", "add", f"{address}/{NETMASK}", "dev", "eth0")
        sh("ip", "-n", ns(host), "link", "set", "eth0", "up")
        sh("ip", "-n", ns(host), "link", "set", "lo", "up")


def postgres_up() -> None:
    """A cluster of our own whose data directory is on a small filesystem (a file through a loop device)."""
    volume, image = STATE_DIR / "volume", STATE_DIR / "volume.img"
    volume.mkdir(parents=True)
    sh("truncate", "-s", f"{VOLUME_MB}M", str(image))
    sh("mkfs.ext4", "-q", "-F", "-m", "0", str(image))
    sh("mount", "-o", "loop", str(image), str(volume))
    shutil.chown(volume, "postgres", "postgres")
    sh(
        "pg_createcluster", PG_VERSION, PG_NAME, "--port", str(PG_PORT), "--datadir", str(volume / "data"),
        "--start-conf", "manual",
        "-o", f"listen_addresses=127.0.0.1,{GATEWAY}", "-o", "max_connections=200",
        "-o", "shared_buffers=64MB", "-o", "max_wal_size=96MB", "-o", "min_wal_size=32MB",
    )  # fmt: skip
    Path(f"/etc/postgresql/{PG_VERSION}/{PG_NAME}/pg_hba.conf").write_text(
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n"
        f"host all all {GATEWAY.rsplit('.', 1)[0]}.0/{NETMASK} trust\n"
    )
    sh("pg_ctlcluster", PG_VERSION, PG_NAME, "start")
    psql("CREATE DATABASE " + DATABASE)


def psql(sql: str, database: str = "postgres", check: bool = True) -> str:
    proc = sh(
        "psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", database, "-XAtq", "-c", sql, check=check
    )
    return proc.stdout.strip()


def postgres_accepts() -> bool:
    return sh("pg_isready", "-h", GATEWAY, "-p", str(PG_PORT), "-t", "2", check=False).returncode == 0


def volume_free_bytes() -> int:
    st = os.statvfs(STATE_DIR / "volume")
    return st.f_bavail * st.f_frsize


class Process:
    """One process of the arrangement in a host's namespace, in its own process group (killed as a group)."""

    def __init__(self, host: str, command: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.host = host
        self.command = command
        self.env = env
        self.log_path = log_dir / f"{host}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        env = dict(self.env, COPRODUCE_CLUSTER_HOST=self.host)
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns(self.host), *self.command],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill9(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self.kill9()
            return
        self.proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.kill9()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def get(host: str, port: int, path: str, timeout: float = 3.0, cookie: str = "") -> tuple[int, str]:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = f"sessionid={cookie}"
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.2) -> float | None:
    """Seconds until ``check()`` was true, or None after ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(Exception):
            if check():
                return time.monotonic() - start
        time.sleep(step)
    return None


def web_answers(host: str, path: str) -> bool:
    status, _ = get(HOSTS[host], WEB_PORT, path, timeout=2.0)
    return status == 200


HAPROXY_CONFIG = """
global
    maxconn 4000
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 10s
    # A connection that fails before the request is sent is tried again, on another server; a request once
    # sent is never sent again by HAProxy (a POST could otherwise be applied twice).
    retries 2
    option redispatch 1
    option forwardfor

frontend coproduce
    bind 127.0.0.1:{port}
    default_backend webs

backend webs
    balance leastconn
    option httpchk
    http-check send meth GET uri {check} ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A check answered within 5 s counts: a busy server is slow, not down.
    timeout check 5s
    default-server inter 1s fall 2 rise 2
{servers}
"""


class HAProxy:
    def __init__(self, workdir: Path, port: int, check_path: str) -> None:
        self.port = port
        self.socket = workdir / "haproxy.sock"
        self.config = workdir / "haproxy.cfg"
        servers = "\n".join(f"    server {h} {HOSTS[h]}:{WEB_PORT} check" for h in WEBS)
        self.config.write_text(HAPROXY_CONFIG.format(socket=self.socket, port=port, check=check_path, servers=servers))
        sh("haproxy", "-c", "-q", "-f", str(self.config))
        self.log = (workdir / "haproxy.log").open("ab")
        self.proc = subprocess.Popen(
            ["haproxy", "-db", "-f", str(self.config)], stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def states(self) -> dict[str, str]:
        """Each web server's state as HAProxy sees it (UP, DOWN …)."""
        proc = subprocess.run(
            ["socat", "-", f"UNIX-CONNECT:{self.socket}"], input="show stat\n", capture_output=True, text=True,
            timeout=5, check=False,
        )  # fmt: skip
        states = {}
        for line in proc.stdout.splitlines():
            cells = line.split(",")
            if len(cells) > 17 and cells[0] == "webs" and cells[1] in WEBS:
                states[cells[1]] = cells[17]
        return states

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


# --- The load and its figures ------------------------------------------------------------------------------


class TimedResult(load_mix.MixResult):
    """load_mix's result, also keeping when each operation was answered and how (for the faults' windows)."""

    def __init__(self) -> None:
        super().__init__()
        # time.time(), kind, "ack" / "rejected" / "error", the problem (load_mix keeps only the first 1000)
        self.timeline: list[tuple[float, str, str, str]] = []

    def record(self, kind: str, outcome: str, seconds: float, attempt: Any, person: int, problem: str) -> None:
        super().record(kind, outcome, seconds, attempt, person, problem)
        with self.lock:
            self.timeline.append((time.time(), kind, outcome, problem if outcome == "error" else ""))


@dataclass
class Fault:
    name: str
    started: float  # time.time()
    repaired: float = 0.0  # when the cause was taken away (restart, link up, ballast removed); 0: by itself
    ended: float = 0.0  # end of the window counted for this fault
    notes: dict[str, Any] = field(default_factory=dict)


def fault_figures(fault: Fault, result: TimedResult, origin: float) -> dict[str, Any]:
    """Operations answered in the fault's window, its errors, and how long until the load was served again."""
    window = [e for e in result.timeline if fault.started <= e[0] < fault.ended]
    failures = [e[0] for e in window if e[2] == "error"]
    last_failure = max(failures, default=None)
    first_success_after = min(
        (e[0] for e in result.timeline if e[2] == "ack" and e[0] > (last_failure or fault.started)),
        default=None,
    )
    kinds = Counter(e[1] for e in window if e[2] == "error")
    # "vote: HTTP 503" -> "HTTP 503": the kinds are counted above.
    problems = Counter(e[3].split(": ", 1)[-1][:60] for e in window if e[2] == "error").most_common(4)
    return {
        "fault": fault.name,
        "at_s": round(fault.started - origin, 1),
        "window_s": round(fault.ended - fault.started, 1),
        "operations": len(window),
        "errors": len(failures),
        "errors_by_kind": dict(kinds),
        "first_problems": dict(problems),
        "repaired_at_s": round(fault.repaired - fault.started, 1) if fault.repaired else None,
        # Time to recover: from the fault to the first acknowledged operation after its last error.
        "recovered_s": (
            round(first_success_after - fault.started, 1)
            if last_failure is not None and first_success_after is not None
            else 0.0
        ),
        **fault.notes,
    }


def verify_window(
    result: TimedResult, stored: dict[str, Any], plan: dict[str, Any], start: float, end: float
) -> dict[str, Any]:
    """load_mix's verification, for the targets whose last write was answered in [start, end): all of their
    writes are taken (a lost write is known only from the target's whole history)."""
    last: dict[str, float] = {}
    for attempt in result.attempts:
        last[attempt.key] = max(last.get(attempt.key, 0.0), attempt.at)
    keys = {key for key, at in last.items() if start <= at < end}
    part = load_mix.MixResult()
    for attempt in result.attempts:
        if attempt.key in keys:
            stats = part.stats[attempt.key.split(":", 1)[0]]
            stats.sent += 1
            stats.acknowledged += attempt.outcome == "ack"
            stats.rejected += attempt.outcome == "rejected"
            stats.errors += attempt.outcome == "error"
            part.attempts.append(attempt)
    versions = {pk: v for pk, v in plan["plan_versions"].items() if f"plan:{pk}" in keys}
    checked = load_mix.verify(part, stored, dict(plan, plan_versions=versions))
    in_window = [a for a in result.attempts if start <= a.at < end]
    return {
        "sent": len(in_window),
        "acknowledged": sum(1 for a in in_window if a.outcome == "ack"),
        "errors": sum(1 for a in in_window if a.outcome == "error"),
        "targets_last_written": len(keys),
        "lost": sum(checked[k]["lost"] for k in load_mix.WRITE_KINDS),
        "doubled": sum(checked[k]["doubled"] for k in load_mix.WRITE_KINDS),
    }


def vote_history_check(result: TimedResult, history: dict[str, int]) -> dict[str, Any]:
    """Each vote applied adds one row to the vote history: per person and statement, the rows the run added
    (``history``) must number at least the acknowledged votes and at most those plus the votes whose answer was
    an error."""
    acks: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for attempt in result.attempts:
        if attempt.key.startswith("vote:"):
            if attempt.outcome == "ack":
                acks[attempt.key] += 1
            elif attempt.outcome == "error":
                unknown[attempt.key] += 1
    keys = set(acks) | set(unknown) | set(history)
    doubled = [k for k in keys if history.get(k, 0) > acks[k] + unknown[k]]
    lost = [k for k in keys if history.get(k, 0) < acks[k]]
    return {
        "targets": len(keys),
        "rows": sum(history.values()),
        "more_rows_than_votes_sent": len(doubled),
        "fewer_rows_than_acknowledged": len(lost),
        "samples": [
            {"key": k, "rows": history.get(k, 0), "acknowledged": acks[k], "unknown": unknown[k]}
            for k in (doubled + lost)[:5]
        ],
    }


# --- The run -----------------------------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace, say: Callable[[str], None]) -> None:
        self.args = args
        self.say = say
        self.workdir = Path(tempfile.mkdtemp(prefix="coproduce-cluster-"))
        self.port = args.port
        self.env = self._env()
        self.processes: dict[str, Process] = {}
        self.haproxy: HAProxy | None = None
        self.mix: load_mix.Mix | None = None
        self.stop_load = threading.Event()
        self.load_thread: threading.Thread | None = None
        self.faults: list[Fault] = []
        self.result: dict[str, Any] = {}
        self.check_path = "/"
        self.origin = time.time()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"COPRODUCE_DEMO", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
        env.update(
            {
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1," + ",".join(HOSTS.values()),
                "DATABASE_URL": f"postgres://postgres@{GATEWAY}:{PG_PORT}/{DATABASE}",
                "COPRODUCE_SSL_REDIRECT": "0",
                "COPRODUCE_DATA_DIR": str(self.workdir / "data"),
                "COPRODUCE_STATIC_ROOT": str(self.workdir / "static"),
                "COPRODUCE_SITE_URL": f"http://127.0.0.1:{self.port}",
                "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.port}",
                "COPRODUCE_PROXY_COUNT": "1",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(p for p in (str(BENCH_DIR), env.get("PYTHONPATH", "")) if p),
            }
        )
        return env

    def manage(self, *args: str, timeout: float = 600) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "coproduce.cli", *args], env=self.env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise SystemExit(f"coproduce {args[0]} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def snippet(self, code: str) -> Any:
        return marked_json(self.manage("shell", "-c", code))

    def mark(self, text: str) -> None:
        self.say(f"[{time.time() - self.origin:6.1f} s] {text}")

    # processes

    def web(self, host: str) -> Process:
        command = [sys.executable, "-m", "coproduce.cli", "serve", "--host", HOSTS[host], "--port", str(WEB_PORT)]
        return Process(host, [*command, "--workers", "1"], self.env, self.workdir)

    def worker(self, host: str) -> Process:
        command = [sys.executable, "-m", "coproduce.cli", "worker", "--worker-id", host, "--interval", "0.5"]
        command += ["--stale-after", str(STALE_AFTER), "--reclaim-every", "2", "--schedule-every", "5"]
        return Process(host, command, self.env, self.workdir)

    def start_web(self, host: str, timeout: float = 90) -> None:
        process = self.processes[host]
        process.start()
        if wait_for(lambda: web_answers(host, "/"), timeout) is None:
            raise SystemExit(f"{host} did not answer within {timeout:.0f} s:\n{process.tail()}")

    def haproxy_sees(self, host: str, state: str) -> bool:
        assert self.haproxy is not None
        return self.haproxy.states().get(host, "").startswith(state)

    # phases

    def prepare(self) -> None:
        self.say("Cleaning anything an earlier run left …")
        clean_leftovers()
        STATE_DIR.mkdir(parents=True)
        hosts = ", ".join(f"{h} {a}" for h, a in HOSTS.items())
        self.say(f"Network: bridge {BRIDGE} {GATEWAY}/{NETMASK}, hosts {hosts}")
        network_up()
        self.say(f"PostgreSQL {PG_VERSION} cluster {PG_NAME} on port {PG_PORT}, data on a {VOLUME_MB} MB filesystem")
        postgres_up()
        self.say(f"Migrating, loading the demo partnership and {self.args.users} more members (load_mix.prepare) …")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage("load_demo")
        self.plan = load_mix.prepare(self.env, SLUG, extra_members=self.args.users, event_capacity=5)
        if not self.plan["conversations"]:
            raise SystemExit("The demo partnership has no open conversation to vote in.")
        self.check_conversation = self.plan["conversations"][0]["id"]
        extra = self.snippet(
            COORDINATOR_SNIPPET % {"slug": SLUG, "conversation": self.check_conversation, "tag": secrets.token_hex(4)}
        )
        self.coordinator, self.check_statement, self.started_at = extra["coordinator"], extra["statement"], extra["now"]
        self.history_before = self.vote_history()
        for host in WEBS:
            self.processes[host] = self.web(host)
        for host in WORKERS:
            self.processes[host] = self.worker(host)
        self.say("Starting web1..web3 and worker1..worker2 in their namespaces …")
        for host in WEBS:
            self.processes[host].start()
        for host in WEBS:
            if wait_for(lambda h=host: web_answers(h, "/"), 90) is None:  # type: ignore[misc]
                raise SystemExit(f"{host} did not answer within 90 s:\n{self.processes[host].tail()}")
        for host in WORKERS:
            self.processes[host].start()
        with contextlib.suppress(OSError, http.client.HTTPException):
            if get(HOSTS["web1"], WEB_PORT, "/readyz")[0] == 200:
                self.check_path = "/readyz"
        self.say(f"HAProxy on 127.0.0.1:{self.port}, health check GET {self.check_path}")
        self.haproxy = HAProxy(self.workdir, self.port, self.check_path)
        if wait_for(lambda: all(self.haproxy_sees(h, "UP") for h in WEBS), 30) is None:
            raise SystemExit(f"HAProxy does not see the three webs up: {self.haproxy.states()}")

    def run(self) -> None:
        self.origin = time.time()
        self.mix = load_mix.Mix(f"http://127.0.0.1:{self.port}", self.plan, seed=self.args.seed)
        self.mix.result = TimedResult()
        users = self.users = len(self.plan["people"])  # the demo's people and the members added
        mix = self.mix
        self.load_thread = threading.Thread(
            target=lambda: load_mix.run_mix(mix, users=users, seconds=24 * 3600, stop=self.stop_load), daemon=True
        )
        self.mark(f"Load: {users} virtual people (load_mix), a pause of 1-3 s between two operations")
        self.load_thread.start()
        self.loadavg_start = os.getloadavg()[0]
        calm = self.args.calm
        time.sleep(calm)
        self.routing_check()
        time.sleep(calm)
        self.kill_web("web2")
        time.sleep(calm)
        self.kill_worker("worker1")
        time.sleep(calm)
        self.restart_postgres()
        time.sleep(calm)
        self.link_down("web3")
        time.sleep(calm)
        self.disk_full()
        time.sleep(calm)
        self.mark("Stopping the load")
        self.loadavg_end = os.getloadavg()[0]
        self.stop_load.set()
        self.load_thread.join(timeout=120)
        self.ended = time.time()

    def begin(self, name: str) -> Fault:
        fault = Fault(name, time.time())
        self.faults.append(fault)
        self.mark(f"Fault: {name}")
        return fault

    def acks_since(self, moment: float) -> int:
        assert self.mix is not None
        result = self.mix.result
        assert isinstance(result, TimedResult)
        with result.lock:
            return sum(1 for e in result.timeline if e[0] >= moment and e[2] == "ack")

    def settle(self, fault: Fault) -> None:
        """The fault's window ends once the load has had a run of acknowledged operations after the repair."""
        start = time.time()
        wait_for(lambda: self.acks_since(start) >= 50, 90, 0.5)
        fault.ended = time.time()
        self.mark(f"  {fault.name}: load served again")

    def kill_web(self, host: str) -> None:
        fault = self.begin(f"kill -9 {host}")
        self.processes[host].kill9()
        fault.notes["haproxy_marked_down_s"] = rounded(wait_for(lambda: self.haproxy_sees(host, "DOWN"), 20))
        time.sleep(5)
        fault.repaired = time.time()
        self.start_web(host)
        wait_for(lambda: self.haproxy_sees(host, "UP"), 30)
        fault.notes["restarted_and_back_in_haproxy_s"] = rounded(time.time() - fault.repaired)
        self.settle(fault)

    def kill_worker(self, host: str) -> None:
        jobs_log = self.workdir / "jobs.log"
        jobs_log.touch(mode=0o666)
        fault = self.begin(f"kill -9 {host} in the middle of tasks")
        ids = self.snippet(ENQUEUE_SNIPPET % {"count": 24, "tag": "job", "seconds": 2.0, "log": str(jobs_log)})

        def lines() -> list[list[str]]:
            return [line.split() for line in jobs_log.read_text().splitlines() if line.strip()]

        def running_on(name: str) -> bool:
            started = {x[1] for x in lines() if x[0] == "start" and x[2] == name}
            return bool(started - {x[1] for x in lines() if x[0] == "done"})

        wait_for(lambda: running_on(host), 30, 0.05)
        self.processes[host].kill9()
        finished = wait_for(lambda: {x[1] for x in lines() if x[0] == "done"} >= set(ids), 120, 0.5)
        fault.repaired = time.time()
        self.processes[host].start()  # back for the rest of the run
        starts = Counter(x[1] for x in lines() if x[0] == "start")
        dones = Counter(x[1] for x in lines() if x[0] == "done")
        fault.notes.update(
            {
                "tasks_queued": len(ids),
                "tasks_finished": sum(1 for i in ids if dones[i] >= 1),
                "tasks_finished_twice": sum(1 for i in ids if dones[i] > 1),
                "tasks_started_again": sum(1 for i in ids if starts[i] > 1),
                "all_tasks_done_after_kill_s": rounded(finished),
                "stale_after_s": STALE_AFTER,
            }
        )
        self.settle(fault)

    def restart_postgres(self) -> None:
        fault = self.begin("PostgreSQL restart")
        sh("pg_ctlcluster", PG_VERSION, PG_NAME, "restart", "-m", "fast")
        fault.repaired = time.time()
        fault.notes["restart_took_s"] = round(fault.repaired - fault.started, 1)
        self.settle(fault)

    def link_down(self, host: str) -> None:
        fault = self.begin(f"{host} link down 15 s")
        sh("ip", "-n", ns(host), "link", "set", "eth0", "down")
        fault.notes["haproxy_marked_down_s"] = rounded(wait_for(lambda: self.haproxy_sees(host, "DOWN"), 20))
        time.sleep(max(0.0, 15 - (time.time() - fault.started)))
        sh("ip", "-n", ns(host), "link", "set", "eth0", "up")
        fault.repaired = time.time()
        fault.notes["back_in_haproxy_after_link_up_s"] = rounded(wait_for(lambda: self.haproxy_sees(host, "UP"), 30))
        self.settle(fault)

    def disk_full(self) -> None:
        ballast = STATE_DIR / "volume" / "ballast"
        fault = self.begin("disk full on the database's filesystem 15 s")
        # Fill every free block (fallocate takes no time); then top it up with writes in case any is left.
        sh("fallocate", "-l", str(max(volume_free_bytes() - 4096, 4096)), str(ballast), check=False)
        with contextlib.suppress(OSError), ballast.open("ab") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        fault.notes["free_bytes_when_full"] = volume_free_bytes()
        time.sleep(15)
        fault.notes["postgres_running_when_freed"] = postgres_accepts()
        ballast.unlink()
        fault.repaired = time.time()
        if not fault.notes["postgres_running_when_freed"]:
            # PostgreSQL stops (PANIC) when it cannot write its WAL: an operator starts it again.
            self.mark("  PostgreSQL stopped while the disk was full: starting it")
            sh("pg_ctlcluster", PG_VERSION, PG_NAME, "start", check=False)
            fault.notes["postgres_started_again_s"] = rounded(wait_for(postgres_accepts, 60, 0.5))
        self.settle(fault)

    def routing_check(self) -> None:
        """A statement taken out is offered by no web server afterwards (each keeps a routing table)."""
        conversation, target = self.check_conversation, self.check_statement
        path = f"/p/{SLUG}/conversations/{conversation}/vote/"
        # Members of the load, asked directly on each web server (not through HAProxy) for the next statement.
        probes = [p for p in self.plan["people"] if p["kind"] == "member"][-8:]

        def offered() -> Counter[int]:
            seen: Counter[int] = Counter()
            for host in WEBS:
                for probe in probes:
                    with contextlib.suppress(OSError, http.client.HTTPException):
                        status, text = get(HOSTS[host], WEB_PORT, path, cookie=probe["session"])
                        found = STATEMENT_FIELD.search(text)
                        if status == 200 and found:
                            seen[int(found.group(1))] += 1
            return seen

        before = offered() + offered()
        self.mark(f"Taking statement {target} out of conversation {conversation} (offered {before[target]} times)")
        self.snippet(HIDE_SNIPPET % {"coordinator": self.coordinator, "statement": target})
        hidden_at = time.time()
        after: Counter[int] = Counter()
        last_seen = None
        for _ in range(2):
            round_ = offered()
            if round_[target]:
                last_seen = time.time() - hidden_at
            after += round_
        self.result["routing_check"] = {
            "statement": target,
            "offered_before": before[target],
            "asked_before": sum(before.values()),
            "offered_after": after[target],
            "asked_after": sum(after.values()),
            "last_offered_after_s": rounded(last_seen),
        }

    def vote_history(self) -> dict[str, int]:
        users = [p["user"] for p in self.plan["people"]]
        conversations = [c["id"] for c in self.plan["conversations"]]
        history: dict[str, int] = self.snippet(VOTE_HISTORY_SNIPPET % {"users": users, "conversations": conversations})
        return history

    def check(self) -> None:
        assert self.mix is not None
        result = self.mix.result
        assert isinstance(result, TimedResult)
        stored = load_mix.fetch_stored(self.env, self.plan, self.workdir)
        checked = load_mix.verify(result, stored, self.plan)
        summary = result.summary()
        self.result["operations"] = {
            kind: {**summary.get(kind, {}), **{k: v for k, v in checked.get(kind, {}).items() if k != "lost_samples"}}
            for kind in (*load_mix.WRITE_KINDS, *load_mix.PAGE_KINDS)
            if kind in summary
        }
        self.result["lost_samples"] = {
            k: checked[k]["lost_samples"] for k in load_mix.WRITE_KINDS if checked[k]["lost_samples"]
        }
        self.result["capacity"] = checked["capacity"]
        self.result["exact"] = checked["exact"]
        before, after = self.history_before, self.vote_history()
        added = {key: n - before.get(key, 0) for key, n in after.items() if n != before.get(key, 0)}
        self.result["vote_history"] = vote_history_check(result, added)
        self.result["faults"] = [
            {
                **fault_figures(f, result, self.origin),
                "writes": verify_window(result, stored, self.plan, f.started, f.ended),
            }
            for f in self.faults
        ]
        totals = result.totals()
        self.result["load"] = {
            "virtual_people": self.users,
            "seconds": round(self.ended - self.origin, 1),
            **totals,
            "per_second": round(totals["sent"] / (self.ended - self.origin), 1),
            "errors_by_problem": dict(
                Counter(e[3].split(": ", 1)[-1][:60] for e in result.timeline if e[2] == "error").most_common(6)
            ),
            # The machine's load average (1 min) when the load started and stopped: other work shares the cores.
            "load_average": [round(self.loadavg_start, 1), round(self.loadavg_end, 1)],
        }
        self.result["scheduled_jobs"] = self.snippet(TASKS_SNIPPET % {"since": self.started_at})
        self.result["processes_alive_at_end"] = {h: p.alive() for h, p in self.processes.items()}
        self.result["integrity"] = self.check_counts()

    def check_counts(self) -> dict[str, Any]:
        commands = self.manage("help", "--commands").split()
        if "check-counts" not in commands and "check_counts" not in commands:
            return {"check_counts": "not in this code (coproduce check-counts is not on this branch yet)"}
        proc = subprocess.run(
            [sys.executable, "-m", "coproduce.cli", "check-counts", "--json"], env=self.env, capture_output=True,
            text=True, timeout=600, check=False,
        )  # fmt: skip
        try:
            report: Any = json.loads(proc.stdout)
        except ValueError:
            report = proc.stdout[-2000:]
        return {"check_counts_exit": proc.returncode, "report": report}

    def cleanup(self) -> None:
        self.stop_load.set()
        if self.haproxy is not None:
            self.haproxy.stop()
        for process in self.processes.values():
            with contextlib.suppress(Exception):
                process.stop()
        if self.args.keep_logs:
            self.say(f"Logs kept in {self.workdir}")
        clean_leftovers()
        if not self.args.keep_logs:
            shutil.rmtree(self.workdir, ignore_errors=True)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@contextlib.contextmanager
def interrupts_raise() -> Iterator[None]:
    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt), signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def report(result: dict[str, Any]) -> str:
    lines = []
    load = result["load"]
    lines.append(
        f"Load: {load['virtual_people']} virtual people for {load['seconds']} s: {load['sent']} operations "
        f"({load['per_second']}/s), {load['acknowledged']} acknowledged, {load['rejected']} refused, "
        f"{load['errors']} errors"
    )
    lines.append("")
    head = f"{'operation':<14}{'sent':>7}{'acked':>7}{'refused':>8}{'errors':>7}{'p95 ms':>8}"
    lines.append(head + f"{'targets':>8}{'stored':>7}{'lost':>5}{'doubled':>8}")
    for kind, row in result["operations"].items():
        line = (
            f"{kind:<14}{row['sent']:>7}{row['acknowledged']:>7}{row['rejected']:>8}{row['errors']:>7}"
            f"{row['p95_ms'] or 0:>8.0f}"
        )
        if "targets" in row:
            line += f"{row['targets']:>8}{row['stored']:>7}{row['lost']:>5}{row['doubled']:>8}"
        lines.append(line)
    for c in result["capacity"]:
        lines.append(f"event {c['event']}: {c['confirmed']} confirmed of {c['capacity']} places")
    lines.append(f"exact (nothing lost or doubled, no capacity exceeded): {'yes' if result['exact'] else 'NO'}")
    lines.append("")
    lines.append(
        f"{'fault':<46}{'at s':>7}{'ops':>6}{'errors':>7}{'recovered s':>12}"
        "  writes sent/acked/errors, targets: lost/doubled"
    )
    for fault in result["faults"]:
        w = fault["writes"]
        lines.append(
            f"{fault['fault']:<46}{fault['at_s']:>7}{fault['operations']:>6}{fault['errors']:>7}"
            f"{fault['recovered_s']:>12}  {w['sent']}/{w['acknowledged']}/{w['errors']}, "
            f"{w['targets_last_written']}: {w['lost']}/{w['doubled']}"
        )
        shown = {"fault", "at_s", "operations", "errors", "recovered_s", "writes"}
        lines.append("    " + json.dumps({k: v for k, v in fault.items() if k not in shown}))
    lines.append("")
    keys = ("lost_samples", "vote_history", "routing_check", "scheduled_jobs", "processes_alive_at_end", "integrity")
    for key in keys:
        lines.append(f"{key}: {json.dumps(result.get(key))}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=120, help="virtual users (default 120)")
    parser.add_argument("--calm", type=float, default=20.0, help="seconds of plain load between faults (default 20)")
    parser.add_argument("--port", type=int, default=8025, help="HAProxy's port on 127.0.0.1 (default 8025)")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--keep-logs", action="store_true", help="keep the processes' logs (the folder is printed)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        parser.error("run as root: it makes network namespaces, a loop filesystem and a PostgreSQL cluster")
    missing = [p for p in ("haproxy", "socat", "ip", "pg_createcluster", "mkfs.ext4") if shutil.which(p) is None]
    if missing:
        parser.error(f"needs {', '.join(missing)} (Debian: apt-get install -y haproxy socat iproute2 postgresql-15)")
    say = say_to(sys.stderr if args.json else sys.stdout)
    run = Run(args, say)
    with interrupts_raise():
        try:
            run.prepare()
            run.run()
            run.check()
        except KeyboardInterrupt:
            say("Interrupted; cleaning up.")
            run.cleanup()
            return 130
        except BaseException:
            run.cleanup()
            raise
        run.cleanup()
    result = {
        "arrangement": {
            "webs": {h: HOSTS[h] for h in WEBS},
            "workers": {h: HOSTS[h] for h in WORKERS},
            "postgres": f"{PG_VERSION}/{PG_NAME} on {GATEWAY}:{PG_PORT}",
            "load_balancer": f"haproxy 127.0.0.1:{args.port}, health check GET {run.check_path}",
            "worker_stale_after_s": STALE_AFTER,
        },
        **run.result,
    }
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print()
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
