"""/healthz, /readyz and /metrics of a real ``coproduce serve`` (granian, several worker processes), over loopback.

What it does:

1. prepares a SQLite database with the production settings (``COPRODUCE_DEMO`` unset, HTTPS redirect off because
   the traffic is plain HTTP on 127.0.0.1), ``migrate`` (skipped with ``--data-dir`` of a migrated one);
2. starts ``coproduce serve --workers N`` on a free loopback port with ``COPRODUCE_METRICS_TOKEN`` set and
   ``COPRODUCE_LOG_FORMAT=json``;
3. sends ``--requests`` requests one after another to ``/healthz``, ``/readyz`` and ``/privacy/`` (new connection
   each, so granian spreads them over its processes) and times each with ``time.perf_counter()``;
4. scrapes ``/metrics`` and checks that ``coproduce_http_requests_total`` for the privacy page equals the
   number sent, whichever process answered each (prometheus_client's multiprocess mode), that ``/metrics``
   without the token is refused, and that each response echoed the ``X-Request-ID`` sent;
5. prints a table (or JSON with ``--json``) and stops the server, also on an error.

Only 127.0.0.1 is contacted; every loop is bounded by its request count.

    uv run python benchmarks/operations_endpoints.py --requests 300 --workers 2
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body, time.perf_counter() - started
    finally:
        connection.close()


def wait_until_up(port: int, server: subprocess.Popen[bytes], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode})")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz in time")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def sample(text: str, name: str, labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and labels in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", help="a folder whose coproduce.sqlite3 is migrated already")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="coproduce-ops-bench-"))
    token = secrets.token_urlsafe(32)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COPRODUCE_DEMO", "DJANGO_SETTINGS_MODULE", "PROMETHEUS_MULTIPROC_DIR")
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{folder / 'coproduce.sqlite3'}",
        COPRODUCE_DATA_DIR=str(folder),
        COPRODUCE_SSL_REDIRECT="0",
        COPRODUCE_METRICS_TOKEN=token,
        COPRODUCE_LOG_FORMAT="json",
    )
    coproduce = [sys.executable, "-m", "coproduce.cli"]
    if not args.data_dir:
        subprocess.run([*coproduce, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*coproduce, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    port = free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*coproduce, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(port, server)
        results: dict[str, dict[str, float]] = {}
        for path in ("/healthz", "/readyz", "/privacy/"):
            get(port, path)  # warm-up
            times = []
            for n in range(args.requests):
                request_id = f"bench-{path.strip('/')}-{n:06d}-{secrets.token_hex(4)}"
                status, headers, _body, elapsed = get(port, path, {"X-Request-ID": request_id})
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
                if path == "/privacy/" and headers.get("x-request-id") != request_id:
                    raise SystemExit("the request id was not echoed")
                times.append(elapsed * 1000)
            results[path] = {
                "requests": args.requests,
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 0.95), 2),
            }
        refused = get(port, "/metrics")[0]
        status, _headers, body, elapsed = get(port, "/metrics", {"Authorization": f"Bearer {token}"})
        text = body.decode()
        counted = sample(text, "coproduce_http_requests_total", 'route="core:privacy",status="200"')
        checks = {
            "metrics_without_token_status": refused,
            "metrics_status": status,
            "metrics_scrape_ms": round(elapsed * 1000, 2),
            "privacy_requests_sent": args.requests + 1,
            "privacy_requests_counted": counted,
            "processes": args.workers,
        }
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    report = {"endpoints": results, "checks": checks, "load_average": os.getloadavg()}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{'address':<12} {'requests':>8} {'median ms':>10} {'p95 ms':>8}")
        for path, row in results.items():
            print(f"{path:<12} {row['requests']:>8} {row['median_ms']:>10} {row['p95_ms']:>8}")
        for key, value in checks.items():
            print(f"{key}: {value}")
        print(f"load average during the run: {report['load_average']}")
    ok = refused == 403 and status == 200 and counted == args.requests + 1
    if not re.search(r"coproduce_task_queue_length \d", text):
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
