"""Benchmark the money-for-barriers pages on PostgreSQL with a year of requests (5 000 by default).

What it does:

1. creates a fresh PostgreSQL database (``--database``, dropped first if it exists, and dropped again at the
   end with ``--drop``), migrates it, and fills it with bulk inserts: one partnership, ``--members`` members
   with a plan (a goal, an action, a keyworker), money in the fund, this year's flexible pot with its five
   categories, and ``--requests-in-year`` requests spread over the year and the plans, in every status (about
   6 % of them waiting for a coordinator, the rest paid, approved, refused, cancelled or waiting for the
   member), with the first plan given ``--own`` of them;
2. through Django's own request handling in this process (the test client: routing, middleware, access
   checks, selectors, templates and the database, no HTTP server in front), requests as a coordinator the
   queue of requests waiting and "What the money achieved", and as the first plan's keyworker its "Money for
   barriers" page, ``--warmup`` times unmeasured and ``--requests`` times measured each;
3. prints, per page, the number of queries, p50, p95 and max latency in ms, and the CPU time of this process.

    uv run python benchmarks/barrier_pages.py
    uv run python benchmarks/barrier_pages.py --requests-in-year 5000 --requests 300 --drop

Only the local PostgreSQL server (``--server``, default postgres://postgres@127.0.0.1:5432) is contacted.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support_pages import drop_database, measure, recreate_database, result_line, setup_django  # noqa: E402

TARGET_P95_MS = 100


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="coproduce_barrier_bench")
    parser.add_argument("--members", type=int, default=600)
    parser.add_argument("--requests-in-year", type=int, default=5000)
    parser.add_argument("--own", type=int, default=40, help="requests in the first plan (the plan page measured)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def fill(args: argparse.Namespace) -> dict[str, int]:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from coproduce.fund.models import BarrierCategory, Contribution, FlexiblePot
    from coproduce.partnerships.models import Membership, Organisation, Partnership
    from coproduce.support.defaults import ensure_defaults
    from coproduce.support.models import Action, BarrierRequest, Goal, SupportPlan, TeamMember

    rng = random.Random(26)
    user_model = get_user_model()
    password = make_password("benchmark-password-not-used")
    partnership = Partnership.objects.create(slug="bench", name="Benchmark Partnership")
    ensure_defaults(partnership)
    org = Organisation.objects.create(partnership=partnership, name="Organisation", kind="public")
    workers_needed = max(1, args.members // 60)
    users = user_model.objects.bulk_create(
        [
            user_model(email=f"m{i}@bench.example", display_name=f"Member {i}", password=password)
            for i in range(args.members)
        ]
        + [
            user_model(email=f"w{i}@bench.example", display_name=f"Worker {i}", password=password)
            for i in range(workers_needed)
        ]
        + [user_model(email="c@bench.example", display_name="Coordinator", password=password)]
    )
    members = Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=u, is_member=True) for u in users[: args.members]]
    )
    workers = Membership.objects.bulk_create(
        [
            Membership(partnership=partnership, user=u, is_worker=True, organisation=org)
            for u in users[args.members : args.members + workers_needed]
        ]
    )
    coordinator = Membership.objects.create(
        partnership=partnership, user=users[-1], is_coordinator=True, organisation=org
    )
    for person in (workers[0], coordinator):
        TOTP.activate(person.user, generate_totp_secret())
    now = timezone.now()
    year_start = now - datetime.timedelta(days=300)
    plans = SupportPlan.objects.bulk_create(
        [
            SupportPlan(
                partnership=partnership, member=m, status="active", created_at=year_start, accepted_at=year_start
            )
            for m in members
        ]
    )
    TeamMember.objects.bulk_create(
        [
            TeamMember(plan=p, membership=workers[i // 60], role="keyworker", agreed_at=year_start)
            for i, p in enumerate(plans)
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(plan=p, text="A job in school hours", achieved_at=now if i % 3 == 0 else None)
            for i, p in enumerate(plans)
        ]
    )
    actions = Action.objects.bulk_create([Action(plan=g.plan, goal=g, text="Start the course") for g in goals])
    Contribution.objects.create(
        partnership=partnership,
        organisation=org,
        kind="money",
        description="Core grant",
        value_pence=10_000_000_00,
        received_at=year_start,
    )
    today = timezone.localdate()
    pot = FlexiblePot.objects.create(
        partnership=partnership,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=64),
        set_aside_pence=5_000_000_00,
    )
    slugs = ["travel", "childcare", "clothes", "learning", "other"]
    BarrierCategory.objects.bulk_create([BarrierCategory(pot=pot, slug=s, name=s.title()) for s in slugs])
    statuses = ["paid"] * 60 + ["approved"] * 10 + ["refused"] * 10 + ["cancelled"] * 8 + ["asked"] * 6 + ["agreed"] * 6
    rows = []
    for i in range(args.requests_in_year):
        index = 0 if i < args.own else rng.randrange(len(plans))
        status = rng.choice(statuses)
        created = year_start + datetime.timedelta(minutes=rng.randrange(300 * 24 * 60))
        agreed = created + datetime.timedelta(hours=1) if status != "asked" else None
        amount = rng.choice([20_00, 60_00, 84_00, 120_00, 320_00, 600_00])
        level = "keyworker" if amount <= 150_00 else "coordinator" if amount <= 500_00 else "two_coordinators"
        decided = (
            agreed + datetime.timedelta(hours=rng.randint(1, 30))
            if status in ("paid", "approved", "refused") and agreed
            else None
        )
        rows.append(
            BarrierRequest(
                partnership=partnership,
                plan=plans[index],
                action=actions[index],
                goal=goals[index],
                pot_id=pot.pk,
                category=rng.choice(slugs),
                what_for="Bus pass for the first month",
                amount_pence=amount,
                supplier="Riverside Buses",
                method="card" if status == "paid" else "",
                status=status,
                level=level if agreed else "",
                created_at=created,
                agreed_at=agreed,
                decided_at=decided,
                refusal_reason="Paid by the college" if status == "refused" else "",
                paid_on=decided.date() if status == "paid" and decided else None,
                ledger_entry_id=1 if status == "paid" else None,
                reference="R" if status == "paid" else "",
            )
        )
    BarrierRequest.objects.bulk_create(rows, batch_size=2000)
    waiting = BarrierRequest.objects.filter(status="agreed", level__in=["coordinator", "two_coordinators"]).count()
    return {"worker": workers[0].pk, "coordinator": coordinator.pk, "plan": plans[0].pk, "waiting": waiting}


def main() -> None:
    args = parse()
    recreate_database(args.server, args.database)
    setup_django(args.server, args.database)
    began = time.perf_counter()
    made = fill(args)
    print(
        f"filled in {time.perf_counter() - began:.1f} s: {args.requests_in_year} requests in the year over "
        f"{args.members} plans ({args.own} in the plan measured, {made['waiting']} waiting for a coordinator)"
    )
    from django.test import Client
    from django.urls import reverse

    from coproduce.partnerships.models import Membership

    def client_for(pk: int) -> Client:
        client = Client()
        person = Membership.objects.select_related("user").get(pk=pk)
        client.force_login(person.user, backend="coproduce.accounts.backends.AuthenticationBackend")
        return client

    pages = [
        ("coordinator queue", made["coordinator"], reverse("support:barrier-queue", kwargs={"slug": "bench"})),
        ("what it achieved", made["coordinator"], reverse("support:barrier-outcomes", kwargs={"slug": "bench"})),
        (
            "plan's money page",
            made["worker"],
            reverse("support:plan-money", kwargs={"slug": "bench", "plan_id": made["plan"]}),
        ),
    ]
    print(f"{'page':<20} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU p50 ms':>10}")
    worst = 0.0
    for label, person, url in pages:
        result = measure(client_for(person), url, args.warmup, args.requests)
        worst = max(worst, result["p95"])
        print(result_line(label, result, width=20))
    print(f"worst p95 {worst:.1f} ms (target < {TARGET_P95_MS} ms): {'met' if worst < TARGET_P95_MS else 'NOT met'}")
    if args.drop:
        drop_database(args.server, args.database)


if __name__ == "__main__":
    main()
