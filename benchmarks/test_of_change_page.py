"""Time the page of one test of change with 5 measures × 200 observations each (five run charts, each read by
every rule and drawn as SVG with its data table), with the production settings on SQLite.

What it does, in a temporary folder that it removes afterwards:

1. production settings (``COPRODUCE_DEMO`` unset, ``DATABASE_URL=sqlite:///…`` with the same WAL and
   ``IMMEDIATE`` options as the default database, HTTPS redirect off), ``migrate`` and ``collectstatic``;
2. a partnership, a member (Aisha) and a worker; one test of change with 5 measures of 200 daily observations
   each (noise around a level, a step change after observation 120 in three of them);
3. Django's test client signed in as the member, in this process: no HTTP server, so the figures are the
   time of Django's whole request cycle (middleware, session, access check, queries, template) for one
   request at a time, not latency under concurrent load;
4. ``--warmup`` requests, then ``--requests`` timed with ``time.perf_counter()``; each must answer 200 with
   five charts. Prints p50/p95/p99/max wall-clock time, the CPU time of this process per request (which
   other work on a shared machine disturbs less), the SQL queries per request, and the page size.

    uv run python benchmarks/test_of_change_page.py
    uv run python benchmarks/test_of_change_page.py --requests 500 --measures 5 --points 200
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--measures", type=int, default=5)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="also profile this many requests (cProfile)")
    parser.add_argument("--sort", default="cumulative", help="order of the profile: cumulative or tottime")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coproduce-bench-") as folder:
        workdir = Path(folder)
        os.environ.pop("COPRODUCE_DEMO", None)
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "coproduce.settings",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "testserver",
                "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
                "COPRODUCE_DATA_DIR": str(workdir / "data"),
                "COPRODUCE_SSL_REDIRECT": "0",
                "LOG_LEVEL": "WARNING",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        run(args)


def run(args: argparse.Namespace) -> None:
    import random

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.improvement import services
    from coproduce.improvement.models import Observation
    from coproduce.partnerships.models import Membership, Organisation, Partnership

    partnership = Partnership.objects.create(slug="bench", name="Benchmark Partnership")
    organisation = Organisation.objects.create(partnership=partnership, name="Charity", kind="third_sector")
    member_user = User.objects.create_user(email="aisha@bench.example", password=secrets.token_urlsafe(16))
    member_user.display_name = "Aisha"
    member_user.save()
    worker_user = User.objects.create_user(email="jamie@bench.example", password=secrets.token_urlsafe(16))
    member = Membership.objects.create(partnership=partnership, user=member_user, is_member=True)
    worker = Membership.objects.create(
        partnership=partnership, user=worker_user, is_member=False, is_worker=True, organisation=organisation
    )
    today = timezone.localdate()
    days = [today - timedelta(days=args.points - i) for i in range(args.points)]
    test = services.pdsa_create(
        actor=worker,
        fields=services.TestFields(
            title="Evening drop-in",
            aim_what="More working parents get support.",
            aim_how_much="From 6 to 12 a week",
            aim_by_when=today + timedelta(days=30),
            change_kind="try",
            change="Open two evenings a week.",
            predictions="Attendance rises.",
            starts_on=days[0],
            ends_on=today + timedelta(days=30),
        ),
        people=[member],
    )
    rng = random.Random(7)
    for m in range(args.measures):
        measure = services.measure_create(
            actor=worker,
            test=test,
            name=f"Measure {m + 1}",
            kind=["outcome", "process", "balancing"][m % 3],
            unit="parents",
            better="higher" if m % 2 == 0 else "lower",
            source="Sign-in book",
            baseline_points=100,
        )
        step = 6 if m < 3 else 0
        Observation.objects.bulk_create(
            [
                Observation(
                    measure=measure,
                    observed_on=day,
                    value=Decimal(str(round(20 + (step if i >= 120 else 0) + rng.gauss(0, 3), 1))),
                )
                for i, day in enumerate(days)
            ]
        )

    client = Client()
    client.force_login(member_user, backend="coproduce.accounts.backends.AuthenticationBackend")
    url = reverse("improvement:test", kwargs={"slug": partnership.slug, "test_id": test.pk})
    first = client.get(url)
    body = first.content.decode()
    if first.status_code != 200 or body.count("<svg") < args.measures:
        print(f"unexpected answer: {first.status_code}", file=sys.stderr)
        sys.exit(1)
    # Count with an execute wrapper: the request-started signal empties Django's own query log mid-request.
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    for _ in range(args.warmup):
        client.get(url)
    timings = []
    cpu = []
    for _ in range(args.requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            print(f"answer {response.status_code}", file=sys.stderr)
            sys.exit(1)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    print(
        f"test-of-change page: {args.measures} measures × {args.points} observations, "
        f"{args.requests} requests after {args.warmup} warm-up, one at a time, in process"
    )
    print("| p50 ms | p95 ms | p99 ms | max ms | mean ms | CPU p50 ms | CPU p95 ms | queries | page KB | p95 < 50 ms |")
    print("|-------:|-------:|-------:|-------:|--------:|-----------:|-----------:|--------:|--------:|-------------|")
    p95 = _percentile(timings, 0.95)
    print(
        f"| {_percentile(timings, 0.5):.1f} | {p95:.1f} | {_percentile(timings, 0.99):.1f} | {max(timings):.1f} "
        f"| {statistics.mean(timings):.1f} | {_percentile(cpu, 0.5):.1f} | {_percentile(cpu, 0.95):.1f} "
        f"| {len(queries)} | {len(first.content) / 1024:.0f} "
        f"| {'yes' if p95 < 50 else 'no'} |"
    )


if __name__ == "__main__":
    main()
