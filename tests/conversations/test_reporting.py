"""Conversations' report figures (``conversations.reporting``): conversations open in the period, statements
added, votes cast and the people who voted; inside the period only, for the partnership asked about only, in
a fixed number of queries, never with a statement's words."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from coproduce.accounts.models import User
from coproduce.conversations.models import Conversation, Participant, Statement, VoteEvent, statement_key
from coproduce.partnerships.models import Partnership
from tests.factories import PartnershipFactory, UserFactory
from tests.reports.figures_support import (
    AFTER,
    BEFORE,
    FIRST_MOMENT,
    INSIDE,
    LAST_MOMENT,
    queries_for,
    query,
    section,
    values,
    words,
)

pytestmark = pytest.mark.django_db

KEY = "conversations.participation"
_numbers = itertools.count(1)


def _conversation(
    partnership: Partnership, opens_at: dt.datetime, closes_at: dt.datetime | None = None, topic: str = "Childcare"
) -> Conversation:
    return Conversation.objects.create(partnership=partnership, topic=topic, opens_at=opens_at, closes_at=closes_at)


def _statement(conversation: Conversation, at: dt.datetime, text: str = "") -> Statement:
    text = text or f"Statement {next(_numbers)}"
    return Statement.objects.create(
        conversation=conversation, number=next(_numbers), text=text, text_key=statement_key(text), created_at=at
    )


def _vote(statement: Statement, user: User | None, at: dt.datetime) -> VoteEvent:
    participant, _created = Participant.objects.get_or_create(
        conversation=statement.conversation, user=user, defaults={"number": next(_numbers)}
    )
    return VoteEvent.objects.create(
        participant=participant, statement=statement, conversation=statement.conversation, value=1, cast_at=at
    )


def test_counts_what_happened_in_the_period_and_nothing_else(partnership: Partnership) -> None:
    long_ago = BEFORE - dt.timedelta(days=60)
    running = _conversation(partnership, long_ago)  # open all along
    _conversation(partnership, long_ago, closes_at=BEFORE)  # closed before the period
    _conversation(partnership, long_ago, closes_at=FIRST_MOMENT + dt.timedelta(hours=1))  # open its first hour
    _conversation(partnership, LAST_MOMENT)  # opened in its last minute
    _conversation(partnership, AFTER)  # opens after it
    inside = _statement(running, INSIDE)
    _statement(running, FIRST_MOMENT)
    early = _statement(running, BEFORE)
    _statement(running, AFTER)
    amina, bea = UserFactory(), UserFactory()
    _vote(inside, amina, INSIDE)
    _vote(inside, amina, LAST_MOMENT)  # she changed her vote: a second vote cast
    _vote(early, bea, BEFORE)
    _vote(early, bea, AFTER)
    # Another partnership's conversation, statements and votes never count.
    other = _conversation(PartnershipFactory(), long_ago)
    _vote(_statement(other, INSIDE), UserFactory(), INSIDE)

    found = values(section(KEY).tables(query(partnership.pk)))

    assert found[f"{KEY}/conversations"] == 3
    assert found[f"{KEY}/statements"] == 2
    assert found[f"{KEY}/votes"] == 2
    assert found[f"{KEY}/voters"] == 1


def test_people_imported_without_an_account_count_as_voters(partnership: Partnership) -> None:
    conversation = _conversation(partnership, BEFORE)
    statement = _statement(conversation, INSIDE)
    for number in (901, 902):
        participant = Participant.objects.create(conversation=conversation, user=None, number=number)
        VoteEvent.objects.create(
            participant=participant, statement=statement, conversation=conversation, value=-1, cast_at=INSIDE
        )
    _vote(statement, UserFactory(), INSIDE)

    assert values(section(KEY).tables(query(partnership.pk)))[f"{KEY}/voters"] == 3


def test_no_statement_or_topic_words_in_the_tables(partnership: Partnership) -> None:
    conversation = _conversation(partnership, BEFORE, topic="Zzyzx topic")
    _vote(_statement(conversation, INSIDE, text="Quixotic statement a parent wrote"), UserFactory(), INSIDE)

    seen = words(section(KEY).tables(query(partnership.pk)))

    assert "Zzyzx" not in seen
    assert "Quixotic" not in seen


def _activity(partnership: Partnership, n: int) -> None:
    conversation = _conversation(partnership, BEFORE)
    for _ in range(n):
        _vote(_statement(conversation, INSIDE), UserFactory(), INSIDE)


def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership) -> None:
    bigger = PartnershipFactory()
    _activity(partnership, 1)
    _activity(bigger, 50)

    one = queries_for(lambda: section(KEY).tables(query(partnership.pk)))
    fifty = queries_for(lambda: section(KEY).tables(query(bigger.pk)))

    assert one == fifty <= 3
    assert values(section(KEY).tables(query(bigger.pk)))[f"{KEY}/voters"] == 50
