"""Time a decision with 5 000 participants: what its results page reads while the count is pending, and the
count itself, with the production settings on SQLite.

What it does, in a temporary folder that it removes afterwards:

1. production settings (``COPRODUCE_DEMO`` unset, ``DATABASE_URL=sqlite:///…``, HTTPS redirect off),
   ``migrate`` and ``collectstatic`` (the page names its static files through the manifest);
2. a partnership with ``--people`` members and staff (one in five staff), and one decision (``--method``:
   ``stv`` for 2 seats among 8 candidates, by default, or ``yes_no`` with a double majority) raised through
   the service; every person's answer is written in bulk (random rankings or positions, seeded), as
   ``answer_give`` would store it, so that setting up stays quick;
3. closes it through ``decision_close`` with the count's task held back (``transaction.on_commit`` callbacks
   are not run), so the decision is "being counted";
4. times ``--requests`` reads of what the results page shows while it is pending — with the pages in place
   (``decisions:results``), the page itself through Django's test client signed in as a member; without
   them, the selectors the page calls (the decision, its result, turnout) — p50/p95/max;
5. times the count (``services.decision_count``: reading every answer, counting, storing the result), and
   checks the result is stored.

    uv run python benchmarks/decision_5000.py
    uv run python benchmarks/decision_5000.py --people 5000 --method yes_no
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--method", choices=["stv", "yes_no"], default="stv")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20)
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
        call_command("collectstatic", interactive=False, verbosity=0)  # the page names its files by the manifest
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.decisions import selectors, services
    from coproduce.decisions.models import Decision, OptionValue, Participation
    from coproduce.partnerships.models import Membership, Organisation, Partnership

    rng = random.Random(args.seed)  # made-up answers, the same every run
    partnership = Partnership.objects.create(slug="bench", name="Benchmark Partnership")
    organisation = Organisation.objects.create(partnership=partnership, name="Charity", kind="third_sector")
    unusable = make_password(None)  # no one signs in with a password here
    users = User.objects.bulk_create(
        [User(email=f"p{i}@bench.example", display_name=f"Person {i}", password=unusable) for i in range(args.people)]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                partnership=partnership,
                user=user,
                is_member=i % 5 != 0,
                is_worker=i % 5 == 0,
                is_coordinator=i == 0,
                organisation=organisation if i % 5 == 0 else None,
            )
            for i, user in enumerate(users)
        ]
    )
    coordinator = Membership.objects.select_related("user", "partnership").get(pk=memberships[0].pk)
    member = Membership.objects.select_related("user", "partnership").get(pk=memberships[1].pk)
    extra: dict[str, Any] = (
        {"seats": 2, "options": [f"Candidate {c}" for c in "ABCDEFGH"]}
        if args.method == "stv"
        else {"threshold_percent": 50, "double_majority": True, "options": []}
    )
    decision = services.decision_raise(
        actor=coordinator,
        kind="poll" if args.method == "stv" else "service",
        method=args.method,
        title="Benchmark decision",
        background="",
        closes_at=timezone.now() + timedelta(days=1),
        participants="everyone",
        anonymous=True,
        **extra,
    )
    options = list(decision.options.values_list("pk", flat=True))
    started = time.perf_counter()
    now = timezone.now()
    rows = Participation.objects.bulk_create(
        [
            Participation(
                decision=decision,
                user_id=m.user_id,
                is_member=m.is_member,
                is_staff=not m.is_member,
                position=rng.choice(["yes", "no", "abstain"]) if args.method == "yes_no" else "",
                created_at=now,
                updated_at=now,
            )
            for m in memberships
        ],
        batch_size=1000,
    )
    if options:
        values = []
        for row in rows:
            ranking = rng.sample(options, rng.randint(1, len(options)))
            values += [
                OptionValue(participation=row, option_id=o, value=r, is_rank=True)
                for r, o in enumerate(ranking, start=1)
            ]
        OptionValue.objects.bulk_create(values, batch_size=5000)
    print(f"{args.people} answers written in bulk in {time.perf_counter() - started:.2f} s", file=sys.stderr)

    # The count's task is queued when the close commits: held back here, so the decision stays pending.
    callbacks: list[object] = []
    original = transaction.on_commit
    transaction.on_commit = lambda func, using=None, robust=False: callbacks.append(func)  # type: ignore[assignment]
    try:
        services.decision_close(actor=coordinator, decision=decision)
    finally:
        transaction.on_commit = original
    decision.refresh_from_db()
    assert decision.result_status == Decision.ResultStatus.PENDING, decision.result_status

    try:
        url = reverse("decisions:results", kwargs={"slug": "bench", "decision_id": decision.pk})
    except NoReverseMatch:
        url = ""
    timings = []
    if url:
        from django.test import Client

        client = Client()
        client.force_login(member.user, backend="coproduce.accounts.backends.AuthenticationBackend")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200  # the first read loads the templates: not timed
        what = f"the results page ({url}, {len(queries)} queries)"
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - t)
            assert response.status_code == 200, response.status_code
    else:
        what = "the results page's selectors (decision_for, decision_result, turnout)"
        for _ in range(args.requests):
            t = time.perf_counter()
            found = selectors.decision_for(member, decision.pk)
            assert selectors.decision_result(member, found) is None
            selectors.turnout(member, found)
            timings.append(time.perf_counter() - t)

    t = time.perf_counter()
    counted = services.decision_count(decision.pk)
    count_seconds = time.perf_counter() - t
    assert counted.result_status == Decision.ResultStatus.READY, counted.result
    ms = [v * 1000 for v in timings]
    print(f"method {args.method}, {args.people} participants")
    print(
        f"while pending, {what}: p50 {_percentile(ms, 0.5):.1f} ms, p95 {_percentile(ms, 0.95):.1f} ms, "
        f"max {max(ms):.1f} ms over {len(ms)} reads"
    )
    print(f"the count (read every answer, count, store the result): {count_seconds:.2f} s")
    if counted.result and counted.result.get("stages"):
        print(f"stages: {len(counted.result['stages'])}; {counted.result['lines'][-2]}")


if __name__ == "__main__":
    main()
