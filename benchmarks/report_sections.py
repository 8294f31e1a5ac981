"""Time each capability's report section for a year of a partnership of 2 000 members: the raw figures the
report builder asks for (``partnerships.reporting``), before it suppresses or renders anything.

What it does, in a temporary data folder (SQLite, removed afterwards) or in the PostgreSQL database named by
``--database-url`` (a throwaway database: the script migrates it and leaves its rows there):

1. migrates, then makes a partnership with ``--people`` members, four organisations with a service each, and a
   year of activity spread over 2025 (fixed random seed): ideas, comments, supports and responses; ten
   conversations with their statements and votes; decisions and answers; events with places and attendances;
   support plans with monthly check-ins rating eight outcome areas, referrals and their steps; contributions,
   awards, payments and participation payments; answers about the services;
2. asks every registered section for its tables for the year 2025 ``--repeat`` times (after 2 warm-up runs),
   timing each section (``time.perf_counter``) and counting its queries;
3. prints each section's median and worst, and the total of the medians, and whether it is under 2 seconds.

    uv run python benchmarks/report_sections.py
    uv run python benchmarks/report_sections.py --database-url postgres://postgres@127.0.0.1:5432/coproduce_bench_rs
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
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-sql", action="store_true", help="print each section's queries with their times")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="coproduce-report-sections-bench-"))
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
    from datetime import date, datetime, timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coproduce.conversations.models import Conversation, Participant, Statement, VoteEvent
    from coproduce.decisions.models import Decision, Participation
    from coproduce.evaluation.models import Answer, Subject
    from coproduce.fund.models import Award, AwardPayment, Contribution, Proposal, Round, Spending
    from coproduce.learning.models import Attendance, Event, Registration
    from coproduce.partnerships.models import Membership, Organisation, Partnership
    from coproduce.partnerships.reporting import ReportQuery, report_sections
    from coproduce.support.models import (
        CheckIn,
        OutcomeArea,
        Rating,
        Referral,
        ReferralUpdate,
        Service,
        SupportPlan,
    )
    from coproduce.voice.models import Comment, Idea, Response, Support

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    year_start = timezone.make_aware(datetime(2025, 1, 1, 9))

    def moment() -> datetime:
        return year_start + timedelta(minutes=rng.randrange(364 * 24 * 60))

    user_model = django.apps.apps.get_model(settings.AUTH_USER_MODEL)
    stamp = int(time.time())
    partnership = Partnership.objects.create(slug=f"bench-report-{stamp}", name="Benchmark partnership")
    organisations = [
        Organisation.objects.create(partnership=partnership, name=f"Organisation {n}", kind="public") for n in range(4)
    ]
    services = [
        Service.objects.create(partnership=partnership, organisation=o, name=f"Service {n}", description="Help.")
        for n, o in enumerate(organisations)
    ]
    users = user_model.objects.bulk_create(
        [user_model(email=f"bench{stamp}-{n}@example.org", display_name=f"Person {n}") for n in range(args.people)]
    )
    memberships = Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=u, is_member=True) for u in users]
    )
    people = len(users)

    # voice
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                partnership=partnership,
                author=rng.choice(users),
                author_kind="member",
                title=f"Idea {n}",
                body="An idea.",
                body_html="<p>An idea.</p>",
                created_at=moment(),
            )
            for n in range(people * 3 // 4)
        ],
        batch_size=2000,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                idea=rng.choice(ideas), author=rng.choice(users), author_kind="member", body="Yes.", created_at=moment()
            )
            for _ in range(people * 2)
        ],
        batch_size=2000,
    )
    Support.objects.bulk_create(
        [Support(idea=idea, user=user, created_at=moment()) for idea in ideas for user in rng.sample(users, 5)],
        batch_size=2000,
        ignore_conflicts=True,
    )
    Response.objects.bulk_create(
        [
            Response(idea=idea, status="done", previous_status="new", text="Done.", created_at=moment())
            for idea in rng.sample(ideas, len(ideas) // 5)
        ],
        batch_size=2000,
    )

    # conversations
    votes: list[Any] = []
    for c in range(10):
        conversation = Conversation.objects.create(partnership=partnership, topic=f"Topic {c}", opens_at=year_start)
        statements = Statement.objects.bulk_create(
            [
                Statement(
                    conversation=conversation, number=n, text=f"S{c}-{n}", text_key=f"s{c}-{n}", created_at=moment()
                )
                for n in range(30)
            ]
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(conversation=conversation, user=user, number=n)
                for n, user in enumerate(rng.sample(users, people // 10))
            ]
        )
        votes += [
            VoteEvent(
                participant=p, statement=s, conversation=conversation, value=rng.choice((-1, 0, 1)), cast_at=moment()
            )
            for p in participants
            for s in rng.sample(statements, 20)
        ]
    VoteEvent.objects.bulk_create(votes, batch_size=5000)

    # decisions
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                partnership=partnership,
                kind="everyday",
                method="consent",
                title=f"Decision {n}",
                participants="everyone",
                closes_at=moment(),
                status="closed",
                closed_at=moment(),
            )
            for n in range(30)
        ]
    )
    Participation.objects.bulk_create(
        [
            Participation(decision=d, user=u, is_member=True, position="agree", created_at=moment())
            for d in decisions
            for u in rng.sample(users, people // 20)
        ],
        batch_size=5000,
    )

    # learning
    events = Event.objects.bulk_create(
        [
            Event(
                partnership=partnership,
                kind="learning",
                title=f"Session {n}",
                starts_at=(start := moment()),
                ends_at=start + timedelta(hours=2),
                host=rng.choice(organisations),
            )
            for n in range(400)
        ]
    )
    registrations: list[Any] = []
    attendances: list[Any] = []
    for event in events:
        for position, user in enumerate(rng.sample(users, 15), start=1):
            registrations.append(Registration(event=event, user=user, status="registered", position=position))
            if position <= 12:
                attendances.append(Attendance(event=event, user=user, present=True, minutes=120, is_member=True))
    Registration.objects.bulk_create(registrations, batch_size=5000)
    Attendance.objects.bulk_create(attendances, batch_size=5000)

    # support
    areas = [
        OutcomeArea.objects.create(partnership=partnership, key=f"area-{n}", name=f"Area {n}", order=n)
        for n in range(8)
    ]
    plans = SupportPlan.objects.bulk_create(
        [
            SupportPlan(partnership=partnership, member=m, created_at=year_start - timedelta(days=rng.randrange(400)))
            for m in rng.sample(memberships, people * 3 // 5)
        ],
        batch_size=2000,
    )
    checkins = CheckIn.objects.bulk_create(
        [
            CheckIn(plan=plan, date=date(2025, month, 15), agreed_at=year_start)
            for plan in plans
            for month in rng.sample(range(1, 13), 4)
        ],
        batch_size=5000,
    )
    Rating.objects.bulk_create(
        [Rating(checkin=c, area=a, agreed=rng.randint(1, 10)) for c in checkins for a in areas], batch_size=10000
    )
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                partnership=partnership,
                plan=plan,
                service=(service := rng.choice(services)),
                organisation_id=service.organisation_id,
                member_agreed_at=(made := moment()),
                created_at=made,
            )
            for plan in plans
            for _ in range(rng.randint(0, 3))
        ],
        batch_size=5000,
    )
    ReferralUpdate.objects.bulk_create(
        [
            ReferralUpdate(referral=r, status=status, at=r.created_at + timedelta(days=step * 7))
            for r in referrals
            for step, status in enumerate(("sent", "accepted", "completed"))
        ],
        batch_size=5000,
    )

    # fund
    for n, organisation in enumerate(organisations * 10):
        Contribution.objects.create(
            partnership=partnership,
            organisation=organisation,
            kind="money" if n % 3 else "in_kind",
            description="Money",
            value_pence=rng.randint(100, 10_000) * 100,
            received_at=moment(),
        )
    round_ = Round.objects.create(
        partnership=partnership,
        title="Round",
        budget_pence=100_000_00,
        proposals_from=year_start,
        review_from=year_start + timedelta(days=10),
        voting_from=year_start + timedelta(days=20),
        results_from=year_start + timedelta(days=30),
        delivery_from=year_start + timedelta(days=40),
    )
    for n in range(40):
        proposal = Proposal.objects.create(
            round=round_,
            title=f"P{n}",
            description="P",
            beneficiaries="Parents",
            cost_pence=1000_00,
            proposed_cost_pence=1000_00,
        )
        award = Award.objects.create(
            partnership=partnership,
            round=round_,
            proposal=proposal,
            amount_pence=1000_00,
            organisation=rng.choice(organisations),
            awarded_at=moment(),
        )
        AwardPayment.objects.bulk_create(
            [AwardPayment(award=award, amount_pence=250_00, paid_at=moment()) for _ in range(3)]
        )
    Spending.objects.bulk_create(
        [
            Spending(
                partnership=partnership,
                category="participation",
                amount_pence=rng.randint(10, 60) * 100,
                description="Paid time",
                source_key=f"bench-{stamp}-{n}",
                paid_at=moment(),
            )
            for n in range(500)
        ]
    )

    # evaluation
    subjects = [
        Subject.objects.create(
            partnership=partnership,
            kind="service",
            source_key=f"support.service:{s.pk}",
            name=s.name,
            organisation=s.organisation,
        )
        for s in services
    ]
    Answer.objects.bulk_create(
        [
            Answer(
                partnership=partnership,
                subject=rng.choice(subjects),
                period=date(2025, rng.randint(1, 12), 1),
                **{
                    key: rng.choice((None, 1, 2, 3, 4, 5))
                    for key in ("listened", "had_say", "respect", "fitted", "needed", "control")
                },
            )
            for _ in range(people * 3 // 2)
        ],
        batch_size=5000,
    )

    query = ReportQuery(partnership_id=partnership.pk, start=date(2025, 1, 1), end=date(2025, 12, 31))
    sections = report_sections()
    for _ in range(2):
        for section in sections:
            section.tables(query)
    rows: list[dict[str, Any]] = []
    for section in sections:
        with CaptureQueriesContext(connection) as queries:
            section.tables(query)
        if args.show_sql:
            for captured in queries.captured_queries:
                print(f"{section.key} {captured['time']} s: {captured['sql'][:2000]}")
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            section.tables(query)
            timings.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "section": section.key,
                "queries": len(queries),
                "median_ms": round(statistics.median(timings), 1),
                "worst_ms": round(max(timings), 1),
            }
        )
    total = round(sum(row["median_ms"] for row in rows), 1)
    result = {
        "database": connection.vendor,
        "people": people,
        "plans": len(plans),
        "ratings": len(checkins) * len(areas),
        "vote_events": len(votes),
        "sections": rows,
        "total_median_ms": total,
        "under_2_s": total < 2000,
        "load": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{result['database']}: {people} members, {len(plans)} plans, {result['ratings']} ratings, "
            f"{len(votes)} votes; a year; load {result['load']}"
        )
        print("| section | queries | median ms | worst ms |")
        print("|---|--:|--:|--:|")
        for row in rows:
            print(f"| {row['section']} | {row['queries']} | {row['median_ms']} | {row['worst_ms']} |")
        print(f"| all | | {total} | |")
    return 0 if result["under_2_s"] else 1


if __name__ == "__main__":
    sys.exit(main())
