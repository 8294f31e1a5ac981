"""Reading statements: published ones for everyone, and what coordinators and authors also see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from coproduce.conversations.models import Conversation, Statement
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership


def statements_visible_to(membership: Membership, conversation: Conversation) -> QuerySet[Statement]:
    """Published statements for everyone; coordinators also see waiting and taken-out ones, and authors
    their own."""
    qs = Statement.objects.filter(conversation=conversation)
    if membership.is_coordinator:
        return qs
    return qs.filter(Q(status=Statement.Status.PUBLISHED) | Q(author_id=membership.user_id))


def statement_for(membership: Membership, conversation: Conversation, statement_id: int) -> Statement:
    """One statement of the conversation the person may see; ``NotPermitted`` (404) for any other or none."""
    statement = statements_visible_to(membership, conversation).filter(pk=statement_id).first()
    if statement is None:
        raise NotPermitted()
    return statement


def my_own_statements(membership: Membership, conversation: Conversation) -> list[Statement]:
    return list(
        Statement.objects.filter(conversation=conversation, author_id=membership.user_id, is_seed=False).order_by(
            "number"
        )
    )


def statements_for_moderation(membership: Membership, conversation: Conversation) -> dict[str, list[Statement]]:
    if not membership.is_coordinator:
        return {"pending": [], "published": [], "moderated_out": []}
    grouped: dict[str, list[Statement]] = {"pending": [], "published": [], "moderated_out": []}
    for statement in Statement.objects.filter(conversation=conversation).annotate(vote_count=Count("votes")):
        grouped[statement.status].append(statement)
    return grouped
