"""Time a round's results with 20 000 ballots, worked out by the background task, and show that the results
page answers at once while they are being worked out.

What it does, in a temporary data folder (removed afterwards) or in the PostgreSQL database named by
``--database-url`` (a throwaway database: the script migrates it and leaves its rows there):

1. migrates, then makes a partnership, ``--proposals`` projects on the ballot (costs £500–£8 000 in whole
   pounds), and ``--ballots`` approval ballots of 1 to 5 projects each, chosen with a skewed popularity so
   that a large group agrees and smaller groups back other things (fixed random seed, ``--seed``);
2. closes voting and asks for the results as the results page does (``services.results_request``, which
   queues the task and returns at once); times a GET of the results page while they are pending;
3. runs the queued task as ``coproduce worker`` would (``compute_results.call``) and times it: loading the
   ballots, the Method of Equal Shares with the round's completion (Add1), greedy, and the explanation, and
   saving the snapshot; then times a GET of the finished results page.

Prints a table (``--json`` for JSON). The machine's load is printed too (``os.getloadavg``).

    uv run python benchmarks/fund_results.py                         # SQLite, 20 000 ballots
    uv run python benchmarks/fund_results.py --database-url postgres://postgres@127.0.0.1:5432/fund_bench
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--proposals", type=int, default=40)
    parser.add_argument("--budget", type=int, default=60_000, help="in pounds")
    parser.add_argument("--completion", default="add1", choices=["none", "add1", "add1-past-exhaustive"])
    parser.add_argument("--repeat", type=int, default=3, help="times the task is run (fresh snapshot each time)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="coproduce-fund-bench-"))
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
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from coproduce.fund.models import Ballot, BallotChoice, Proposal, ResultSnapshot, Round
    from coproduce.fund.tasks import compute_results
    from coproduce.partnerships.models import Membership, Partnership
    from tests.fund.helpers import make_round, move_to

    call_command("migrate", verbosity=0)
    # Static files are served as they are (no collectstatic into a manifest for a benchmark).
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    rng = random.Random(args.seed)
    user_model = django.apps.apps.get_model(settings.AUTH_USER_MODEL)
    partnership = Partnership.objects.create(slug=f"bench-{int(time.time())}", name="Benchmark partnership")
    round_ = make_round(partnership, phase="voting", budget=args.budget, max_choices=5)
    proposals = [
        Proposal.objects.create(
            round=round_,
            title=f"Project {n + 1}",
            description="A project.",
            beneficiaries="Parents",
            cost_pence=rng.randrange(5, 81) * 10_000,
            proposed_cost_pence=1,
            status="on_ballot",
        )
        for n in range(args.proposals)
    ]
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(proposals))]
    started = time.perf_counter()
    ballots = Ballot.objects.bulk_create(
        [Ballot(round=round_, receipt=f"B{n:09d}", total_points=1) for n in range(args.ballots)], batch_size=5000
    )
    choices = []
    for ballot in ballots:
        picked = set()
        for _ in range(rng.randint(1, 5)):
            picked.add(rng.choices(range(len(proposals)), weights)[0])
        choices += [BallotChoice(ballot_id=ballot.pk, proposal_id=proposals[i].pk, points=1) for i in picked]
    BallotChoice.objects.bulk_create(choices, batch_size=5000)
    setup_seconds = time.perf_counter() - started
    move_to(round_, "results")
    Round.objects.filter(pk=round_.pk).update(completion=args.completion)
    round_.refresh_from_db()
    viewer = user_model.objects.create_user(email=f"bench{time.time()}@example.org", password=None, display_name="B")
    Membership.objects.create(partnership=partnership, user=viewer, is_member=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer, backend="allauth.account.auth_backends.AuthenticationBackend")
    page = reverse("fund:results", kwargs={"slug": partnership.slug, "round_id": round_.pk})

    task_seconds, pending_page, ready_page, runs = [], [], [], []
    for attempt in range(args.repeat):
        ResultSnapshot.objects.filter(round=round_).delete()
        # The page asks for the results: with a real queue (the database backend) it only queues the task.
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
        ):
            t = time.perf_counter()
            response = client.get(page)
            pending_page.append(time.perf_counter() - t)
        if response.status_code != 200 or b"being worked out" not in response.content:
            raise SystemExit(f"the pending results page answered {response.status_code}")
        snapshot = ResultSnapshot.objects.get(round=round_)
        t = time.perf_counter()
        compute_results.call(snapshot.pk)
        task_seconds.append(time.perf_counter() - t)
        snapshot.refresh_from_db()
        assert snapshot.status == "ready", snapshot.status
        runs.append(snapshot.data["mes"]["runs"])
        t = time.perf_counter()
        response = client.get(page)
        ready_page.append(time.perf_counter() - t)
        if response.status_code != 200 or b"Funded projects" not in response.content:
            raise SystemExit(f"the results page answered {response.status_code}")
        _ = attempt
    data = snapshot.data
    result = {
        "database": connection.vendor,
        "ballots": args.ballots,
        "proposals": args.proposals,
        "budget_pounds": args.budget,
        "completion": args.completion,
        "choices": len(choices),
        "setup_seconds": round(setup_seconds, 2),
        "task_seconds": [round(s, 3) for s in task_seconds],
        "task_median_seconds": round(statistics.median(task_seconds), 3),
        "method_seconds_in_task": data["seconds"],
        "mes_runs": runs[-1],
        "pending_page_ms": [round(s * 1000, 1) for s in pending_page],
        "ready_page_ms": [round(s * 1000, 1) for s in ready_page],
        "funded": len(data["mes"]["selected"]),
        "spent_pounds": data["mes"]["cost_pence"] // 100,
        "greedy_funded": len(data["greedy"]["selected"]),
        "covered_mes": round(data["covered"]["mes"], 3),
        "covered_greedy": round(data["covered"]["greedy"], 3),
        "loadavg": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:<24} {value}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
