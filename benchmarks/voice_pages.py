"""Time the voice pages on PostgreSQL with 10 000 ideas, 100 000 comments and 200 000 supports.

What it does:

1. (re)creates a PostgreSQL database for the benchmark (``--database``, default
   ``postgres://postgres@127.0.0.1:5432/coproduce_voice_bench``; it is dropped first unless ``--reuse``) and
   runs ``migrate`` with the production settings (``COPRODUCE_DEMO`` unset, a throwaway secret key,
   ``ALLOWED_HOSTS=testserver``, HTTPS redirect off);
2. fills it quickly: 2 000 people (1 800 members, 200 staff) in one partnership, 10 000 ideas, 100 000
   comments (one idea has exactly 200, a quarter of them replies) and 200 000 supports (a few ideas get
   many), written with PostgreSQL's ``COPY``; the ideas' counters match the rows; then ``VACUUM ANALYZE``;
3. signs a member in with Django's test client (the whole middleware stack, no network) and, for each page,
   sends ``--warmup`` requests and then ``--requests`` timed ones (``time.perf_counter()``), checking that
   each answer is 200 (the support toggle: 200 from its htmx partial), and counts the SQL queries of one
   request;
4. prints a table: min, p50, p95, max in ms, the median CPU time this process spent per request (Django,
   templates, the database driver; not the PostgreSQL server's own work), the median time spent waiting
   for the database's answers per request, queries per request, and whether
   p95 meets the target (100 ms for pages, 30 ms for a support toggle). On a shared machine the wall times
   move with other work; the CPU column much less.

    uv run python benchmarks/voice_pages.py
    uv run python benchmarks/voice_pages.py --requests 200 --reuse        # keep the data from the last run
    uv run python benchmarks/voice_pages.py --explain                    # also print the plans of the list

Only the given PostgreSQL server is contacted.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/coproduce_voice_bench"

IDEAS = 10_000
COMMENTS = 100_000
SUPPORTS = 200_000
PEOPLE = 2_000
STAFF = 200
BIG_THREAD = 200  # comments on the idea whose page is measured

# A small vocabulary on purpose: every search word is common (about a third of comments hold "crèche"),
# which is harder for search than real text.
WORDS = [
    *[
        "crèche",
        "childcare",
        "bus",
        "fares",
        "evening",
        "job",
        "fair",
        "interview",
        "toddler",
        "school",
        "holidays",
        "training",
        "course",
    ],
    *[
        "money",
        "advice",
        "breakfast",
        "club",
        "library",
        "room",
        "phone",
        "credit",
        "laundry",
        "housing",
        "rent",
        "nursery",
        "form",
    ],
    *[
        "waiting",
        "list",
        "childminder",
        "volunteer",
        "library",
        "café",
        "transport",
        "timetable",
        "benefits",
        "wellbeing",
    ],
    *["parents", "group", "quiet", "space", "flexible", "hours"],
]


def environment(database: str, data_dir: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "coproduce.settings",
            "DATABASE_URL": database,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "COPRODUCE_SSL_REDIRECT": "0",
            "COPRODUCE_DATA_DIR": data_dir,
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("COPRODUCE_DEMO", None)


def recreate_database(database: str) -> None:
    import psycopg
    from dj_database_url import parse

    db = parse(database)
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None, dbname="postgres"
    ) as connection:
        connection.autocommit = True
        connection.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        connection.execute(f'CREATE DATABASE "{db["NAME"]}"')


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def copy_rows(table: str, columns: list[str], rows: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def fill(rng: random.Random) -> dict[str, int]:
    """The partnership, its people, ideas, comments and supports. Returns the ids the measurements need."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from coproduce.partnerships.models import Membership, Organisation, Partnership
    from coproduce.voice.models import Challenge

    started = time.perf_counter()
    now = timezone.now()
    user_model = get_user_model()
    with transaction.atomic():
        partnership = Partnership.objects.create(slug="riverside", name="Riverside Partnership")
        organisation = Organisation.objects.create(partnership=partnership, name="Family Centre", kind="public")
        users = user_model.objects.bulk_create(
            [
                user_model(email=f"person{n}@bench.example", display_name=f"Person {n}", password="!")  # noqa: S106 (no password: "!" is unusable)
                for n in range(PEOPLE)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    partnership=partnership,
                    user=user,
                    is_member=n >= STAFF,
                    is_worker=n < STAFF,
                    organisation=organisation if n < STAFF else None,
                )
                for n, user in enumerate(users)
            ]
        )
        challenges = [
            Challenge.objects.create(partnership=partnership, title=f"How could {w} work better?", body_html="")
            for w in WORDS[:5]
        ]
    user_ids = [u.pk for u in users]
    member_ids = set(user_ids[STAFF:])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM voice_idea")
        first_idea = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM voice_comment")
        first_comment = cursor.fetchone()[0] + 1

    # How many comments and supports each idea gets: a few popular ideas, a long tail (Zipf-like weights).
    weights = 1.0 / np.arange(1, IDEAS + 1) ** 0.8
    weights /= weights.sum()
    np_rng = np.random.default_rng(rng.randrange(2**32))
    order = np_rng.permutation(IDEAS)
    support_counts = np.minimum(np_rng.multinomial(SUPPORTS, weights)[order], PEOPLE)
    # Top up to exactly SUPPORTS where the cap at PEOPLE cut some off.
    missing = SUPPORTS - int(support_counts.sum())
    for i in np.argsort(support_counts):
        if missing <= 0:
            break
        add = min(missing, PEOPLE - int(support_counts[i]))
        support_counts[i] += add
        missing -= add
    comment_counts = np_rng.multinomial(COMMENTS - BIG_THREAD, weights)[np_rng.permutation(IDEAS)]
    big = int(np.argmin(comment_counts))
    spare = int(comment_counts[big])
    comment_counts[big] = BIG_THREAD
    comment_counts[(big + 1) % IDEAS] += spare  # keep the total

    # The comments, in memory first: each idea's search text includes them.
    comment_rows: list[tuple[Any, ...]] = []
    comment_words: list[list[str]] = []
    cid = first_comment
    created = [now - timedelta(minutes=30 * (IDEAS - i)) for i in range(IDEAS)]
    for i in range(IDEAS):
        tops: list[int] = []
        words: list[str] = []
        for k in range(int(comment_counts[i])):
            author = rng.choice(user_ids)
            parent = rng.choice(tops) if tops and k % 4 == 3 else None
            body = sentence(rng, 15)
            words.append(body)
            comment_rows.append(
                (
                    cid,
                    first_idea + i,
                    parent,
                    author,
                    "member" if author in member_ids else "staff",
                    body,
                    f"<p>{body}</p>",
                    created[i] + timedelta(minutes=k + 1),
                    "",
                )
            )
            if parent is None:
                tops.append(cid)
            cid += 1
        comment_words.append(words)

    statuses = ["new"] * 6 + ["considering", "in_progress", "done", "not_taken_forward"]
    idea_rows = []
    for i in range(IDEAS):
        author = rng.choice(user_ids)
        at = created[i]
        title = sentence(rng, 5)[:-1]
        body = sentence(rng, 40)
        idea_rows.append(
            (
                first_idea + i,
                partnership.pk,
                challenges[i % 5].pk if i % 3 == 0 else None,
                author,
                "member" if author in member_ids else "staff",
                i % 4 != 0,
                title,
                body,
                f"<p>{body}</p>",
                rng.choice(statuses),
                at,
                at + timedelta(hours=rng.randrange(0, 500)),
                int(support_counts[i]),
                int(comment_counts[i]),
                "",
                "\n".join([title, body, *comment_words[i]]),
            )
        )
    copy_rows(
        "voice_idea",
        [
            "id",
            "partnership_id",
            "challenge_id",
            "author_id",
            "author_kind",
            "show_name",
            "title",
            "body",
            "body_html",
            "status",
            "created_at",
            "last_activity_at",
            "support_count",
            "comment_count",
            "hidden_reason",
            "search_text",
        ],
        idea_rows,
    )
    copy_rows(
        "voice_comment",
        ["id", "idea_id", "parent_id", "author_id", "author_kind", "body", "body_html", "created_at", "hidden_reason"],
        comment_rows,
    )

    def supports() -> Any:
        for i in range(IDEAS):
            for user_id in rng.sample(user_ids, int(support_counts[i])):
                yield (first_idea + i, user_id, user_id in member_ids, created[i] + timedelta(hours=1))

    copy_rows("voice_support", ["idea_id", "user_id", "is_member", "created_at"], supports())
    with connection.cursor() as cursor:
        for table in ("voice_idea", "voice_comment"):
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql)
    connection.close()
    import psycopg

    settings_db = connection.settings_dict
    with psycopg.connect(
        host=settings_db["HOST"],
        port=settings_db["PORT"] or 5432,
        user=settings_db["USER"],
        password=settings_db["PASSWORD"] or None,
        dbname=settings_db["NAME"],
        autocommit=True,
    ) as raw:
        raw.execute("VACUUM ANALYZE")
    print(f"filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return {"big_idea": first_idea + big}


def counts() -> dict[str, int]:
    from coproduce.voice.models import Comment, Idea, Support

    return {"ideas": Idea.objects.count(), "comments": Comment.objects.count(), "supports": Support.objects.count()}


@dataclass
class Figure:
    name: str
    requests: int
    p50: float
    p95: float
    max: float
    queries: int
    target_ms: float
    cpu_p50: float  # this process's CPU time per request (Python: Django, templates, the driver)
    db_p50: float  # time spent waiting for the database's answers per request (wall time of the queries)
    min: float

    @property
    def met(self) -> bool:
        return self.p95 < self.target_ms


def measure(
    client: Any, name: str, method: str, path: str, *, data: Any = None, warmup: int, requests: int, target: float
) -> Figure:
    from django.db import connection

    extra = {"HTTP_HX_REQUEST": "true"} if method == "post" else {}

    def send(n: int) -> Any:
        payload = data(n) if callable(data) else data
        response = getattr(client, method)(path, payload, **extra)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        return response

    for n in range(warmup):
        send(n)
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        send(warmup)
    timings = []
    cpu = []
    db = []
    in_db = [0.0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_db[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        for n in range(requests):
            in_db[0] = 0.0
            started, cpu_started = time.perf_counter(), time.process_time()
            send(warmup + 1 + n)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            db.append(in_db[0] * 1000)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return Figure(
        name=name,
        requests=requests,
        p50=statistics.median(timings),
        p95=p95,
        max=timings[-1],
        queries=len(queries),
        target_ms=target,
        cpu_p50=statistics.median(cpu),
        db_p50=statistics.median(db),
        min=timings[0],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--explain", action="store_true", help="print the query plans of the idea list")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="coproduce-voice-bench-") as data_dir:
        environment(args.database, data_dir)
        if not args.reuse:
            recreate_database(args.database)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from coproduce.partnerships.models import Membership
        from coproduce.voice.models import Idea

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        rng = random.Random(args.seed)
        if not Idea.objects.exists():
            fill(rng)
        big_idea = Idea.objects.filter(comment_count=BIG_THREAD).order_by("id").values_list("id", flat=True).first()
        print(f"rows: {counts()}; idea with {BIG_THREAD} comments: {big_idea}", file=sys.stderr)

        member = Membership.objects.filter(is_member=True).select_related("user", "partnership").order_by("id")[5]
        client = Client()
        client.force_login(member.user, backend="coproduce.accounts.backends.AuthenticationBackend")
        slug = member.partnership.slug
        ideas = reverse("voice:ideas", kwargs={"slug": slug})
        toggled = Idea.objects.order_by("-support_count").values_list("id", flat=True)[3]
        pages = [
            ("idea list, newest", ideas),
            ("idea list, most supported", ideas + "?sort=supported"),
            ("idea list, recently active", ideas + "?sort=active"),
            ("idea list, page 50, newest", ideas + "?page=50"),
            ("idea list, search “crèche”", ideas + "?q=cr%C3%A8che"),
            ("idea list, search “laundry rent”, most supported", ideas + "?q=laundry+rent&sort=supported"),
            ("idea list, status done, recently active", ideas + "?status=done&sort=active"),
            (f"idea page, {BIG_THREAD} comments", reverse("voice:idea", kwargs={"slug": slug, "idea_id": big_idea})),
        ]
        figures = [
            measure(client, name, "get", path, warmup=args.warmup, requests=args.requests, target=100.0)
            for name, path in pages
        ]
        figures.append(
            measure(
                client,
                "support toggle (htmx POST)",
                "post",
                reverse("voice:idea-support", kwargs={"slug": slug, "idea_id": toggled}),
                data=lambda n: {"support": "1" if n % 2 == 0 else "0"},
                warmup=args.warmup,
                requests=args.requests,
                target=30.0,
            )
        )
        if args.explain:
            from coproduce.voice import selectors

            for sort in ("newest", "supported", "active"):
                for query in ("", "crèche"):
                    qs = selectors.ideas_visible_to(member, sort=sort, query=query)[:20]
                    print(f"\n-- sort={sort} q={query!r}\n{qs.explain(analyze=True)}", file=sys.stderr)

    header = f"{'page':50} {'requests':>8} {'min':>6} {'p50':>6} {'p95':>6} {'max':>6} {'CPU':>6} {'DB':>6}"
    print(header + f" {'queries':>7}  target (all times in ms; CPU and DB are medians per request)")
    for f in figures:
        verdict = f"p95 < {f.target_ms:.0f} ms: {'yes' if f.met else 'NO'}"
        times = f"{f.min:6.1f} {f.p50:6.1f} {f.p95:6.1f} {f.max:6.1f} {f.cpu_p50:6.1f} {f.db_p50:6.1f}"
        print(f"{f.name:50} {f.requests:8d} {times} {f.queries:7d}  {verdict}")


if __name__ == "__main__":
    main()
