"""Benchmark the report builder: a yearly report for a partnership of 2 000 members, on PostgreSQL.

What it does:

1. creates a fresh PostgreSQL database (``--database``, dropped first if it exists; dropped at the end with
   ``--drop``), migrates it and fills it with bulk inserts: one partnership, three organisations, ``--members``
   members who joined over the year, and a year of activity: ``--ideas`` ideas with four comments and five
   supports each (voice), ``--answers`` evaluation answers over twelve services, spread over the twelve months;
2. builds the yearly report (April to March) for the partnership ``--warmup`` times unmeasured and
   ``--runs`` times measured, through ``services.builder.run_build`` (what the background task does: every
   registered section's tables for the year, suppressed, progress saved after each section, the result stored);
3. prints the number of sections, each section's time in the last run, and p50 and max of the whole build.

The figures come from every section registered (``partnerships.reporting``). Where none is registered yet, the
script registers stand-ins that count the data above by month (a grouped query per table), so that the
builder's own cost is measured; it says so in its output.

    uv run python benchmarks/report_year.py
    uv run python benchmarks/report_year.py --members 2000 --runs 10 --drop

Only the local PostgreSQL server (``--server``, default postgres://postgres@127.0.0.1:5432) is contacted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

YEAR_START = date(2025, 4, 1)
YEAR_END = date(2026, 3, 31)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="coproduce_report_year_bench")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--ideas", type=int, default=1500)
    parser.add_argument("--answers", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(server: str, name: str) -> None:
    os.environ["DATABASE_URL"] = f"{server}/{name}"
    os.environ["COPRODUCE_DEMO"] = "1"
    os.environ.setdefault("COPRODUCE_DATA_DIR", tempfile.mkdtemp(prefix="coproduce-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "coproduce.settings"
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def moment(n: int, of: int) -> datetime:
    """The ``n``-th of ``of`` moments spread evenly over the year."""
    from django.utils import timezone

    start = datetime(YEAR_START.year, YEAR_START.month, YEAR_START.day, 10, tzinfo=timezone.get_default_timezone())
    return start + timedelta(minutes=int(n * 365 * 24 * 60 / max(of, 1)))


def fill(args: argparse.Namespace) -> Any:
    import django
    from django.conf import settings

    from coproduce.evaluation.instrument import STATEMENT_KEYS
    from coproduce.evaluation.models import Answer, Subject
    from coproduce.partnerships.models import Membership, Organisation, Partnership
    from coproduce.voice.models import Comment, Idea, Support

    user_model = django.apps.apps.get_model(settings.AUTH_USER_MODEL)
    partnership = Partnership.objects.create(slug="bench-reports", name="Benchmark partnership")
    organisations = [
        Organisation.objects.create(partnership=partnership, name=f"Organisation {n}", kind="public") for n in range(3)
    ]
    users = user_model.objects.bulk_create(
        [user_model(email=f"bench-{n}@example.org", display_name=f"Person {n}") for n in range(args.members + 1)],
        batch_size=2000,
    )
    coordinator = Membership.objects.create(
        partnership=partnership, user=users[-1], is_coordinator=True, organisation=organisations[0]
    )
    Membership.objects.bulk_create(
        [
            Membership(partnership=partnership, user=u, is_member=True, joined_at=moment(n, args.members))
            for n, u in enumerate(users[:-1])
        ],
        batch_size=2000,
    )
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                partnership=partnership,
                author=users[n % args.members],
                author_kind="member",
                title=f"Idea {n}",
                body="A crèche at the job fair.",
                body_html="<p>A crèche at the job fair.</p>",
                created_at=moment(n, args.ideas),
            )
            for n in range(args.ideas)
        ],
        batch_size=2000,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                idea=idea,
                author=users[(n * 7 + k) % args.members],
                author_kind="member",
                body="Yes, please.",
                body_html="<p>Yes, please.</p>",
                created_at=idea.created_at + timedelta(days=k),
            )
            for n, idea in enumerate(ideas)
            for k in range(4)
        ],
        batch_size=5000,
    )
    Support.objects.bulk_create(
        [
            Support(idea=idea, user=users[(n * 13 + k) % args.members], is_member=True, created_at=idea.created_at)
            for n, idea in enumerate(ideas)
            for k in range(5)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    subjects = [
        Subject.objects.create(
            partnership=partnership,
            kind=Subject.Kind.SERVICE,
            source_key=f"bench.service:{n}",
            name=f"Service {n}",
            organisation_id=organisations[n % 3].pk,
        )
        for n in range(12)
    ]
    Answer.objects.bulk_create(
        [
            Answer(
                partnership=partnership,
                subject=subjects[n % 12],
                period=moment(n, args.answers).date().replace(day=1),
                user=users[n % args.members],
                **dict.fromkeys(STATEMENT_KEYS, 1 + n % 5),
            )
            for n in range(args.answers)
        ],
        batch_size=5000,
    )
    return coordinator


def register_stand_ins() -> None:
    """Sections counting the benchmark's data by month, for a branch where no capability registers one yet."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from coproduce.evaluation.models import Answer
    from coproduce.partnerships.models import Membership
    from coproduce.partnerships.reporting import (
        PARTS,
        ReportQuery,
        ReportRow,
        ReportSection,
        ReportTable,
        register_report_section,
    )
    from coproduce.voice.models import Comment, Idea, Support

    def by_month(key: str, title: str, queryset: Any, field: str, *, exclusive: bool = True) -> ReportTable:
        counts = dict(
            queryset.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("id")).values_list("month", "n")
        )
        rows = tuple(
            ReportRow(f"{month:%Y-%m}", f"{month:%B %Y}", n)
            for month, n in sorted(counts.items(), key=lambda kv: kv[0])
        )
        total = ReportRow("all", "In all", sum(counts.values()))
        return ReportTable(key=key, title=title, unit="count", rows=rows, total=total, exclusive=exclusive)

    def span(query: ReportQuery, field: str) -> dict[str, Any]:
        return {f"{field}__date__gte": query.start, f"{field}__date__lte": query.end}

    def reach(query: ReportQuery) -> list[ReportTable]:
        people = Membership.objects.filter(partnership_id=query.partnership_id, is_member=True)
        return [by_month("reach.new", "New members", people.filter(**span(query, "joined_at")), "joined_at")]

    def voice(query: ReportQuery) -> list[ReportTable]:
        ideas = Idea.objects.filter(partnership_id=query.partnership_id, **span(query, "created_at"))
        comments = Comment.objects.filter(idea__partnership_id=query.partnership_id, **span(query, "created_at"))
        supports = Support.objects.filter(idea__partnership_id=query.partnership_id, **span(query, "created_at"))
        return [
            by_month("voice.ideas", "Ideas shared", ideas, "created_at"),
            by_month("voice.comments", "Comments", comments, "created_at"),
            by_month("voice.supports", "Supports", supports, "created_at"),
        ]

    def evaluation(query: ReportQuery) -> list[ReportTable]:
        answers = Answer.objects.filter(
            partnership_id=query.partnership_id, period__gte=query.start, period__lte=query.end
        )
        by_service = dict(answers.values("subject__name").annotate(n=Count("id")).values_list("subject__name", "n"))
        rows = tuple(ReportRow(name, name, n) for name, n in sorted(by_service.items()))
        return [
            by_month("evaluation.answers", "Answers by month", answers, "period"),
            ReportTable("evaluation.by_service", "Answers by service", "count", rows, exclusive=True),
        ]

    for key, part, tables in (
        ("bench.reach", "reach", reach),
        ("bench.voice", "participation", voice),
        ("bench.evaluation", "evaluation", evaluation),
    ):
        assert part in PARTS
        register_report_section(ReportSection(key, part, key, 1, tables))


def main() -> None:
    args = parse()
    recreate_database(args.server, args.database)
    setup_django(args.server, args.database)
    from coproduce.partnerships.reporting import report_sections
    from coproduce.reports.models import ReportRun
    from coproduce.reports.services import builder

    coordinator = fill(args)
    stand_ins = not report_sections()
    if stand_ins:
        register_stand_ins()
    sections = report_sections()
    timings: list[float] = []
    per_section: dict[str, float] = {}
    for attempt in range(args.warmup + args.runs):
        run = ReportRun.objects.create(
            partnership_id=coordinator.partnership_id,
            title="Yearly report",
            start=YEAR_START,
            end=YEAR_END,
            scope_label="Benchmark partnership",
            requested_by=coordinator.user,
            sections_total=len(sections),
        )
        started = time.perf_counter()
        builder.run_build(run_id=run.pk)
        elapsed = time.perf_counter() - started
        if attempt >= args.warmup:
            timings.append(elapsed)
    # Each section on its own, once, for where the time goes.
    from coproduce.partnerships.reporting import ReportQuery

    query = ReportQuery(partnership_id=coordinator.partnership_id, start=YEAR_START, end=YEAR_END)
    for section in sections:
        started = time.perf_counter()
        section.tables(query)
        per_section[section.key] = time.perf_counter() - started
    print(f"members: {args.members}, ideas: {args.ideas}, answers: {args.answers}")
    print(f"sections: {len(sections)}{' (stand-ins: no capability registers one on this branch)' if stand_ins else ''}")
    for key, seconds in per_section.items():
        print(f"  {key}: {seconds * 1000:.1f} ms")
    print(
        f"yearly report build ({args.runs} runs): p50 {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms"
    )
    if args.drop:
        from django.db import connections

        connections.close_all()
        recreate_database(args.server, args.database, drop_only=True)


if __name__ == "__main__":
    main()
