"""The 20 most used pages on national-scale data: p50, p95 and max with 50 people browsing at once.

What it does:

1. reads a PostgreSQL database that ``coproduce generate-load-data`` filled (``--database-url``; default the
   ``coproduce_scale`` database on 127.0.0.1), with the production settings (``COPRODUCE_DEMO`` unset, HTTPS
   redirect off because the traffic is plain HTTP on 127.0.0.1);
2. signs in ``--users`` people (default 50) by writing their sessions straight into the database (staff get an
   authenticator, as two-factor sign-in requires): members mostly, some workers and coordinators, spread over
   the ``--partnerships`` biggest generated partnerships (a few big ones hold most people);
3. starts ``coproduce serve`` (granian) on a free loopback port;
4. each person (a thread with its own keep-alive connection) opens one of the 20 pages at random, reads it for
   a random 1 to 3 s (``--think``), and so on; the first ``--warmup`` seconds are not counted, then
   ``--seconds`` are; any answer but 200 is an error;
5. prints a table (or JSON with ``--json``) of each page's requests, p50, p95, max, errors, and whether p95 is
   under the target (100 ms); then removes its sessions and stops the server.

Only 127.0.0.1 is contacted; every loop is bounded by time. The database is not changed except for the
sessions, authenticators and audit rows of the visits.

    uv run python benchmarks/scale_pages.py --seconds 180 --json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_pages import HOST, Server, _interrupt, bench_lines, fetch, free_port, percentile, run_manage, server_env

TARGET_MS = 100.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coproduce_scale"

# Signs people in and finds what each page needs; one BENCH line per person.
SETUP_SNIPPET = """
import json, random
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from coproduce.core.sessions import SessionStore
from coproduce.conversations.models import Conversation
from coproduce.fund.models import Round
from coproduce.learning.models import Event
from coproduce.partnerships.models import Membership, Partnership
from coproduce.support.models import SupportPlan
from coproduce.voice.models import Idea

USERS, PARTNERSHIPS = %(users)d, %(partnerships)d
rng = random.Random(7)
slugs = [f"load-1-{i}" for i in range(1, PARTNERSHIPS + 1)]
found = set(Partnership.objects.filter(slug__in=slugs).values_list("slug", flat=True))
slugs = [s for s in slugs if s in found]
assert slugs, "no generated partnerships (load-1-…): run coproduce generate-load-data --seed 1"
weights = [1 / (i + 1) for i in range(len(slugs))]
for n in range(USERS):
    slug = rng.choices(slugs, weights)[0]
    role = "coordinator" if n %% 10 == 0 else "worker" if n %% 10 == 1 else "member"
    memberships = Membership.objects.filter(partnership__slug=slug, **{f"is_{role}": True}).select_related("user")
    membership = memberships.order_by("id")[rng.randrange(memberships.count())]
    user = membership.user
    if role != "member" and not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, generate_totp_secret())
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "coproduce.accounts.backends.AuthenticationBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.save()
    ideas = Idea.objects.filter(partnership__slug=slug).order_by("-created_at").values_list("pk", flat=True)[:200]
    plan = SupportPlan.objects.filter(member=membership).values_list("pk", flat=True).first()
    print("BENCH " + json.dumps({
        "session": store.session_key, "slug": slug, "role": role, "plan": plan,
        "ideas": list(ideas),
        "conversations": list(Conversation.objects.filter(partnership__slug=slug).values_list("pk", flat=True)[:20]),
        "rounds": list(Round.objects.filter(partnership__slug=slug).values_list("pk", flat=True)[:20]),
        "events": list(Event.objects.filter(partnership__slug=slug).order_by("-starts_at")
                       .values_list("pk", flat=True)[:50]),
    }))
"""

END_SNIPPET = """
from coproduce.core.sessions import SessionStore
for key in %(keys)r:
    SessionStore(session_key=key).delete()
"""

# The 20 pages people open most: (name, path with {slug} and the ids a person's pages need).
PAGES = [
    ("home", "/p/{slug}/"),
    ("ideas: newest", "/p/{slug}/ideas/"),
    ("ideas: most supported", "/p/{slug}/ideas/?sort=supported"),
    ("ideas: recently active", "/p/{slug}/ideas/?sort=active"),
    ("ideas: page 5", "/p/{slug}/ideas/?page=5"),
    ("idea with comments", "/p/{slug}/ideas/{idea}/"),
    ("challenges", "/p/{slug}/challenges/"),
    ("you said, we did", "/p/{slug}/you-said-we-did/"),
    ("conversations", "/p/{slug}/conversations/"),
    ("conversation (vote)", "/p/{slug}/conversations/{conversation}/"),
    ("fund rounds", "/p/{slug}/fund/rounds/"),
    ("fund round", "/p/{slug}/fund/rounds/{round}/"),
    ("fund results", "/p/{slug}/fund/rounds/{round}/results/"),
    ("events", "/p/{slug}/learning/"),
    ("event", "/p/{slug}/learning/events/{event}/"),
    ("support home", "/p/{slug}/support/"),
    ("support plan", "/p/{slug}/support/plans/{plan}/"),
    ("plan history", "/p/{slug}/support/plans/{plan}/history/"),
    ("notifications", "/p/{slug}/notifications/"),
    ("people", "/p/{slug}/people/"),
]


def path_for(template: str, person: dict, rng: random.Random) -> str | None:
    values = {"slug": person["slug"], "plan": person["plan"]}
    for key, plural in (("idea", "ideas"), ("conversation", "conversations"), ("round", "rounds"), ("event", "events")):
        values[key] = rng.choice(person[plural]) if person[plural] else None
    needed = [k for k in values if "{" + k + "}" in template]
    if any(values[k] is None for k in needed):
        return None  # e.g. a worker has no plan of her own
    return template.format(**values)


def browse(port: int, people: list[dict], warmup: float, seconds: float, think: tuple[float, float]) -> dict:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    lock = threading.Lock()
    start = time.perf_counter()
    measure_from, stop_at = start + warmup, start + warmup + seconds

    def person(index: int, who: dict) -> None:
        rng = random.Random(index)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Cookie": f"sessionid={who['session']}"}
        time.sleep(rng.uniform(0, think[1]))  # people arrive over a few seconds, not all at once
        while time.perf_counter() < stop_at:
            name, template = rng.choice(PAGES)
            path = path_for(template, who, rng)
            if path is None:
                continue
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                problem = "" if response.status == 200 else f"HTTP {response.status} {path}"
            except (OSError, http.client.HTTPException) as error:
                problem = f"{type(error).__name__}: {error} {path}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            elapsed = time.perf_counter() - t0
            if t0 >= measure_from and time.perf_counter() <= stop_at:
                with lock:
                    latencies[name].append(elapsed)
                    if problem:
                        errors[name] += 1
                        if len(samples) < 10:
                            samples.append(problem)
            time.sleep(rng.uniform(*think))
        conn.close()

    threads = [threading.Thread(target=person, args=(i, p), daemon=True) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=warmup + seconds + 60)
    rows = []
    for name, _ in PAGES:
        values = sorted(latencies.get(name, []))
        rows.append(
            {
                "page": name,
                "requests": len(values),
                "p50_ms": round(percentile(values, 50) * 1000, 1),
                "p95_ms": round(percentile(values, 95) * 1000, 1),
                "max_ms": round(values[-1] * 1000, 1) if values else None,
                "errors": errors.get(name, 0),
            }
        )
    every = sorted(v for values in latencies.values() for v in values)
    overall = {
        "requests": len(every),
        "p50_ms": round(percentile(every, 50) * 1000, 1),
        "p95_ms": round(percentile(every, 95) * 1000, 1),
        "max_ms": round(every[-1] * 1000, 1) if every else None,
        "errors": sum(errors.values()),
        "rps": round(len(every) / seconds, 1),
    }
    return {"pages": rows, "overall": overall, "error_samples": samples}


def table(result: dict) -> str:
    lines = [f"{'page':<24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}  p95 < 100 ms"]
    for row in [*result["pages"], {"page": "all pages", **result["overall"]}]:
        ok = "yes" if row["requests"] and row["p95_ms"] < TARGET_MS and not row["errors"] else "NO"
        lines.append(
            f"{row['page']:<24} {row['requests']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['max_ms']!s:>8}"
            f" {row['errors']:>6}  {ok}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("COPRODUCE_SCALE_DB", DEFAULT_URL))
    parser.add_argument("--users", type=int, default=50, help="people browsing at once (default 50)")
    parser.add_argument("--partnerships", type=int, default=10, help="the biggest generated ones they belong to")
    parser.add_argument("--seconds", type=float, default=180, help="measured time (default 180)")
    parser.add_argument("--warmup", type=float, default=20, help="seconds not counted first (default 20)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), help="pause range in s (1 3)")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    def say(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="coproduce-scale-"))
    env = server_env(workdir, database_url=args.database_url, site_url=f"http://{HOST}")
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    server: Server | None = None
    people: list[dict] = []
    try:
        run_manage(env, "collectstatic", "--no-input", "-v", "0")
        say(f"Signing in {args.users} people …")
        snippet = SETUP_SNIPPET % {"users": args.users, "partnerships": args.partnerships}
        people = [json.loads(line) for line in bench_lines(run_manage(env, "shell", "-c", snippet))]
        port = free_port()
        server = Server(env, port, args.workers, workdir / "server.log")
        server.wait_ready("/privacy/", people[0]["session"], timeout=120)
        status, _ = fetch(port, f"/p/{people[0]['slug']}/", people[0]["session"], timeout=60)
        if status != 200:
            raise SystemExit(f"the home page answered {status}; not measuring:\n{server.log_tail()}")
        load_before = os.getloadavg()[0]
        say(f"{len(people)} people browsing for {args.warmup:g} s + {args.seconds:g} s (think {args.think}) …")
        result = browse(port, people, args.warmup, args.seconds, tuple(args.think))
        result["settings"] = {
            "users": len(people),
            "partnerships": sorted({p["slug"] for p in people}),
            "roles": {r: sum(p["role"] == r for p in people) for r in ("member", "worker", "coordinator")},
            "seconds": args.seconds,
            "warmup": args.warmup,
            "think": args.think,
            "workers": args.workers,
            "load_average_before": round(load_before, 2),
            "load_average_after": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
        }
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            print(table(result))
            print(f"settings: {result['settings']}")
            if result["error_samples"]:
                print("errors, for example:", *result["error_samples"], sep="\n  ")
        failed = any(r["p95_ms"] >= TARGET_MS for r in result["pages"] if r["requests"])
        return 1 if failed or result["overall"]["errors"] else 0
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    finally:
        if server is not None:
            server.stop()
        if people:
            run_manage(env, "shell", "-c", END_SNIPPET % {"keys": [p["session"] for p in people]})


if __name__ == "__main__":
    sys.exit(main())
