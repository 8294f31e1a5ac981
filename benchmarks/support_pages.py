"""Benchmark the support pages on PostgreSQL: a worker's caseload (60 members) and a plan page.

What it does:

1. creates a fresh PostgreSQL database (``--database``, dropped first if it exists, left behind for a look
   afterwards unless ``--drop``), migrates it, and fills it with bulk inserts: one partnership, five
   organisations, ``--members`` members each with a plan (goals, actions, a keyworker), ``--checkins``
   check-ins rating every area of the outcome wheel, ``--referrals`` referrals spread over every status;
   the keyworkers have 60 members each;
2. signs in one keyworker and requests, through Django's own request handling in this process (the test
   client: routing, middleware, access checks, selectors, templates and the database, without an HTTP
   server in front), the caseload page and one of their members' plan pages, ``--warmup`` times unmeasured
   and ``--requests`` times measured each;
3. prints, per page, the number of queries (the same on every request), p50, p95 and max latency in ms.

    uv run python benchmarks/support_pages.py
    uv run python benchmarks/support_pages.py --members 2000 --checkins 20000 --referrals 5000 --requests 300

Only the local PostgreSQL server (``--server``, default postgres://postgres@127.0.0.1:5432) is contacted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="coproduce_support_bench")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--checkins", type=int, default=20000)
    parser.add_argument("--referrals", type=int, default=5000)
    parser.add_argument("--caseload", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def recreate_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(server: str, name: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ["COPRODUCE_DEMO"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("COPRODUCE_DATA_DIR", tempfile.mkdtemp(prefix="coproduce-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "coproduce.settings"
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def fill(args: argparse.Namespace) -> dict[str, int]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from coproduce.partnerships.models import Membership, Organisation, Partnership
    from coproduce.support.defaults import ensure_defaults
    from coproduce.support.models import (
        Action,
        CheckIn,
        Goal,
        OutcomeArea,
        Rating,
        Referral,
        ReferralUpdate,
        Service,
        SupportPlan,
        TeamMember,
    )

    rng = random.Random(7)
    user_model = get_user_model()
    password = make_password("benchmark-password-not-used")
    partnership = Partnership.objects.create(slug="bench", name="Benchmark Partnership")
    ensure_defaults(partnership)
    orgs = [
        Organisation.objects.create(partnership=partnership, name=f"Organisation {i}", kind="public") for i in range(5)
    ]
    services = [
        Service.objects.create(partnership=partnership, organisation=org, name=f"Service {i}", description="A service.")
        for i, org in enumerate(orgs * 2)
    ]
    workers_needed = -(-args.members // args.caseload)
    users = user_model.objects.bulk_create(
        [
            user_model(email=f"m{i}@bench.example", display_name=f"Member {i}", password=password)
            for i in range(args.members)
        ]
        + [
            user_model(email=f"w{i}@bench.example", display_name=f"Worker {i}", password=password)
            for i in range(workers_needed)
        ]
    )
    members = Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=u, is_member=True) for u in users[: args.members]]
    )
    workers = Membership.objects.bulk_create(
        [
            Membership(
                partnership=partnership, user=u, is_member=False, is_worker=True, organisation=orgs[i % len(orgs)]
            )
            for i, u in enumerate(users[args.members :])
        ]
    )
    TOTP.activate(workers[0].user, generate_totp_secret())
    start = timezone.now() - datetime.timedelta(days=400)
    plans = SupportPlan.objects.bulk_create(
        [
            SupportPlan(
                partnership=partnership,
                member=m,
                status="active",
                what_matters="Family",
                wants="Work",
                created_at=start,
                accepted_at=start,
            )
            for m in members
        ]
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(plan=p, membership=workers[i // args.caseload], role="keyworker", agreed_at=start)
            for i, p in enumerate(plans)
        ]
    )
    today = timezone.localdate()
    goals = Goal.objects.bulk_create([Goal(plan=p, text=f"Goal {j}") for p in plans for j in range(2)])
    Action.objects.bulk_create(
        [
            Action(plan=g.plan, goal=g, text="A step", due=today + datetime.timedelta(days=rng.randint(-20, 40)))
            for g in goals
            for _ in range(2)
        ]
    )
    areas = list(OutcomeArea.objects.filter(partnership=partnership))
    per_plan = max(1, args.checkins // len(plans))
    checkins = CheckIn.objects.bulk_create(
        [
            CheckIn(
                plan=p,
                date=(start + datetime.timedelta(days=30 * k + 1)).date(),
                notes="Talked it through.",
                agreed_at=start,
            )
            for p in plans
            for k in range(per_plan)
        ]
    )
    Rating.objects.bulk_create(
        [
            Rating(
                checkin=c,
                area=a,
                member_rating=rng.randint(1, 10),
                worker_rating=rng.randint(1, 10),
                agreed=rng.randint(1, 10),
            )
            for c in checkins
            for a in areas
        ],
        batch_size=5000,
    )
    statuses = [s.value for s in Referral.Status]
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                partnership=partnership,
                plan=plans[i % len(plans)],
                service=services[i % len(services)],
                organisation_id=services[i % len(services)].organisation_id,
                status=statuses[i % len(statuses)],
                decline_reason="Full" if statuses[i % len(statuses)] == "declined" else "",
                member_agreed_at=start,
                shared_parts=["about"],
            )
            for i in range(args.referrals)
        ]
    )
    ReferralUpdate.objects.bulk_create([ReferralUpdate(referral=r, status="sent") for r in referrals])
    return {
        "worker": workers[0].pk,
        "plan": plans[0].pk,
        "checkins": len(checkins),
        "ratings": len(checkins) * len(areas),
    }


def measure(client: object, url: str, warmup: int, requests: int) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200, (url, response.status_code)
    connection.queries_log.clear()  # a full log (it keeps at most 9 000) would hide the new entries
    with CaptureQueriesContext(connection) as queries:
        client.get(url)  # type: ignore[attr-defined]
    query_count = len(queries.captured_queries)  # read now: the next request empties the log
    times, cpu = [], []
    for _ in range(requests):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "queries": query_count,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        # CPU time of this process alone (Django and the templates, not the database server): on a shared
        # machine it says what the page costs, where the wall-clock figures also count waiting for a core.
        "cpu_p50": statistics.median(cpu),
    }


def result_line(label: str, result: dict[str, float], *, width: int) -> str:
    """One page's row: queries, p50, p95 and max in ms, and the CPU time's p50."""
    return (
        f"{label:<{width}} {result['queries']:>7} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['max']:>8.1f}"
        f" {result['cpu_p50']:>10.1f}"
    )


def drop_database(server: str, name: str) -> None:
    """Drop the benchmark's database once its connections are closed."""
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    args = parse()
    recreate_database(args.server, args.database)
    setup_django(args.server, args.database)
    began = time.perf_counter()
    made = fill(args)
    print(
        f"filled in {time.perf_counter() - began:.1f} s: {args.members} members, {made['checkins']} check-ins "
        f"({made['ratings']} ratings), {args.referrals} referrals"
    )
    from django.test import Client
    from django.urls import reverse

    from coproduce.partnerships.models import Membership

    worker = Membership.objects.select_related("user").get(pk=made["worker"])
    client = Client()
    client.force_login(worker.user, backend="coproduce.accounts.backends.AuthenticationBackend")
    pages = {
        "caseload (60 members)": reverse("support:home", kwargs={"slug": "bench"}),
        "plan page": reverse("support:plan", kwargs={"slug": "bench", "plan_id": made["plan"]}),
    }
    print(f"{'page':<24} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50 ms':>10}")
    for label, url in pages.items():
        result = measure(client, url, args.warmup, args.requests)
        print(result_line(label, result, width=24))
    if args.drop:
        drop_database(args.server, args.database)


if __name__ == "__main__":
    main()
