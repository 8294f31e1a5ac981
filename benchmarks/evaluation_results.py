"""Time the evaluation's results as their pages read them: the quarter's overview (``results_overview``) and
one service's results with its run charts (``subject_results``), over a year of answers.

What it does, in a temporary data folder (SQLite, removed afterwards) or in the PostgreSQL database named by
``--database-url`` (a throwaway database: the script migrates it and leaves its rows there):

1. migrates, then makes a partnership, three organisations, ``--subjects`` services and ``--answers`` answers
   spread over the twelve months before this one (fixed random seed): services used unevenly (a few with
   1–4 answers a quarter, so the small-groups rule merges some), one answer in ten on paper and one in
   twenty read out, one score in twelve "I'd rather not say"; every service has a question of its own,
   answered in half its answers;
2. reads each ``--repeat`` times (after 5 warm-up reads) as a coordinator, for the last full quarter, and
   times each read (``time.perf_counter``), counting the queries of one read;
3. prints the median, the 95th percentile and the worst for each, and whether each 95th percentile is under
   100 ms (exit status 1 when not).

    uv run python benchmarks/evaluation_results.py
    uv run python benchmarks/evaluation_results.py --database-url postgres://postgres@127.0.0.1:5432/coproduce_bench_ev
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
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--subjects", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="coproduce-evaluation-bench-"))
    os.environ["COPRODUCE_DEMO"] = "1"
    os.environ["COPRODUCE_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    try:
        return run(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def timed(read: Callable[[], Any], repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        read()
    with CaptureQueriesContext(connection) as queries:
        read()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        read()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return timings, len(queries)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from datetime import date

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from coproduce.evaluation.instrument import STATEMENT_KEYS
    from coproduce.evaluation.models import Answer, Question, QuestionAnswer, Subject
    from coproduce.evaluation.selectors import quarter_of, results_overview, subject_results
    from coproduce.partnerships.models import Membership, Organisation, Partnership

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    user_model = django.apps.apps.get_model(settings.AUTH_USER_MODEL)
    stamp = int(time.time())
    partnership = Partnership.objects.create(slug=f"bench-evaluation-{stamp}", name="Benchmark partnership")
    organisations = [
        Organisation.objects.create(partnership=partnership, name=f"Organisation {n}", kind="public") for n in range(3)
    ]
    viewer_user = user_model.objects.create(email=f"bench{stamp}@example.org", display_name="Coordinator")
    viewer = Membership.objects.create(
        partnership=partnership, user=viewer_user, is_coordinator=True, organisation=organisations[0]
    )
    subjects = Subject.objects.bulk_create(
        [
            Subject(
                partnership=partnership,
                kind="service",
                source_key=f"bench.service:{n}",
                name=f"Service {n + 1}",
                organisation=organisations[n % 3],
            )
            for n in range(args.subjects)
        ]
    )
    questions = Question.objects.bulk_create(
        [Question(subject=s, text="Was the room comfortable?", position=1) for s in subjects]
    )
    question_of = {q.subject_id: q for q in questions}
    this_month = timezone.localdate().replace(day=1)
    months = []
    day = this_month
    for _ in range(12):
        day = date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)
        months.append(day)
    # Services used unevenly: the last two rarely (merged into "Other services" most quarters).
    weights = [1.0] * (args.subjects - 2) + [0.01, 0.02] if args.subjects > 2 else [1.0] * args.subjects

    def score() -> int | None:
        return None if rng.random() < 1 / 12 else rng.choice([2, 3, 3, 4, 4, 4, 5, 5])

    made = []
    for n in range(args.answers):
        roll = rng.random()
        mode = "paper" if roll < 0.1 else "read_out" if roll < 0.15 else "online"
        made.append(
            Answer(
                partnership=partnership,
                subject=rng.choices(subjects, weights)[0],
                period=rng.choice(months),
                mode=mode,
                paper_ref=f"B-{n}" if mode == "paper" else "",
                **{key: score() for key in STATEMENT_KEYS},
            )
        )
    answers = Answer.objects.bulk_create(made, batch_size=2000)
    QuestionAnswer.objects.bulk_create(
        [QuestionAnswer(answer=a, question=question_of[a.subject_id], score=score()) for a in answers[::2]],
        batch_size=2000,
    )
    quarter = quarter_of(this_month).previous()
    subject = subjects[0]

    def overview() -> int:
        found = results_overview(viewer, quarter=quarter)
        return len(found.subjects)

    def one_service() -> int:
        found = subject_results(viewer, subject.pk, quarter=quarter)
        return sum(len(s.chart.points) for s in found.statements)

    result: dict[str, Any] = {
        "database": connection.vendor,
        "answers": len(answers),
        "subjects": args.subjects,
        "quarter": quarter.code,
        "repeat": args.repeat,
        "load": [round(x, 2) for x in os.getloadavg()],
    }
    ok = True
    for name, read in (("overview", overview), ("subject", one_service)):
        timings, queries = timed(read, args.repeat)
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        result[name] = {
            "queries": queries,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(p95, 1),
            "worst_ms": round(timings[-1], 1),
            "under_100_ms": p95 < 100,
        }
        ok = ok and p95 < 100
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}: {len(answers)} answers about {args.subjects} services over 12 months, "
            f"results for {quarter.code}; load {result['load']}"
        )
        print("| page | queries | median ms | p95 ms | worst ms | p95 under 100 ms |")
        print("|------|--------:|----------:|-------:|---------:|------------------|")
        for name in ("overview", "subject"):
            r = result[name]
            print(
                f"| {name} | {r['queries']} | {r['median_ms']} | {r['p95_ms']} | {r['worst_ms']} "
                f"| {'yes' if r['under_100_ms'] else 'no'} |"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
