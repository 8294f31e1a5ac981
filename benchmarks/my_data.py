"""Benchmark "My data" for a person with a lot of data, on PostgreSQL: how long the page and each download take.

What it does:

1. creates a fresh PostgreSQL database (``--database``, dropped first if it exists, left behind unless
   ``--drop``), migrates it, and fills it with bulk inserts: one partnership and one member who has
   ``--votes`` votes (and as many vote events) over ten conversations of statements they did not write,
   ``--ideas`` ideas with a comment, a support and a follow each, ``--statements`` statements of their own, a
   support plan with ``--goals`` goals and actions and 20 check-ins rating every area, 500 reads of the plan,
   ``--events`` audit events about them, 20 fund proposals and ballots, 20 tests of change they are named on;
   and another member with the same, who must not slow the first one down;
2. times the background work of preparing the member's download (``--warmup`` times unmeasured, ``--requests``
   times measured): gathering every capability's data, writing the JSON, writing the zip, and the whole task
   (``services.my_data_export_build``, which gathers and writes once and stores the files);
3. signs the member in and requests, through Django's own request handling in this process (the test client,
   without an HTTP server in front), the page, the JSON download and the zip download of what was prepared;
4. prints the p50 and max of each part of the background work, and per address the number of queries, the
   size of the answer, and p50, p95 and max latency in ms.

    uv run python benchmarks/my_data.py
    uv run python benchmarks/my_data.py --votes 20000 --ideas 1000 --requests 10

Only the local PostgreSQL server (``--server``, default postgres://postgres@127.0.0.1:5432) is contacted.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="coproduce_my_data_bench")
    parser.add_argument("--votes", type=int, default=5000)
    parser.add_argument("--ideas", type=int, default=200)
    parser.add_argument("--statements", type=int, default=50)
    parser.add_argument("--goals", type=int, default=30)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--requests", type=int, default=10)
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
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("COPRODUCE_DATA_DIR", tempfile.mkdtemp(prefix="coproduce-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "coproduce.settings"
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def fill_person(args: argparse.Namespace, partnership: Any, member: Any, tag: str) -> None:
    from django.utils import timezone

    from coproduce.conversations.models import Conversation, Participant, Statement, Vote, VoteEvent
    from coproduce.core.models import AuditEvent
    from coproduce.fund.models import Ballot, BallotChoice, Proposal, Round
    from coproduce.improvement.models import MemberCheck, TestOfChange
    from coproduce.support.models import Action, CheckIn, Goal, OutcomeArea, PlanRead, Rating, SupportPlan
    from coproduce.voice.models import Comment, Follow, Idea, Support

    user = member.user
    now = timezone.now()
    # Conversations: ten of them, the votes spread over statements others wrote, and statements of their own.
    per = -(-args.votes // 10)
    for c in range(10):
        conversation = Conversation.objects.create(partnership=partnership, topic=f"{tag} conversation {c}")
        statements = Statement.objects.bulk_create(
            Statement(conversation=conversation, number=k + 1, text=f"Statement {k} of {c}", text_key=f"s{k}")
            for k in range(per)
        )
        participant = Participant.objects.create(conversation=conversation, user=user, number=1, votes_cast=per)
        Vote.objects.bulk_create(
            (Vote(participant=participant, statement=s, conversation=conversation, value=1) for s in statements),
            batch_size=5000,
        )
        VoteEvent.objects.bulk_create(
            (VoteEvent(participant=participant, statement=s, conversation=conversation, value=1) for s in statements),
            batch_size=5000,
        )
        if c == 0:
            Statement.objects.bulk_create(
                Statement(
                    conversation=conversation,
                    number=per + k + 1,
                    text=f"My statement {k}",
                    text_key=f"m{k}",
                    author=user,
                    author_kind="member",
                )
                for k in range(args.statements)
            )
    # Voice.
    ideas = Idea.objects.bulk_create(
        Idea(
            partnership=partnership,
            author=user,
            author_kind="member",
            title=f"{tag} idea {i}",
            body="A crèche at the job fair. " * 10,
            body_html="<p>A crèche at the job fair.</p>",
        )
        for i in range(args.ideas)
    )
    Comment.objects.bulk_create(
        Comment(idea=i, author=user, author_kind="member", body="Yes, please.", body_html="<p>Yes</p>") for i in ideas
    )
    Support.objects.bulk_create(Support(idea=i, user=user, is_member=True) for i in ideas)
    Follow.objects.bulk_create(Follow(idea=i, user=user) for i in ideas)
    # Support: a plan with goals, actions, check-ins rating every area, and reads of it.
    plan = SupportPlan.objects.create(partnership=partnership, member=member, status="active", what_matters="Family")
    goals = Goal.objects.bulk_create(Goal(plan=plan, text=f"Goal {g}") for g in range(args.goals))
    Action.objects.bulk_create(Action(plan=plan, goal=g, text="A step") for g in goals)
    areas = list(OutcomeArea.objects.filter(partnership=partnership))
    checkins = CheckIn.objects.bulk_create(
        CheckIn(plan=plan, date=(now - datetime.timedelta(days=30 * k)).date(), notes="Talked.") for k in range(20)
    )
    Rating.objects.bulk_create(
        Rating(checkin=c, area=a, member_rating=5, worker_rating=5, agreed=5) for c in checkins for a in areas
    )
    PlanRead.objects.bulk_create(
        PlanRead(plan=plan, reader_label="A keyworker", parts=["about"], page="plan") for _ in range(500)
    )
    # Records: audit events by them.
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(actor=user, action="voice.idea_created", partnership_id=partnership.pk, target_type="voice.idea")
            for _ in range(args.events)
        ),
        batch_size=5000,
    )
    # Fund and improvement.
    for r in range(20):
        round_ = Round.objects.create(
            partnership=partnership,
            title=f"{tag} round {r}",
            budget_pence=100_000,
            **{
                field: now + datetime.timedelta(days=k)
                for k, field in enumerate(
                    ["proposals_from", "review_from", "voting_from", "results_from", "delivery_from"]
                )
            },
        )
        proposal = Proposal.objects.create(
            round=round_,
            proposer=user,
            title="A project",
            description="What it does.",
            beneficiaries="Parents",
            cost_pence=1000,
            proposed_cost_pence=1000,
        )
        ballot = Ballot.objects.create(round=round_, voter=user, receipt=f"{tag[:1]}{r:04d}-00000", total_points=1)
        BallotChoice.objects.create(ballot=ballot, proposal=proposal, points=1)
        test = TestOfChange.objects.create(
            partnership=partnership,
            title=f"{tag} test {r}",
            aim_what="More parents.",
            aim_how_much="Double",
            aim_by_when=now.date(),
            change_kind="try",
            change="Evenings.",
            predictions="More come.",
            starts_on=now.date(),
            ends_on=now.date(),
        )
        test.people.add(member)
        MemberCheck.objects.create(test=test, member=user, answer="yes", words="It helped.")


def fill(args: argparse.Namespace) -> Any:
    from django.contrib.auth import get_user_model

    from coproduce.partnerships.models import Membership, Partnership
    from coproduce.support.defaults import ensure_defaults

    partnership = Partnership.objects.create(slug="bench", name="Benchmark Partnership")
    ensure_defaults(partnership)
    users = get_user_model().objects
    people = [
        Membership.objects.create(
            partnership=partnership, user=users.create_user(f"{tag}@bench.example", display_name=tag), is_member=True
        )
        for tag in ("aisha", "other")
    ]
    for person, tag in zip(people, ("aisha", "other"), strict=True):
        fill_person(args, partnership, person, tag)
    return people[0]


def measure(args: argparse.Namespace, member: Any) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    from coproduce.partnerships.models import MyDataExport
    from coproduce.partnerships.my_data import my_data_document
    from coproduce.partnerships.my_data_files import my_data_json, my_data_zip
    from coproduce.partnerships.services import my_data_export_build

    # The background task's work, in its parts: gathering every capability, writing each file, and the whole.
    parts: dict[str, list[float]] = {"gather": [], "json": [], "zip": [], "task": []}
    for run in range(args.warmup + args.requests):
        start = time.perf_counter()
        document = my_data_document(member)
        gathered = time.perf_counter()
        my_data_json(document)
        written = time.perf_counter()
        my_data_zip(document)
        zipped = time.perf_counter()
        MyDataExport.objects.filter(membership=member).delete()
        export = MyDataExport.objects.create(
            partnership_id=member.partnership_id, membership=member, expires_at=member.joined_at.replace(year=2100)
        )
        task_start = time.perf_counter()
        my_data_export_build(export_id=export.pk)
        done = time.perf_counter()
        if run >= args.warmup:
            parts["gather"].append((gathered - start) * 1000)
            parts["json"].append((written - gathered) * 1000)
            parts["zip"].append((zipped - written) * 1000)
            parts["task"].append((done - task_start) * 1000)
    print(f"{'background work':<16} {'p50 ms':>8} {'max ms':>8}")
    for name, times in parts.items():
        print(f"{name:<16} {statistics.median(times):>8.0f} {max(times):>8.0f}")

    client = Client()
    client.force_login(member.user)
    print(f"{'address':<16} {'queries':>7} {'bytes':>10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name in ("my-data", "my-data-json", "my-data-zip"):
        address = reverse(f"partnerships:{name}", kwargs={"slug": "bench"})
        for _ in range(args.warmup):
            client.get(address)
        times, size, queries = [], 0, 0
        for _ in range(args.requests):
            connection.force_debug_cursor = True
            reset_queries()
            start = time.perf_counter()
            response = client.get(address)
            times.append((time.perf_counter() - start) * 1000)
            queries = len(connection.queries)
            connection.force_debug_cursor = False
            assert response.status_code == 200, response.status_code
            size = len(response.content)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:<16} {queries:>7} {size:>10} {statistics.median(times):>8.0f} {p95:>8.0f} {times[-1]:>8.0f}")


def main() -> None:
    args = parse()
    recreate_database(args.server, args.database)
    setup_django(args.server, args.database)
    start = time.perf_counter()
    member = fill(args)
    print(
        f"filled in {time.perf_counter() - start:.1f} s: {args.votes} votes, {args.ideas} ideas, "
        f"{args.events} audit events, a plan with {args.goals} goals (per person, two people)"
    )
    measure(args, member)
    if args.drop:
        from django.db import connections

        connections.close_all()
        recreate_database(args.server, args.database, drop_only=True)


if __name__ == "__main__":
    main()
