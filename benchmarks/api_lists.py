"""Load-test the API's list endpoints over loopback with 20 concurrent clients, production settings on SQLite.

What it does, in a temporary folder that it removes afterwards:

1. prepares a SQLite database with the production settings (as ``http_pages.py``): ``migrate``,
   ``collectstatic``, ``load_demo``; adds ``--ideas`` ideas (default 200) from demo members through voice's
   service, and makes one read token for the demo member Aisha per client;
2. starts ``coproduce serve`` (granian, WSGI) on a free loopback port, with the per-token read limit raised so
   that the limit itself (still counted in the database on every request) does not refuse the load;
3. finds the list endpoints in the live OpenAPI description (GET, a page of items, no path parameter other than
   the partnership's slug) and, for each, a warm-up then ``--seconds`` in which ``--clients`` threads each keep
   one HTTP/1.1 connection with its own token and send requests back to back; any answer but 200 is an error;
4. prints min, p50, p95, max in ms per endpoint and whether p95 is under the target (50 ms).

Only 127.0.0.1 is contacted; every loop is bounded by time and by a request count.

    uv run python benchmarks/api_lists.py                  # 20 clients, 10 s per endpoint
    uv run python benchmarks/api_lists.py --seconds 20 --json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import HOST, Server, _interrupt, bench_lines, free_port, percentile, run_manage

SETUP_SNIPPET = """
import json
import random
from coproduce.api.services.tokens import token_create
from coproduce.partnerships.models import Membership
from coproduce.voice import services as voice
members = list(Membership.objects.filter(partnership__slug="riverside", is_member=True).select_related("partnership"))
for number in range({ideas}):
    author = members[number % len(members)]
    voice.idea_create(actor=author, title=f"Benchmark idea {{number}}", body="For the benchmark.")
aisha = next(m for m in members if m.user.email == "aisha@riverside.example")
tokens = [token_create(actor=aisha, name=f"bench {{n}}", scope="read", days=1).secret for n in range({clients})]
print("BENCH " + json.dumps({{"tokens": tokens}}))
"""


def list_paths(port: int, token: str) -> list[str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/api/v1/openapi.json")
    schema = json.loads(conn.getresponse().read())
    conn.close()
    paths = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if not get:
            continue
        params = {p["name"] for p in get.get("parameters", []) if p.get("in") == "path"}
        ref = json.dumps(get.get("responses", {}).get("200", {}))
        if params <= {"slug"} and "Page" in ref:
            paths.append(path.replace("{slug}", "riverside"))
    return paths


def load(
    port: int, path: str, tokens: list[str], seconds: float, max_requests: int, pause_ms: float = 0.0
) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    jitter = random.Random(7)  # the same pauses each run

    def client(token: str) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        mine: list[float] = []
        try:
            while time.monotonic() < stop_at and len(mine) < max_requests:
                started = time.perf_counter()
                conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    with lock:
                        errors[0] += 1
                if pause_ms:  # a client that reads what it got before asking again: half to one and a half times
                    time.sleep(pause_ms / 1000 * (0.5 + jitter.random()))
        except OSError:
            with lock:
                errors[0] += 1
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    if not latencies:
        return {"requests": 0, "errors": errors[0]}
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "min_ms": latencies[0],
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": latencies[-1],
        "per_second": len(latencies) / seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--target-ms", type=float, default=50.0)
    parser.add_argument("--json", action="store_true")
    # 0: each client asks again as soon as it has an answer (closed loop: on 2 cores shared with the 20 clients
    # themselves, this measures throughput more than latency); > 0: each client pauses about this long between
    # requests, as an application reading its pages would.
    parser.add_argument("--pause-ms", type=float, default=0.0)
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600 or not 0 <= args.ideas <= 100_000:
        parser.error("use 1-200 clients, 0-600 seconds and 0-100000 ideas")

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="coproduce-bench-api-"))
    env = {k: v for k, v in os.environ.items() if k not in {"COPRODUCE_DEMO", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "COPRODUCE_SSL_REDIRECT": "0",
            "COPRODUCE_DATA_DIR": str(workdir),
            "COPRODUCE_STATIC_ROOT": str(workdir / "static"),
            "COPRODUCE_SITE_URL": f"http://{HOST}",
            "LOG_LEVEL": "WARNING",
            "COPRODUCE_API_READS_PER_MINUTE": "1000000",
        }
    )
    server: Server | None = None
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        say(f"Preparing a production-settings SQLite database in {workdir} …")
        run_manage(env, "migrate", "--no-input", "-v", "0")
        run_manage(env, "collectstatic", "--no-input", "-v", "0")
        run_manage(env, "load_demo")
        snippet = SETUP_SNIPPET.format(ideas=args.ideas, clients=args.clients)
        tokens = json.loads(bench_lines(run_manage(env, "shell", "-c", snippet))[0])["tokens"]
        port = free_port()
        server = Server(env, port, args.workers, workdir / "server.log")
        server.wait_ready("/api/v1/openapi.json", "")
        results = {}
        for path in list_paths(port, tokens[0]):
            load(port, path, tokens, args.warmup, args.max_requests, args.pause_ms)
            results[path] = load(port, path, tokens, args.seconds, args.max_requests, args.pause_ms)
        if args.json:
            print(json.dumps({"clients": args.clients, "seconds": args.seconds, "results": results}, indent=2))
        else:
            print(f"{args.clients} clients, pause {args.pause_ms:g} ms between a client's requests")
            print(f"{'endpoint':<50} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  target")
            for path, r in results.items():
                ok = "yes" if r.get("p95_ms", 1e9) < args.target_ms and not r["errors"] else "NO"
                print(
                    f"{path:<50} {r['requests']:>8} {r['errors']:>6} {r.get('p50_ms', 0):>7.1f}"
                    f" {r.get('p95_ms', 0):>7.1f} {r.get('max_ms', 0):>7.1f}  {ok}"
                )
        return 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
