"""A conversation with two clear sides, for the tests of the opinion map's background computation."""

from __future__ import annotations

from typing import Any

from coproduce.conversations import services
from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from tests.factories import MembershipFactory


def two_sided_conversation(coordinator: Any, partnership: Any) -> tuple[Conversation, list[Any], list[Statement]]:
    """Eight statements and sixteen members: the first eight members agree with statements 1–4 and disagree
    with 5–8, the other eight the other way round. Returns the conversation, the members and the statements."""
    conversation = services.conversation_create(actor=coordinator, topic="T", seeds=[f"S{n}" for n in range(8)])
    statements = list(conversation.statements.order_by("number"))
    people = [MembershipFactory(partnership=partnership, is_member=True) for _ in range(16)]
    for index, person in enumerate(people):
        for n, statement in enumerate(statements):
            agree = (n < 4) == (index < 8)
            services.vote_cast(actor=person, statement_id=statement.pk, vote="agree" if agree else "disagree")
    return conversation, people, statements


def assert_counts_match(conversation: Conversation) -> None:
    """The counts progress is read from (ADR 16) equal what they count: the conversation's published
    statements, and each participant's current votes."""
    conversation.refresh_from_db(fields=["published_count"])
    published = Statement.objects.filter(conversation=conversation, status=Statement.Status.PUBLISHED).count()
    assert conversation.published_count == published
    kept = dict(Participant.objects.filter(conversation=conversation).values_list("pk", "votes_cast"))
    counted = {pk: Vote.objects.filter(participant_id=pk).count() for pk in kept}
    assert kept == counted
