"""Time the list of a year of events with their counts, as the events page reads it: ``events_visible_to`` for
a member over one year, 500 events, each with its places taken, its waiting list, the places left and the
member's own status, and the host organisation's name.

What it does, in a temporary data folder (SQLite, removed afterwards) or in the PostgreSQL database named by
``--database-url`` (a throwaway database: the script migrates it and leaves its rows there):

1. migrates, then makes a partnership, three organisations, ``--people`` members and ``--events`` events spread
   over the next year (capacity 12–30, one in five without a limit; audiences mixed) with registrations:
   each event has from none to 40 people, those past its capacity on its waiting list, and one in three with
   answers about what would help them come (fixed random seed);
2. reads the list ``--repeat`` times (after 5 warm-up reads), each time turning every event into what a page
   row shows, and times each read (``time.perf_counter``), counting the queries of one read;
3. prints the median, the 95th percentile and the worst, and whether the 95th percentile is under 100 ms.

    uv run python benchmarks/events_year.py
    uv run python benchmarks/events_year.py --database-url postgres://postgres@127.0.0.1:5432/coproduce_bench_events
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="coproduce-events-bench-"))
    os.environ["COPRODUCE_DEMO"] = "1"
    os.environ["COPRODUCE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    try:
        return run(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coproduce.learning.models import Event, Registration, RegistrationNeeds
    from coproduce.learning.selectors import events_visible_to
    from coproduce.partnerships.models import Membership, Organisation, Partnership

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    user_model = django.apps.apps.get_model(settings.AUTH_USER_MODEL)
    stamp = int(time.time())
    partnership = Partnership.objects.create(slug=f"bench-events-{stamp}", name="Benchmark partnership")
    organisations = [
        Organisation.objects.create(partnership=partnership, name=f"Organisation {n}", kind="public") for n in range(3)
    ]
    users = user_model.objects.bulk_create(
        [user_model(email=f"bench{stamp}-{n}@example.org", display_name=f"Person {n}") for n in range(args.people)]
    )
    memberships = Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=u, is_member=True) for u in users]
    )
    viewer = memberships[0]
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=1)
    events = Event.objects.bulk_create(
        [
            Event(
                partnership=partnership,
                kind=rng.choice(["learning", "codesign", "peer", "board", "dropin"]),
                title=f"Session {n + 1}",
                purpose="Learning together.",
                audience=rng.choice(["everyone", "everyone", "members", "staff"]),
                place="Riverside Family Hub",
                starts_at=start + timedelta(hours=int(n * 365 * 24 / args.events)),
                ends_at=start + timedelta(hours=int(n * 365 * 24 / args.events) + 2),
                capacity=None if rng.random() < 0.2 else rng.randint(12, 30),
                host=rng.choice(organisations),
            )
            for n in range(args.events)
        ]
    )
    registrations = []
    for event in events:
        people = rng.sample(users, rng.randint(0, 40))
        for position, user in enumerate(people, start=1):
            full = event.capacity is not None and position > event.capacity
            registrations.append(
                Registration(
                    event=event,
                    user=user,
                    status="waiting" if full else "registered",
                    position=position,
                    is_member=True,
                )
            )
    registrations = Registration.objects.bulk_create(registrations, batch_size=5000)
    RegistrationNeeds.objects.bulk_create(
        [
            RegistrationNeeds(registration=r, childcare_children=1, childcare_ages=[2])
            for r in registrations
            if rng.random() < 1 / 3
        ],
        batch_size=5000,
    )
    since, until = start - timedelta(days=1), start + timedelta(days=366)

    def read() -> int:
        listed: list[Any] = list(events_visible_to(viewer, since=since, until=until))
        rows = [
            (
                e.title,
                e.starts_at,
                e.host.name if e.host else "",
                e.registered_count,
                e.waiting_count,
                e.places_left,
                e.my_status,
            )
            for e in listed
        ]
        return len(rows)

    for _ in range(5):
        read()
    with CaptureQueriesContext(connection) as queries:
        shown = read()
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        read()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    result = {
        "database": connection.vendor,
        "events": args.events,
        "events_shown": shown,
        "registrations": len(registrations),
        "queries": len(queries),
        "repeat": args.repeat,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "worst_ms": round(timings[-1], 1),
        "under_100_ms": p95 < 100,
        "load": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}: {args.events} events ({shown} shown to a member), "
            f"{len(registrations)} registrations; load {result['load']}"
        )
        print("| queries | median ms | p95 ms | worst ms | p95 under 100 ms |")
        print("|--------:|----------:|-------:|---------:|------------------|")
        print(
            f"| {result['queries']} | {result['median_ms']} | {result['p95_ms']} | {result['worst_ms']} "
            f"| {'yes' if result['under_100_ms'] else 'no'} |"
        )
    return 0 if result["under_100_ms"] else 1


if __name__ == "__main__":
    sys.exit(main())
