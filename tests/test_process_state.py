"""What each process keeps in its own memory, held to the bound docs/integrity.md states for it.

Several web servers share one database; each keeps some things in memory. A change made on another server
reaches this one only through the database, so each test makes its change directly in the database (as
another server's write would be seen: never through this process's caches) and checks that this process
sees it within the bound. Time is moved with a fake clock, not with sleeps."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.utils import timezone

from coproduce.accounts import limits
from coproduce.accounts.models import SignInFailures
from coproduce.conversations import selectors, services
from coproduce.conversations.models import Conversation, Snapshot, Statement
from coproduce.conversations.services._common import count_published
from coproduce.conversations.voting import routing
from coproduce.core import sessions
from coproduce.partnerships.models import Membership
from coproduce.partnerships.selectors import COUNTS_CACHE_SECONDS, partnership_counts
from tests.conftest import signed_in
from tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "coproduce"
INTEGRITY = ROOT / "docs" / "integrity.md"


class Clock:
    """``time.time()`` for the modules given, moved by hand."""

    def __init__(self, start: float) -> None:
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The clock the local (in-memory) caches read their expiry times from."""
    import time

    from django.core.cache.backends import base, locmem

    fake = Clock(time.time())
    monkeypatch.setattr(locmem, "time", fake)
    monkeypatch.setattr(base, "time", fake)
    return fake


# --- Routing tables (conversations/voting/routing.py): checked against the database on every vote -------


def _conversation(coordinator: Membership) -> tuple[Conversation, list[Statement]]:
    conversation = services.conversation_create(
        actor=coordinator, topic="Job fairs for parents", seeds=["Mornings suit me.", "Evenings suit me.", "Creche"]
    )
    return conversation, list(conversation.statements.order_by("number"))


def _map(conversation: Conversation, priorities: dict[Statement, float], *, at: Any = None) -> None:
    Snapshot.objects.update_or_create(
        conversation=conversation,
        defaults={
            "result": {},
            "state": {},
            "computed_at": at or timezone.now(),
            "priorities": {str(s.pk): value for s, value in priorities.items()},
        },
    )


@pytest.mark.django_db
def test_a_statement_hidden_on_another_server_is_not_offered_here_at_the_next_vote(
    coordinator: Membership, member: Membership
) -> None:
    conversation, (first, second, third) = _conversation(coordinator)
    _map(conversation, {first: 1e-9, second: 1e-9, third: 1e6})  # this process would nearly always offer the third
    assert selectors.voting_state(member, conversation).statement == third
    kept = routing._tables[conversation.pk]
    # Another server takes the third out. Even with its count not yet changed (the table's key is the same,
    # so this process keeps its table), the query checks each candidate's status in the database.
    Statement.objects.filter(pk=third.pk).update(status=Statement.Status.MODERATED_OUT)
    offered = {selectors.voting_state(member, conversation).statement for _ in range(30)}
    assert third not in offered
    assert offered <= {first, second}
    assert routing._tables[conversation.pk] is kept  # bound 0: no rebuild was needed


@pytest.mark.django_db
def test_a_statement_published_on_another_server_is_in_the_table_from_the_next_vote_or_map(
    coordinator: Membership, member: Membership
) -> None:
    conversation, (first, second, third) = _conversation(coordinator)
    _map(conversation, {first: 1.0, second: 1.0, third: 1.0}, at=timezone.now() - timedelta(minutes=5))
    selectors.voting_state(member, conversation)
    assert sorted(routing._tables[conversation.pk].ids) == sorted(s.pk for s in (first, second, third))
    # Another server publishes one statement and takes one out: the count is the same, so this process's table
    # (its key: the map's time and the count) stays until the next map, which moderation always schedules.
    fourth = Statement.objects.create(conversation=conversation, number=4, text="Weekends", text_key="weekends")
    Statement.objects.filter(pk=first.pk).update(status=Statement.Status.MODERATED_OUT)
    count_published(conversation.pk)
    assert selectors.voting_state(member, conversation).statement in {second, third}
    assert fourth.pk not in routing._tables[conversation.pk].ids  # kept: chances lag until the next map
    _map(conversation, {second: 1.0, third: 1.0, fourth: 1.0})
    selectors.voting_state(member, conversation)
    assert sorted(routing._tables[conversation.pk].ids) == sorted(s.pk for s in (second, third, fourth))
    # A change in the count alone (a statement published elsewhere) is seen at the next vote.
    Statement.objects.filter(pk=first.pk).update(status=Statement.Status.PUBLISHED)
    count_published(conversation.pk)
    state = selectors.voting_state(member, conversation)
    assert state.total == 4
    assert first.pk in routing._tables[conversation.pk].ids


# --- Session hints (core/sessions.py): a guess, checked against the session row every request -----------


@pytest.mark.django_db
def test_a_session_ended_on_another_server_ends_here_at_the_next_request(member: Membership) -> None:
    client = signed_in(member.user)
    home = f"/p/{member.partnership.slug}/"
    assert client.get(home).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert sessions._hints[key] == member.user.pk  # this process remembers whose session it is
    Session.objects.filter(session_key=key).delete()  # signed out on another server
    response = client.get(home)
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


# --- The home page's counts (partnerships/selectors.py): the local cache, at most a minute old ----------


@pytest.mark.django_db
def test_the_home_pages_counts_are_at_most_a_minute_old(clock: Clock, member: Membership) -> None:
    before = partnership_counts(member)
    assert before["people"] == 1
    # Someone joins through another server; this process has the counts in its own cache.
    MembershipFactory(partnership=member.partnership, is_member=True)
    clock.now += COUNTS_CACHE_SECONDS - 1
    assert partnership_counts(member) == before
    clock.now += 1
    assert partnership_counts(member)["people"] == 2
    assert COUNTS_CACHE_SECONDS == 60  # the bound docs/integrity.md states


# --- Session idle time (core/middleware.py): re-saved at most once a minute, in the shared session row ---


@pytest.mark.django_db
def test_a_session_is_touched_in_its_row_at_most_once_a_minute(monkeypatch: pytest.MonkeyPatch, member: Any) -> None:
    from coproduce.core import middleware
    from coproduce.core.sessions import SessionStore

    fake = Clock(1_900_000_000.0)
    monkeypatch.setattr(middleware, "time", fake)
    client = signed_in(member.user)
    home = f"/p/{member.partnership.slug}/"
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    def touched() -> Any:
        return SessionStore(key).load().get("_touched")  # as another server reads the row

    assert client.get(home).status_code == 200
    assert touched() == 1_900_000_000
    fake.now += middleware.SessionIdleTimeoutMiddleware.TOUCH_EVERY_SECONDS - 1
    client.get(home)
    assert touched() == 1_900_000_000
    fake.now += 1
    client.get(home)
    assert touched() == 1_900_000_060


# --- Limiter counts: in the database (sign-in steps, the API) or the shared cache (allauth) --------------


@pytest.mark.django_db
def test_sign_in_failures_counted_on_another_server_make_this_one_wait() -> None:
    rule = limits.AUTHENTICATOR_CODE
    now = timezone.now()
    # Another server counted enough failures for one account: its row is all this process has to go on.
    for _ in range(rule.account_limit.failures_allowed):
        limits.failure_record(rule, account="person:7", address="192.0.2.1")
    assert SignInFailures.objects.count() == 2  # the account's count and the address's
    wait = limits.waiting(rule, account="person:7", address="198.51.100.2", now=now)
    assert wait is not None and wait > timedelta(0)


def test_what_processes_must_share_is_in_a_shared_store() -> None:
    # allauth counts its limits in the default cache, and remembers used authenticator codes there.
    assert isinstance(caches["default"], DatabaseCache)
    from axes.conf import settings as axes_settings

    assert axes_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


# --- The inventory: every per-process cache in the code is in docs/integrity.md with its bound ----------

_PROCESS_CACHES = re.compile(
    r"lru_cache|functools\.cache\b|^@cache\b|caches\[\"(local|template_fragments)\"\]|built_once\(|"
    r"threading\.Lock\(\)|\{% cache ",
    re.MULTILINE,
)


def test_every_per_process_cache_is_listed_with_its_bound() -> None:
    listed = INTEGRITY.read_text(encoding="utf-8")
    sources = [p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".html") and "migrations" not in p.parts]
    found = sorted(str(p.relative_to(PACKAGE)) for p in sources if _PROCESS_CACHES.search(p.read_text()))
    assert found, "the pattern finds nothing: it is broken"
    assert "core/reversing.py" in found and "templates/base.html" in found
    missing = [path for path in found if f"`{path}`" not in listed]
    assert missing == [], f"per-process state not listed in docs/integrity.md: {missing}"
