"""Votes under real concurrency on PostgreSQL: threads with their own connections, all at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coproduce.conversations import services
from coproduce.conversations.models import Participant, Vote, VoteEvent
from coproduce.core.exceptions import ServiceError
from tests.conversations.voting import assert_counts_match
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership
from tests.partnerships.test_concurrency import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"),
]


def _conversation(statements: int = 3) -> Any:
    partnership = PartnershipFactory()
    coordinator = staff_membership(partnership, role="coordinator")
    return services.conversation_create(
        actor=coordinator, topic="Job fairs", seeds=[f"Statement {n}" for n in range(statements)]
    )


def test_one_person_voting_in_eight_tabs_at_once_leaves_one_vote_and_one_participant() -> None:
    conversation = _conversation()
    member = MembershipFactory(partnership=conversation.partnership, is_member=True)
    statement = conversation.statements.first()
    choices = ["agree", "disagree", "pass", "agree"] * 2
    results = run_at_once(
        [lambda v=v: services.vote_cast(actor=member, statement_id=statement.pk, vote=v) for v in choices]
    )
    assert all(isinstance(r, Vote) for r in results), results
    assert Vote.objects.filter(statement=statement).count() == 1
    assert Participant.objects.filter(conversation=conversation).count() == 1
    # Every vote is in the history, and the latest in it is the one that stands.
    history = list(VoteEvent.objects.filter(statement=statement).order_by("cast_at", "pk"))
    assert len(history) == len(choices)
    assert history[-1].value == Vote.objects.get(statement=statement).value
    assert history[-1].cast_at == Vote.objects.get(statement=statement).updated_at
    assert_counts_match(conversation)  # one new vote, counted once


def test_a_person_who_has_voted_before_voting_in_eight_tabs_at_once_keeps_the_history_in_order() -> None:
    """Their participant row exists, so each vote is the one-statement path (ADR 15), all at once."""
    conversation = _conversation()
    member = MembershipFactory(partnership=conversation.partnership, is_member=True)
    first, statement = list(conversation.statements.order_by("number"))[:2]
    services.vote_cast(actor=member, statement_id=first.pk, vote="agree")
    with CaptureQueriesContext(connection) as queries:
        services.vote_cast(actor=member, statement_id=first.pk, vote="pass")
    # One statement reads, locks and writes both rows (what follows is the map's update, run at once in tests).
    writes = [q["sql"] for q in queries if 'INTO "conversations_vote' in q["sql"]]
    assert len(writes) == 1 and 'INTO "conversations_voteevent"' in writes[0] and "FOR UPDATE" in writes[0]
    assert queries[0]["sql"] == writes[0]
    choices = ["disagree", "agree", "pass", "disagree"] * 2
    results = run_at_once(
        [lambda v=v: services.vote_cast(actor=member, statement_id=statement.pk, vote=v) for v in choices]
    )
    assert all(isinstance(r, Vote) for r in results), results
    current = Vote.objects.get(statement=statement)
    history = list(VoteEvent.objects.filter(statement=statement).order_by("cast_at", "pk"))
    assert len(history) == len(choices)
    assert (history[-1].value, history[-1].cast_at) == (current.value, current.updated_at)
    assert sorted(r.pk for r in results) == [current.pk] * len(choices)
    assert_counts_match(conversation)  # eight writes of one vote in one statement each: counted once
    assert Participant.objects.get(conversation=conversation).votes_cast == 2


def test_twelve_people_voting_at_once_get_twelve_votes_and_distinct_numbers() -> None:
    conversation = _conversation()
    people = [MembershipFactory(partnership=conversation.partnership, is_member=True) for _ in range(12)]
    statements = list(conversation.statements.all())
    calls = [
        (lambda p=p, s=s: services.vote_cast(actor=p, statement_id=s.pk, vote="agree"))
        for p in people
        for s in statements
    ]
    results = run_at_once(calls)
    assert all(isinstance(r, Vote) for r in results), [r for r in results if not isinstance(r, Vote)]
    assert Vote.objects.filter(conversation=conversation).count() == 12 * len(statements)
    numbers = list(Participant.objects.filter(conversation=conversation).values_list("number", flat=True))
    assert sorted(numbers) == list(range(12))
    assert_counts_match(conversation)


def test_two_people_adding_the_same_statement_at_once_leave_one() -> None:
    conversation = _conversation()
    people = [MembershipFactory(partnership=conversation.partnership, is_member=True) for _ in range(6)]
    results = run_at_once(
        [
            lambda p=p: services.statement_add(actor=p, conversation=conversation, text="Crèche at every fair")
            for p in people
        ]
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, ServiceError) and r.code == "duplicate" for r in results if isinstance(r, Exception))
    assert conversation.statements.filter(text="Crèche at every fair").count() == 1
    assert_counts_match(conversation)


def test_statements_added_taken_out_and_put_back_at_once_keep_the_published_count() -> None:
    conversation = _conversation(statements=6)
    coordinator = staff_membership(conversation.partnership, role="coordinator")
    people = [MembershipFactory(partnership=conversation.partnership, is_member=True) for _ in range(4)]
    existing = list(conversation.statements.order_by("number"))
    calls: list[Any] = [
        lambda s=s, n=n: services.statement_moderate(actor=coordinator, statement=s, publish=n % 2 == 1)
        for n, s in enumerate(existing)
    ]
    calls += [
        lambda p=p, n=n: services.statement_add(actor=p, conversation=conversation, text=f"New statement {n}")
        for n, p in enumerate(people)
    ]
    results = run_at_once(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    assert_counts_match(conversation)
    assert conversation.published_count == 3 + 4
