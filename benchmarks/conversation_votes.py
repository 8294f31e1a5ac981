"""Load-test voting in a conversation: concurrent voters over loopback against the production server on
PostgreSQL, counting every accepted vote and checking the database against the count afterwards.

What it does:

1. creates a fresh PostgreSQL database (``--database-url``, default the machine's server at 127.0.0.1:5432,
   database ``coproduce_bench_votes``; dropped and created again), with the production settings
   (``COPRODUCE_DEMO`` unset, HTTPS redirect off because the traffic is plain HTTP on 127.0.0.1): ``migrate``,
   ``collectstatic``;
2. makes a partnership, a coordinator, ``--voters`` members each with a signed-in session (written straight
   into the database) and one open conversation with ``--statements`` statements;
3. starts ``coproduce serve --with-worker`` (granian, WSGI, and the background worker that computes the opinion
   map at most every 10 seconds while votes arrive) on a free loopback port;
4. each voter (one thread, one keep-alive HTTP/1.1 connection) loads the voting page once for its CSRF token,
   then votes back to back (no think time) on its statements in its own shuffled order, agree / disagree /
   pass, until the time runs out or it has voted on every statement. ``--mode htmx`` (default) sends what the
   page sends with JavaScript (``HX-Request``; the answer, 200, is the next statement's card); ``--mode
   plain`` sends the plain form (the answer, 302, is a redirect, not followed); ``--mode browser`` sends the
   plain form and then follows the redirect to the voting page with the next statement, as a browser without
   JavaScript does (a vote is both requests, timed together). Any other answer, and any exception, is an error;
5. afterwards counts the votes stored: every accepted vote must be there exactly once, with the value sent
   (each voter votes at most once on each statement, so stored = accepted is exact);
6. prints a table (or JSON with ``--json``), stops the server and drops the database, also on Ctrl-C.

Only 127.0.0.1 is contacted; every loop is bounded by time and by a vote count.

    uv run python benchmarks/conversation_votes.py                    # 50 voters, 20 s
    uv run python benchmarks/conversation_votes.py --mode plain --json
    uv run python benchmarks/conversation_votes.py --mode browser
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import (
    HOST,
    CpuSnapshot,
    Server,
    _interrupt,
    bench_lines,
    free_port,
    machine_info,
    percentile,
    run_manage,
    server_env,
    wait_until_quiet,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coproduce_bench_votes"
SLUG = "bench-votes"

SETUP_SNIPPET = """
import json
from django.contrib.auth import get_user_model
from coproduce.core.sessions import SessionStore
from coproduce.conversations import services
from coproduce.partnerships.models import Membership, Organisation, Partnership
VOTERS, STATEMENTS = {voters}, {statements}
User = get_user_model()
partnership = Partnership.objects.create(slug={slug!r}, name="Benchmark partnership")
organisation = Organisation.objects.create(partnership=partnership, name="Council", kind="public")
boss = User.objects.create(email="coordinator@bench.example", display_name="Coordinator")
coordinator = Membership.objects.create(partnership=partnership, user=boss, is_member=False, is_coordinator=True,
                                        organisation=organisation)
texts = [f"Statement number {{n}} for the benchmark." for n in range(STATEMENTS)]
conversation = services.conversation_create(actor=coordinator, topic="Benchmark conversation", seeds=texts[:200])
for text in texts[200:]:
    services.statement_seed(actor=coordinator, conversation=conversation, text=text)
sessions = []
for n in range(VOTERS):
    user = User.objects.create(email=f"voter{{n}}@bench.example", display_name=f"Voter {{n}}")
    Membership.objects.create(partnership=partnership, user=user, is_member=True)
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "coproduce.accounts.backends.AuthenticationBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.save()
    sessions.append({{"user": user.pk, "session": store.session_key}})
statements = list(conversation.statements.order_by("number").values_list("pk", flat=True))
print("BENCH " + json.dumps({{"conversation": conversation.pk, "statements": statements, "voters": sessions}}))
"""

CHECK_SNIPPET = """
import json
from coproduce.conversations.models import Participant, Snapshot, Vote
rows = Vote.objects.filter(conversation_id={conversation})
votes = list(rows.values_list("participant__user_id", "statement_id", "value"))
snapshot = Snapshot.objects.filter(conversation_id={conversation}).values_list("computed_at", "vote_count").first()
print("BENCH " + json.dumps({{
    "votes": votes,
    "participants": Participant.objects.filter(conversation_id={conversation}).count(),
    "snapshot": [snapshot[0].isoformat(), snapshot[1]] if snapshot else None,
}}))
"""

VALUES = {"agree": 1, "disagree": -1, "pass": 0}


@dataclass
class Outcome:
    mode: str
    voters: int
    seconds: float
    accepted: int
    errors: int
    votes_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    stored: int = 0
    lost: int = 0
    doubled_or_unexpected: int = 0
    wrong_value: int = 0
    participants: int = 0
    snapshot: list[object] | None = None
    server_cores: float = math.nan
    other_cores: float = math.nan  # PostgreSQL, the background worker and anything else on the machine
    client_cores: float = math.nan  # this script's voters
    server_cpu_ms_per_vote: float = math.nan
    error_samples: list[str] = field(default_factory=list)


def _cookie_value(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def run_voters(
    port: int,
    conversation: int,
    statements: list[int],
    voters: list[dict[str, object]],
    *,
    mode: str,
    seconds: float,
    max_votes: int,
) -> tuple[Outcome, dict[tuple[int, int], int]]:
    vote_path = f"/p/{SLUG}/conversations/{conversation}/vote/"
    latencies: list[list[float]] = [[] for _ in voters]
    errors = [0] * len(voters)
    accepted: dict[tuple[int, int], int] = {}
    samples: list[str] = []
    lock = threading.Lock()
    issued = 0
    barrier = threading.Barrier(len(voters) + 1)
    deadline = 0.0

    def ticket() -> bool:
        nonlocal issued
        with lock:
            if issued >= max_votes:
                return False
            issued += 1
            return True

    def note(index: int, problem: str) -> None:
        errors[index] += 1
        with lock:
            if len(samples) < 5:
                samples.append(problem)

    def voter(index: int) -> None:
        person = voters[index]
        order = list(statements)
        random.Random(index).shuffle(order)
        choices = list(VALUES)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        cookies = f"sessionid={person['session']}"
        try:
            conn.request("GET", vote_path, headers={"Cookie": cookies})
            response = conn.getresponse()
            body = response.read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            csrf_cookie = _cookie_value(response.getheaders(), "csrftoken")
            if response.status != 200 or token is None or csrf_cookie is None:
                note(index, f"voting page: HTTP {response.status}, token {'found' if token else 'missing'}")
                barrier.wait()
                return
            cookies += f"; csrftoken={csrf_cookie}"
            headers = {
                "Cookie": cookies,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{port}{vote_path}",
            }
            if mode == "htmx":
                headers.update({"HX-Request": "true", "HX-Current-URL": f"http://{HOST}:{port}{vote_path}"})
            expected = 200 if mode == "htmx" else 302
            barrier.wait()
            mine = latencies[index]
            for position, statement in enumerate(order):
                if time.perf_counter() >= deadline or not ticket():
                    break
                choice = choices[(index + position) % 3]
                form = urlencode({"csrfmiddlewaretoken": token.group(1), "statement": statement, "vote": choice})
                t0 = time.perf_counter()
                try:
                    conn.request("POST", vote_path, body=form, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == expected
                    problem = f"HTTP {response.status}"
                    if ok and mode != "htmx":
                        ok = urlsplit(response.getheader("Location") or "").path == vote_path
                        if not ok:
                            problem = f"redirected to {response.getheader('Location')!r}"
                    if ok and mode == "browser":
                        # The vote is stored once the POST is answered; the next page is what the person waits for.
                        # It shows "Your vote is recorded.", carried in the messages cookie as a browser would.
                        message = _cookie_value(response.getheaders(), "messages")
                        extra = f"; messages={message}" if message else ""
                        conn.request("GET", vote_path, headers={"Cookie": cookies + extra})
                        page = conn.getresponse()
                        page_body = page.read()
                        if page.status != 200 or b'id="vote-card"' not in page_body:
                            note(index, f"next page: HTTP {page.status}")
                except (OSError, http.client.HTTPException) as error:
                    ok, problem = False, f"{type(error).__name__}: {error}"
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                mine.append(time.perf_counter() - t0)
                if ok:
                    accepted[(int(person["user"]), statement)] = VALUES[choice]  # type: ignore[call-overload]
                else:
                    note(index, problem)
        except threading.BrokenBarrierError:
            pass
        finally:
            conn.close()

    threads = [threading.Thread(target=voter, args=(i,), daemon=True) for i in range(len(voters))]
    for thread in threads:
        thread.start()
    t_start = time.perf_counter()
    deadline = t_start + seconds + 60  # set properly once everyone has their token
    barrier.wait()
    t_start = time.perf_counter()
    deadline = t_start + seconds
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - t_start
    values = sorted(v for per in latencies for v in per)
    outcome = Outcome(
        mode=mode,
        voters=len(voters),
        seconds=round(elapsed, 2),
        accepted=len(accepted),
        errors=sum(errors),
        votes_per_s=round(len(accepted) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(values, 50) * 1000, 1),
        p95_ms=round(percentile(values, 95) * 1000, 1),
        p99_ms=round(percentile(values, 99) * 1000, 1),
        max_ms=round(values[-1] * 1000, 1) if values else math.nan,
        error_samples=samples,
    )
    return outcome, accepted


def check_stored(outcome: Outcome, accepted: dict[tuple[int, int], int], stored_rows: list[list[int]]) -> None:
    stored: dict[tuple[int, int], int] = {}
    doubled = 0
    for user, statement, value in stored_rows:
        if (user, statement) in stored:
            doubled += 1
        stored[(user, statement)] = value
    outcome.stored = len(stored_rows)
    outcome.lost = sum(1 for key in accepted if key not in stored)
    outcome.doubled_or_unexpected = doubled + sum(1 for key in stored if key not in accepted)
    outcome.wrong_value = sum(1 for key, value in accepted.items() if key in stored and stored[key] != value)


def _psql_database(url: str, action: str) -> None:
    """Drop (and with ``create``, create again) the benchmark's database, through the server's postgres db."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"use a plain database name (lower-case letters, digits, _), not {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if action == "create":
            conn.execute(f"CREATE DATABASE {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=50, help="concurrent voters (default 50)")
    parser.add_argument("--statements", type=int, default=400, help="statements in the conversation (default 400)")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds (default 20)")
    parser.add_argument("--max-votes", type=int, default=200_000, help="cap on votes (default 200000)")
    parser.add_argument(
        "--mode", choices=["htmx", "plain", "browser"], default="htmx", help="what each vote request is (see above)"
    )
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=None, help="granian blocking threads per worker")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="PostgreSQL database to (re)create")
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS", help="wait for a quiet machine")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.voters <= 500 or not 1 <= args.statements <= 5000 or not 0 < args.seconds <= 600:
        parser.error("use 1-500 voters, 1-5000 statements and 0-600 seconds")

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="coproduce-bench-votes-"))
    env = server_env(workdir, database_url=args.database_url, site_url=f"http://{HOST}")
    if args.threads is not None:
        env["COPRODUCE_THREADS"] = str(args.threads)
    server: Server | None = None
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    created = False
    try:
        say(f"Creating the PostgreSQL database {urlsplit(args.database_url).path.lstrip('/')} …")
        _psql_database(args.database_url, "create")
        created = True
        run_manage(env, "migrate", "--no-input", "-v", "0")
        run_manage(env, "collectstatic", "--no-input", "-v", "0")
        setup = SETUP_SNIPPET.format(voters=args.voters, statements=args.statements, slug=SLUG)
        info = json.loads(bench_lines(run_manage(env, "shell", "-c", setup))[0])
        port = free_port()
        say(f"Starting coproduce serve --with-worker on {HOST}:{port} (workers={args.workers}) …")
        server = Server(env, port, args.workers, workdir / "server.log")
        # Server starts the web server alone; the background worker runs beside it, as `serve --with-worker`
        # would (a separate process so that its CPU shows in the figures apart from the web server's).
        worker_log = (workdir / "worker.log").open("w")
        worker = subprocess.Popen(
            [sys.executable, "-m", "coproduce.cli", "worker"],
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            server.wait_ready(f"/p/{SLUG}/conversations/", str(info["voters"][0]["session"]))
            if args.wait_idle > 0:
                wait_until_quiet(args.wait_idle, say)
            say(f"{args.voters} voters, {args.seconds:g} s, mode {args.mode} …")
            before = CpuSnapshot.take(server.proc.pid)
            outcome, accepted = run_voters(
                port,
                info["conversation"],
                info["statements"],
                info["voters"],
                mode=args.mode,
                seconds=args.seconds,
                max_votes=args.max_votes,
            )
            after = CpuSnapshot.take(server.proc.pid)
            server_cpu = after.server - before.server
            outcome.server_cores = round(server_cpu / outcome.seconds, 2)
            outcome.other_cores = round(
                max(0.0, (after.machine_busy - before.machine_busy - server_cpu - (after.client - before.client)))
                / outcome.seconds,
                2,
            )
            outcome.client_cores = round((after.client - before.client) / outcome.seconds, 2)
            outcome.server_cpu_ms_per_vote = round(server_cpu * 1000 / max(outcome.accepted, 1), 1)
            time.sleep(12)  # let the worker compute the opinion map from the last votes
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
            worker_log.close()
        check = json.loads(
            bench_lines(run_manage(env, "shell", "-c", CHECK_SNIPPET.format(conversation=info["conversation"])))[0]
        )
        check_stored(outcome, accepted, check["votes"])
        outcome.participants = check["participants"]
        outcome.snapshot = check["snapshot"]
        if args.json:
            print(json.dumps({"machine": machine_info(), "result": asdict(outcome)}, indent=2, default=str))
        else:
            print()
            for key, value in asdict(outcome).items():
                print(f"{key:>24}: {value}")
            print(", ".join(f"{k}={v}" for k, v in machine_info().items()))
        return 0 if outcome.lost == outcome.doubled_or_unexpected == outcome.wrong_value == 0 else 1
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    finally:
        if server is not None:
            server.stop()
        if created:
            _psql_database(args.database_url, "drop")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
