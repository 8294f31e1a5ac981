"""Every query of the busy list pages, on national-scale data, reads big tables through an index.

Runs only with ``-m scale`` and ``COPRODUCE_SCALE_DB`` naming a PostgreSQL database filled by
``coproduce generate-load-data`` (docs/scale.md); it is skipped otherwise. Why on real volume and not on a
small data set made to look big: the planner decides from the tables' statistics, their sizes on disk and the
distribution of values together, and a few thousand rows with doctored statistics still tempt it to read a
small table whole (rightly), so a test on small data either passes for nothing or fails for nothing.

The test does not create a test database: it runs on the named one, inside a transaction rolled back at the
end (the sessions, audit rows and authenticators the visits write disappear). For each role of the biggest
generated partnership it requests the list pages with ``CaptureQueriesContext``, runs ``EXPLAIN (FORMAT JSON)``
on every SELECT the pages ran, and fails on any ``Seq Scan`` of a table with more than ``BIG`` rows (its
``pg_class.reltuples``), naming the page, the table and the query, except the ones listed in ``KNOWN``.

    COPRODUCE_SCALE_DB=postgres://postgres@127.0.0.1:5432/coproduce_scale \\
        uv run pytest -m scale tests/core/test_scale_explain.py -p no:randomly
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from tests.conftest import signed_in

SCALE_DB = os.environ.get("COPRODUCE_SCALE_DB", "")
BIG = int(os.environ.get("COPRODUCE_SCALE_BIG", "10000"))  # rows: a sequential scan of a bigger table fails
SLUG = "load-1-1"  # the biggest partnership that generate-load-data --seed 1 makes
REPORT = os.environ.get("COPRODUCE_SCALE_REPORT", "")  # a file to which each failure's query and plan are added

# Sequential scans found on the generated data that no index removes (the query needs a large share of the
# table for the biggest partnership, so reading it whole is the planner's right choice) and that are left for a
# change of the page itself (docs/scale.md, "What the EXPLAIN test found"). Keyed by the page's URL name and
# the table; nothing else may be added here without such an entry in docs/scale.md.
KNOWN: dict[tuple[str, str], str] = {
    ("partnerships:people", "accounts_user"): "sorts all the partnership's people by name for a page of 50",
    ("voice:idea", "accounts_user"): "an idea's comments are not paged: 5 000 comments join their authors",
    ("support:home", "accounts_user"): "the caseload joins every plan of the partnership to its member",
    ("support:home", "partnerships_membership"): "the same caseload query",
    ("voice:equal-voice", "voice_comment"): "counts every comment of the partnership",
    ("conversations:report", "conversations_participant"): "joins every vote of the conversation to its voter",
}

# Skipped in CI on purpose: the test needs a database of national-scale data (about 40 minutes to generate,
# 2 GB and more), because on small tables a full scan is the planner's right choice and proves nothing.
# Run it by hand after `coproduce generate-load-data` (docs/scale.md, "The EXPLAIN test").
pytestmark = [
    pytest.mark.scale,
    pytest.mark.skipif(not SCALE_DB, reason="COPRODUCE_SCALE_DB is not set (national-scale data; docs/scale.md)"),
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker: Any) -> None:
    """Use the generated database as it is (no test database is made): point the connection at it."""
    from dj_database_url import parse

    wanted = parse(SCALE_DB)
    with django_db_blocker.unblock():
        for conn in connections.all():
            conn.close()
        settings_dict = connections["default"].settings_dict
        for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
            settings_dict[key] = wanted[key]
        assert connection.vendor == "postgresql", "the scale test needs PostgreSQL"


def _pages(slug: str, role: str, membership: Any) -> list[str]:
    """The list pages (and the busiest single pages) that each role opens, as paths of the biggest partnership."""
    from coproduce.conversations.models import Conversation
    from coproduce.fund.models import Round
    from coproduce.learning.models import Event
    from coproduce.support.models import SupportPlan
    from coproduce.voice.models import Idea

    ideas = Idea.objects.filter(partnership__slug=slug)
    idea = ideas.order_by("-comment_count").values_list("pk", flat=True).first()
    conversation = Conversation.objects.filter(partnership__slug=slug).values_list("pk", flat=True).first()
    fund_round = Round.objects.filter(partnership__slug=slug).values_list("pk", flat=True).first()
    event = Event.objects.filter(partnership__slug=slug).order_by("-starts_at").values_list("pk", flat=True).first()
    plan = SupportPlan.objects.filter(member=membership).values_list("pk", flat=True).first()
    s = {"slug": slug}
    paths = [
        reverse("partnerships:home", kwargs=s),
        reverse("partnerships:people", kwargs=s),
        reverse("voice:ideas", kwargs=s),
        reverse("voice:ideas", kwargs=s) + "?sort=supported",
        reverse("voice:ideas", kwargs=s) + "?sort=active",
        reverse("voice:ideas", kwargs=s) + "?page=50",
        reverse("voice:idea", kwargs={**s, "idea_id": idea}),
        reverse("voice:you-said-we-did", kwargs=s),
        reverse("conversations:list", kwargs=s),
        reverse("conversations:detail", kwargs={**s, "conversation_id": conversation}),
        reverse("fund:rounds", kwargs=s),
        reverse("fund:round", kwargs={**s, "round_id": fund_round}),
        reverse("fund:results", kwargs={**s, "round_id": fund_round}),
        reverse("learning:events", kwargs=s),
        reverse("learning:event", kwargs={**s, "event_id": event}),
        reverse("support:home", kwargs=s),
        reverse("notifications:inbox", kwargs=s),
    ]
    if plan is not None:
        paths.append(reverse("support:plan", kwargs={**s, "plan_id": plan}))
        paths.append(reverse("support:history", kwargs={**s, "plan_id": plan}))
    if role == "coordinator":
        paths += [
            reverse("voice:moderation", kwargs=s),
            reverse("voice:equal-voice", kwargs=s),
            reverse("conversations:report", kwargs={**s, "conversation_id": conversation}),
            reverse("learning:attendance", kwargs={**s, "event_id": event}),
            reverse("partnerships:audit", kwargs=s),
            reverse("support:figures", kwargs=s),
        ]
    return paths


def _people(slug: str) -> dict[str, Any]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from coproduce.partnerships.models import Membership
    from coproduce.support.models import SupportPlan

    memberships = Membership.objects.filter(partnership__slug=slug).select_related("user")
    # The member whose plan has the longest history, so that her plan pages are the heaviest.
    plan = SupportPlan.objects.filter(partnership__slug=slug, member__isnull=False).order_by("-pk").first()
    member = plan.member if plan else memberships.filter(is_member=True).first()
    people = {
        "member": member,
        "worker": memberships.filter(is_worker=True).first(),
        "coordinator": memberships.filter(is_coordinator=True).first(),
    }
    for membership in people.values():
        assert membership is not None, f"no such person in {slug}: run generate-load-data --seed 1"
        if membership.is_staff_role and not Authenticator.objects.filter(user=membership.user).exists():
            TOTP.activate(membership.user, generate_totp_secret())
    return people


def _seq_scans(plan: Any) -> Iterator[str]:
    if isinstance(plan, dict):
        if plan.get("Node Type") == "Seq Scan":
            yield plan["Relation Name"]
        for value in plan.values():
            yield from _seq_scans(value)
    elif isinstance(plan, list):
        for value in plan:
            yield from _seq_scans(value)


@pytest.mark.django_db
def test_no_list_page_reads_a_big_table_whole() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [BIG])
        big = {name: int(rows) for name, rows in cursor.fetchall()}
    assert big, f"no table has more than {BIG} rows: is this the generated database (and ANALYZEd)?"
    people = _people(SLUG)
    explained: dict[str, str] = {}  # SQL → the first page that ran it
    failures = []
    pages = 0
    for role, membership in people.items():
        client = signed_in(membership.user)
        for path in _pages(SLUG, role, membership):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code in (200, 302, 404), f"{role} {path}: {response.status_code}"
            pages += 1
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or sql in explained:
                    continue
                explained[sql] = f"{role} {path}"
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                    plan = cursor.fetchone()[0]
                for table in _seq_scans(plan):
                    if table in big and (resolve(path.split("?")[0]).view_name, table) not in KNOWN:
                        failures.append(f"{role} {path}: Seq Scan on {table} ({big[table]:,} rows)\n    {sql[:400]}")
                        if REPORT:
                            with open(REPORT, "a") as report:
                                report.write(f"== {role} {path} {table}\n{sql}\n{json.dumps(plan, indent=1)}\n")
    assert pages > 40
    assert len(explained) > 50, "too few queries were captured to mean anything"
    assert not failures, f"{len(failures)} sequential scans of big tables:\n" + "\n".join(failures)
