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
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

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
STATE_DIR = Path("/var/tmp/coproduce-cluster")
VOLUME_MB = 400
SLUG = "riverside"
STALE_AFTER = 10  # seconds: `coproduce worker --stale-after` for this run
AUTH_BACKEND = "coproduce.accounts.backends.AuthenticationBackend"

# Members for the virtual users, each with a session, and what the load needs to know; one JSON line.
PREPARE_SNIPPET = """
import json
from django.contrib.auth import get_user_model
from coproduce.conversations.models import Conversation
from coproduce.core.sessions import SessionStore
from coproduce.partnerships.models import Membership, Partnership
partnership = Partnership.objects.get(slug=%(slug)r)
User = get_user_model()
sessions = []
for i in range(%(users)d):
    email = f"cluster-user-{i}@cluster.example"
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None)
    Membership.objects.get_or_create(partnership=partnership, user=user, defaults={"is_member": True})
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = %(backend)r
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.save()
    sessions.append({"user_id": user.pk, "session": store.session_key})
open_ids = [c.pk for c in Conversation.objects.filter(partnership=partnership) if c.is_open]
coordinator = Membership.objects.filter(partnership=partnership, is_coordinator=True).order_by("pk").first()
print("CLUSTER " + json.dumps({"sessions": sessions, "conversations": open_ids, "coordinator": coordinator.pk}))
"""

# The stored votes and vote history of the run's users, for the comparison with what was acknowledged.
VOTES_SNIPPET = """
import json
from django.db.models import Count
from coproduce.conversations.models import Vote, VoteEvent
users = [u for u in %(users)r]
votes = list(Vote.objects.filter(participant__user_id__in=users).values_list("participant__user_id", "statement_id", "value"))
events = list(
    VoteEvent.objects.filter(participant__user_id__in=users)
    .values("participant__user_id", "statement_id").annotate(n=Count("id"))
    .values_list("participant__user_id", "statement_id", "n")
)
print("CLUSTER " + json.dumps({"votes": votes, "events": events}))
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

TASKS_SNIPPET = """
import json
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from coproduce.core.models import ScheduledRun
jobs = list(
    DBTaskResult.objects.filter(task_path="cluster_jobs.slow_job").values_list("status").annotate(n=Count("id"))
)
since = %(since)r
runs = list(ScheduledRun.objects.filter(created_at__gte=since).values_list("job", "period_start"))
tasks = list(
    DBTaskResult.objects.filter(enqueued_at__gte=since).exclude(task_path="cluster_jobs.slow_job")
    .values_list("task_path").annotate(n=Count("id"))
)
print("CLUSTER " + json.dumps({"jobs": jobs, "scheduled_runs": [[j, p.isoformat()] for j, p in runs], "tasks": tasks}))
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
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
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
    default-server inter 1s fall 2 rise 2
{servers}
"""


class HAProxy:
    def __init__(self, workdir: Path, port: int, check_path: str) -> None:
        self.port = port
        self.socket = workdir / "haproxy.sock"
        self.config = workdir / "haproxy.cfg"
        servers = "\n".join(f"    server {h} {HOSTS[h]}:{WEB_PORT} check" for h in WEBS)
        self.config.write_text(
            HAPROXY_CONFIG.format(socket=self.socket, port=port, check=check_path, servers=servers)
        )
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


# --- The load ----------------------------------------------------------------------------------------------


@dataclass
class Op:
    kind: str  # "page" or "vote"
    user_id: int
    started: float  # time.monotonic()
    finished: float = 0.0
    ok: bool = False
    problem: str = ""
    statement: int = 0
    value: int = 0
    conversation: int = 0


VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}
STATEMENT_FIELD = re.compile(r'name="statement" value="(\d+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class VirtualUser:
    """One person: a keep-alive connection through HAProxy, her session, the CSRF cookie she was given."""

    def __init__(self, port: int, user_id: int, session: str) -> None:
        self.port = port
        self.user_id = user_id
        self.cookies = {"sessionid": session}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str = "", extra: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(extra or {}),
        }
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            self.conn.request(method, path, body=body or None, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            if name.strip() == "csrftoken":
                self.cookies["csrftoken"] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return response.status, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class Load:
    """``users`` threads, each acting as one person until told to stop; every action is recorded."""

    def __init__(self, port: int, sessions: list[dict[str, Any]], conversations: list[int], seed: int) -> None:
        self.port = port
        self.sessions = sessions
        self.conversations = conversations
        self.seed = seed
        self.ops: list[Op] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.pages = [
            f"/p/{SLUG}/",
            f"/p/{SLUG}/conversations/",
            *(f"/p/{SLUG}/conversations/{c}/" for c in conversations),
            f"/p/{SLUG}/people/",
        ]

    def record(self, op: Op) -> None:
        op.finished = time.monotonic()
        with self.lock:
            self.ops.append(op)

    def view(self, user: VirtualUser, rng: random.Random) -> None:
        op = Op("page", user.user_id, time.monotonic())
        try:
            status, _ = user.request("GET", rng.choice(self.pages))
            op.ok = status == 200
            op.problem = "" if op.ok else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as error:
            op.problem = type(error).__name__
        self.record(op)

    def vote(self, user: VirtualUser, rng: random.Random) -> None:
        conversation = rng.choice(self.conversations)
        path = f"/p/{SLUG}/conversations/{conversation}/vote/"
        view = Op("page", user.user_id, time.monotonic())
        try:
            status, text = user.request("GET", path)
            view.ok = status == 200
            view.problem = "" if view.ok else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as error:
            view.problem = type(error).__name__
            text = ""
        self.record(view)
        statement, token = STATEMENT_FIELD.search(text), CSRF_FIELD.search(text)
        if not view.ok or statement is None or token is None:
            return  # nothing left to vote on here, or the page failed (counted above)
        choice = rng.choice(list(VOTE_VALUES))
        op = Op("vote", user.user_id, time.monotonic(), statement=int(statement.group(1)))
        op.value, op.conversation = VOTE_VALUES[choice], conversation
        body = f"csrfmiddlewaretoken={token.group(1)}&statement={op.statement}&vote={choice}"
        try:
            status, text = user.request("POST", path, body, {"HX-Request": "true", "Referer": "http://127.0.0.1/"})
            # Acknowledged: the answer says the vote is recorded (the partial's status line).
            op.ok = status == 200 and "cp-vote__done" in text
            op.problem = "" if op.ok else f"HTTP {status}" + (" (no confirmation)" if status == 200 else "")
        except (OSError, http.client.HTTPException) as error:
            op.problem = type(error).__name__
        self.record(op)

    def person(self, index: int) -> None:
        rng = random.Random(self.seed * 100_003 + index)
        session = self.sessions[index]
        user = VirtualUser(self.port, session["user_id"], session["session"])
        self.stopping.wait(rng.uniform(0, 3))  # not all at once
        try:
            while not self.stopping.is_set():
                if rng.random() < 0.5:
                    self.vote(user, rng)
                else:
                    self.view(user, rng)
                self.stopping.wait(rng.uniform(1.0, 3.0))
        finally:
            user.close()

    def start(self) -> None:
        for index in range(len(self.sessions)):
            thread = threading.Thread(target=self.person, args=(index,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def successes_since(self, moment: float) -> int:
        with self.lock:
            return sum(1 for op in self.ops if op.ok and op.started >= moment)


# --- Faults and figures ------------------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    started: float  # monotonic
    repaired: float = 0.0  # when the cause was taken away (restart, link up, ballast removed)
    ended: float = 0.0  # end of the window counted for this fault
    notes: dict[str, Any] = field(default_factory=dict)


def fault_figures(fault: Fault, ops: list[Op], origin: float) -> dict[str, Any]:
    window = [op for op in ops if fault.started <= op.started < fault.ended]
    failed = [op for op in window if not op.ok]
    last_failure = max((op.finished for op in failed), default=None)
    first_success_after = min(
        (op.finished for op in ops if op.ok and op.started >= (last_failure or fault.started)), default=None
    )
    return {
        "fault": fault.name,
        "at_s": round(fault.started - origin, 1),
        "window_s": round(fault.ended - fault.started, 1),
        "operations": len(window),
        "errors": len(failed),
        "error_kinds": dict(Counter(op.problem for op in failed).most_common(4)),
        # From the fault to the last failed operation's answer (0: no operation failed).
        "disrupted_s": round(last_failure - fault.started, 1) if last_failure is not None else 0.0,
        # From the repair (or the fault, when nothing is repaired by hand) to the first success after the last
        # failure.
        "recovered_s": (
            round(max(0.0, first_success_after - (fault.repaired or fault.started)), 1)
            if last_failure is not None and first_success_after is not None
            else 0.0
        ),
        **fault.notes,
    }


def write_figures(ops: list[Op], stored: set[tuple[int, int, int]], events: dict[tuple[int, int], int]) -> dict[str, Any]:
    """sent / acknowledged / stored / lost / doubled for the votes of ``ops``.

    A vote is stored when the person's current vote on the statement has the value sent (each person votes
    at most once per statement in this run: the vote page only offers statements not yet voted on); doubled
    when the vote history holds more than one row for it."""
    sent = [op for op in ops if op.kind == "vote"]
    acked = [op for op in sent if op.ok]
    stored_ops = [op for op in sent if (op.user_id, op.statement, op.value) in stored]
    lost = [op for op in acked if (op.user_id, op.statement, op.value) not in stored]
    doubled = [op for op in sent if events.get((op.user_id, op.statement), 0) > 1]
    return {
        "sent": len(sent),
        "acknowledged": len(acked),
        "stored": len(stored_ops),
        "lost": len(lost),
        "doubled": len(doubled),
        # Not acknowledged (an error or no answer) yet stored: allowed, the person sees an error and may look.
        "stored_without_acknowledgement": len(stored_ops) - (len(acked) - len(lost)),
    }


# --- The run -----------------------------------------------------------------------------------------------


class Run:
    def __init__(self, args: argparse.Namespace, say: Callable[[str], None]) -> None:
        self.args = args
        self.say = say
        self.workdir = Path(tempfile.mkdtemp(prefix="coproduce-cluster-"))
        os.chmod(self.workdir, 0o755)
        self.port = args.port
        self.env = self._env()
        self.processes: dict[str, Process] = {}
        self.haproxy: HAProxy | None = None
        self.load: Load | None = None
        self.faults: list[Fault] = []
        self.result: dict[str, Any] = {}

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
                "COPRODUCE_SITE_URL": "http://127.0.0.1",
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
        self.say(f"[{time.monotonic() - self.origin:6.1f} s] {text}")

    # processes

    def web(self, host: str) -> Process:
        command = [sys.executable, "-m", "coproduce.cli", "serve", "--host", HOSTS[host], "--port", str(WEB_PORT)]
        return Process(host, [*command, "--workers", "1"], self.env, self.workdir)

    def worker(self, host: str) -> Process:
        command = [sys.executable, "-m", "coproduce.cli", "worker", "--worker-id", host, "--interval", "0.5"]
        command += ["--stale-after", str(STALE_AFTER), "--reclaim-every", "2", "--schedule-every", "5"]
        return Process(host, command, self.env, self.workdir)

    def start_web(self, host: str) -> None:
        process = self.processes[host]
        process.start()
        if wait_for(lambda: web_answers(host, "/"), 60) is None:
            raise SystemExit(f"{host} did not answer within 60 s:\n{process.tail()}")

    def haproxy_sees(self, host: str, state: str) -> bool:
        assert self.haproxy is not None
        return self.haproxy.states().get(host, "").startswith(state)

    # phases

    def prepare(self) -> None:
        self.say("Cleaning anything an earlier run left …")
        clean_leftovers()
        STATE_DIR.mkdir(parents=True)
        self.say(f"Network: bridge {BRIDGE} {GATEWAY}/{NETMASK}, hosts {', '.join(f'{h} {a}' for h, a in HOSTS.items())}")
        network_up()
        self.say(f"PostgreSQL {PG_VERSION} cluster {PG_NAME} on port {PG_PORT}, data on a {VOLUME_MB} MB filesystem")
        postgres_up()
        self.say("Migrating, loading the demo partnership and the virtual users' members …")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage("load_demo")
        prepared = self.snippet(PREPARE_SNIPPET % {"slug": SLUG, "users": self.args.users, "backend": AUTH_BACKEND})
        self.sessions, self.conversations = prepared["sessions"], prepared["conversations"]
        self.coordinator = prepared["coordinator"]
        if not self.conversations:
            raise SystemExit("The demo partnership has no open conversation to vote in.")
        self.started_at = psql("SELECT now()", DATABASE)
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
        status, _ = get(HOSTS["web1"], WEB_PORT, "/readyz")
        self.check_path = "/readyz" if status == 200 else "/"
        self.say(f"HAProxy on 127.0.0.1:{self.port}, health check GET {self.check_path}")
        self.haproxy = HAProxy(self.workdir, self.port, self.check_path)
        if wait_for(lambda: all(self.haproxy_sees(h, "UP") for h in WEBS), 30) is None:
            raise SystemExit(f"HAProxy does not see the three webs up: {self.haproxy.states()}")

    def run(self) -> None:
        self.origin = time.monotonic()
        assert self.haproxy is not None
        self.load = Load(self.port, self.sessions, self.conversations, self.args.seed)
        self.mark(f"Load: {len(self.sessions)} virtual users")
        self.load.start()
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
        self.load.stop()
        self.ended = time.monotonic()

    def begin(self, name: str) -> Fault:
        fault = Fault(name, time.monotonic())
        self.faults.append(fault)
        self.mark(f"Fault: {name}")
        return fault

    def settle(self, fault: Fault) -> None:
        """The fault's window ends once the load has had a run of successes after the repair."""
        assert self.load is not None
        load = self.load
        start = time.monotonic()
        wait_for(lambda: load.successes_since(start) >= 20, 60, 0.5)
        fault.ended = time.monotonic()
        self.mark(f"  {fault.name}: recovered")

    def kill_web(self, host: str) -> None:
        fault = self.begin(f"kill -9 {host}")
        self.processes[host].kill9()
        fault.notes["haproxy_marked_down_s"] = wait_for(lambda: self.haproxy_sees(host, "DOWN"), 20)
        time.sleep(5)
        fault.repaired = time.monotonic()
        self.start_web(host)
        fault.notes["back_in_haproxy_s"] = wait_for(lambda: self.haproxy_sees(host, "UP"), 30)
        self.settle(fault)

    def kill_worker(self, host: str) -> None:
        jobs_log = self.workdir / "jobs.log"
        jobs_log.touch(mode=0o666)
        fault = self.begin(f"kill -9 {host} in the middle of tasks")
        ids = self.snippet(ENQUEUE_SNIPPET % {"count": 24, "tag": "job", "seconds": 2.0, "log": str(jobs_log)})

        def running_on(name: str) -> bool:
            lines = jobs_log.read_text().splitlines()
            started = {line.split()[1] for line in lines if line.startswith("start ") and line.split()[2] == name}
            done = {line.split()[1] for line in lines if line.startswith("done ")}
            return bool(started - done)

        wait_for(lambda: running_on(host), 30, 0.05)
        self.processes[host].kill9()
        killed_at = time.monotonic()

        def all_done() -> bool:
            done = {line.split()[1] for line in jobs_log.read_text().splitlines() if line.startswith("done ")}
            return done >= set(ids)

        finished = wait_for(all_done, 120, 0.5)
        fault.repaired = time.monotonic()
        self.processes[host].start()  # back for the rest of the run
        lines = jobs_log.read_text().splitlines()
        starts = Counter(line.split()[1] for line in lines if line.startswith("start "))
        dones = Counter(line.split()[1] for line in lines if line.startswith("done "))
        fault.notes.update(
            {
                "tasks_queued": len(ids),
                "tasks_finished": sum(1 for i in ids if dones[i] >= 1),
                "tasks_finished_twice": sum(1 for i in ids if dones[i] > 1),
                "tasks_started_again": sum(1 for i in ids if starts[i] > 1),
                "all_tasks_done_after_kill_s": round(finished - (killed_at - fault.started), 1) if finished else None,
                "stale_after_s": STALE_AFTER,
            }
        )
        self.settle(fault)

    def restart_postgres(self) -> None:
        fault = self.begin("PostgreSQL restart")
        sh("pg_ctlcluster", PG_VERSION, PG_NAME, "restart", "-m", "fast")
        fault.repaired = time.monotonic()
        fault.notes["restart_took_s"] = round(fault.repaired - fault.started, 1)
        self.settle(fault)

    def link_down(self, host: str) -> None:
        fault = self.begin(f"{host} link down 15 s")
        sh("ip", "-n", ns(host), "link", "set", "eth0", "down")
        fault.notes["haproxy_marked_down_s"] = wait_for(lambda: self.haproxy_sees(host, "DOWN"), 20)
        time.sleep(max(0.0, 15 - (time.monotonic() - fault.started)))
        sh("ip", "-n", ns(host), "link", "set", "eth0", "up")
        fault.repaired = time.monotonic()
        fault.notes["back_in_haproxy_s"] = wait_for(lambda: self.haproxy_sees(host, "UP"), 30)
        self.settle(fault)

    def disk_full(self) -> None:
        ballast = STATE_DIR / "volume" / "ballast"
        fault = self.begin("disk full on the database's filesystem 15 s")
        free = volume_free_bytes()
        # Fill every free block (fallocate takes no time); then top it up with writes in case any is left.
        sh("fallocate", "-l", str(max(free - 4096, 4096)), str(ballast), check=False)
        with contextlib.suppress(OSError), ballast.open("ab") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        fault.notes["free_bytes_after_filling"] = volume_free_bytes()
        time.sleep(15)
        ballast.unlink()
        fault.repaired = time.monotonic()
        fault.notes["postgres_was_running"] = postgres_accepts()
        if not fault.notes["postgres_was_running"]:
            # PostgreSQL stops (PANIC) when it cannot write its WAL: an operator starts it again.
            self.mark("  PostgreSQL stopped while the disk was full: starting it")
            sh("pg_ctlcluster", PG_VERSION, PG_NAME, "start", check=False)
            wait_for(postgres_accepts, 60, 0.5)
        self.settle(fault)

    def routing_check(self) -> None:
        """A statement taken out is offered by no web server afterwards (each keeps a routing table)."""
        conversation = self.conversations[0]
        path = f"/p/{SLUG}/conversations/{conversation}/vote/"
        # People who have not voted on everything; asked directly on each web server (bypassing HAProxy).
        probes = self.sessions[-10:]

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

        before = offered()
        if not before:
            self.result["routing_check"] = {"skipped": "no statement offered to the probes"}
            return
        target = before.most_common(1)[0][0]
        self.mark(f"Taking statement {target} out of conversation {conversation} (offered {before[target]} times)")
        self.snippet(HIDE_SNIPPET % {"coordinator": self.coordinator, "statement": target})
        hidden_at = time.monotonic()
        after: Counter[int] = Counter()
        last_seen = None
        for _ in range(5):
            round_ = offered()
            if round_[target]:
                last_seen = time.monotonic() - hidden_at
            after += round_
        self.result["routing_check"] = {
            "statement": target,
            "offered_before": before[target],
            "asked_before": sum(before.values()),
            "offered_after": after[target],
            "asked_after": sum(after.values()),
            "last_offered_after_s": None if last_seen is None else round(last_seen, 2),
        }

    def check(self) -> None:
        assert self.load is not None
        ops = self.load.ops
        users = [s["user_id"] for s in self.sessions]
        data = self.snippet(VOTES_SNIPPET % {"users": users})
        stored = {(u, s, v) for u, s, v in data["votes"]}
        events = {(u, s): n for u, s, n in data["events"]}
        self.result["operations"] = {
            "page": {
                "sent": sum(1 for op in ops if op.kind == "page"),
                "answered_200": sum(1 for op in ops if op.kind == "page" and op.ok),
            },
            "vote": write_figures(ops, stored, events),
        }
        by_fault = []
        for fault in self.faults:
            figures = fault_figures(fault, ops, self.origin)
            in_window = [op for op in ops if fault.started <= op.started < fault.ended]
            figures["votes"] = write_figures(in_window, stored, events)
            by_fault.append(figures)
        self.result["faults"] = by_fault
        self.result["load"] = {
            "virtual_users": len(self.sessions),
            "seconds": round(self.ended - self.origin, 1),
            "operations": len(ops),
            "errors": sum(1 for op in ops if not op.ok),
            "per_second": round(len(ops) / (self.ended - self.origin), 1),
        }
        tasks = self.snippet(TASKS_SNIPPET % {"since": self.started_at})
        runs = Counter((j, p) for j, p in tasks["scheduled_runs"])
        self.result["scheduled_jobs"] = {
            "periods_run": len(runs),
            "periods_run_twice": sum(1 for n in runs.values() if n > 1),
            "tasks_by_path": dict(tasks["tasks"]),
            "benchmark_tasks_by_status": dict(tasks["jobs"]),
        }
        self.result["processes_alive_at_end"] = {h: p.alive() for h, p in self.processes.items()}
        self.result["integrity"] = self.check_counts()

    def check_counts(self) -> dict[str, Any]:
        commands = self.manage("help", "--commands")
        if "check-counts" not in commands.split():
            return {"check_counts": "not available in this code (coproduce check-counts is not on this branch)"}
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
        if self.load is not None:
            self.load.stopping.set()
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
        f"Load: {load['virtual_users']} virtual users for {load['seconds']} s, {load['operations']} operations "
        f"({load['per_second']}/s), {load['errors']} failed"
    )
    lines.append("")
    lines.append(f"{'operation':<10} {'sent':>7} {'acked':>7} {'stored':>7} {'lost':>5} {'doubled':>7}")
    votes = result["operations"]["vote"]
    lines.append(
        f"{'vote':<10} {votes['sent']:>7} {votes['acknowledged']:>7} {votes['stored']:>7} {votes['lost']:>5} "
        f"{votes['doubled']:>7}"
    )
    pages = result["operations"]["page"]
    lines.append(f"{'page':<10} {pages['sent']:>7} {pages['answered_200']:>7}")
    lines.append("")
    head = f"{'fault':<46} {'at s':>6} {'ops':>5} {'errors':>6} {'disrupted s':>11} {'recovered s':>11}"
    lines.append(head + "  votes sent/acked/stored/lost/doubled")
    for fault in result["faults"]:
        v = fault["votes"]
        lines.append(
            f"{fault['fault']:<46} {fault['at_s']:>6} {fault['operations']:>5} {fault['errors']:>6} "
            f"{fault['disrupted_s']:>11} {fault['recovered_s']:>11}  "
            f"{v['sent']}/{v['acknowledged']}/{v['stored']}/{v['lost']}/{v['doubled']}"
        )
        extra = {
            k: val
            for k, val in fault.items()
            if k not in {"fault", "at_s", "operations", "errors", "disrupted_s", "recovered_s", "votes", "window_s"}
        }
        lines.append(f"    {json.dumps(extra)}")
    lines.append("")
    for key in ("routing_check", "scheduled_jobs", "processes_alive_at_end", "integrity"):
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
            "load_balancer": f"haproxy 127.0.0.1:{args.port}, check {run.check_path}",
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
