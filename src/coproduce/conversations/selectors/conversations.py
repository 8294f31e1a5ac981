"""Reading conversations: the partnership's list, the open ones for the home page, one conversation,
its snapshot and its totals."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from coproduce.conversations.models import Conversation, Participant, Snapshot, Statement, Vote
from coproduce.conversations.voting import rule
from coproduce.core.db import prepared_raw
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.models import Membership


def _count_subquery(qs: QuerySet[Any], column: str) -> Any:
    return Coalesce(
        Subquery(qs.order_by().values(column).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        0,
    )


def conversations_visible_to(membership: Membership) -> QuerySet[Conversation]:
    """The partnership's conversations with their statement and participant counts and how many
    statements this person has voted on: four queries' worth of work in one."""
    published = Statement.objects.filter(conversation=OuterRef("pk"), status=Statement.Status.PUBLISHED)
    people = Participant.objects.filter(conversation=OuterRef("pk"))
    mine = Vote.objects.filter(
        conversation=OuterRef("pk"),
        participant__user_id=membership.user_id,
        statement__status=Statement.Status.PUBLISHED,
    )
    return (
        Conversation.objects.filter(partnership_id=membership.partnership_id)
        .annotate(
            statement_count=_count_subquery(published, "conversation"),
            participant_count=_count_subquery(people, "conversation"),
            my_vote_count=_count_subquery(mine, "conversation"),
        )
        .order_by("-created_at", "-id")
    )


# The home page's conversations section, on every home page: written once as SQL (only quoted table names are
# put into the text; values are parameters), as the vote path's reads are (ADR 8, ADR 13). The ORM built its two
# counting subqueries afresh each time, a fifth of the home page's CPU.
_OPEN_CONVERSATIONS_SQL = (
    "SELECT {columns}, "
    "(SELECT COUNT(*) FROM {statements} s WHERE s.conversation_id = c.id AND s.status = %s) AS statement_count, "
    "(SELECT COUNT(*) FROM {votes} v "
    "INNER JOIN {statements} vs ON vs.id = v.statement_id "
    "INNER JOIN {participants} p ON p.id = v.participant_id "
    "WHERE v.conversation_id = c.id AND p.user_id = %s AND vs.status = %s) AS my_vote_count "
    "FROM {conversations} c "
    "WHERE c.partnership_id = %s AND {open} "
    "ORDER BY c.created_at DESC, c.id DESC LIMIT %s"
)


def open_conversations(membership: Membership, *, limit: int = 3) -> list[Conversation]:
    """The newest conversations open for votes now (for the home page), with their published statement
    count and how many of them this person has voted on (``tests/conversations/test_views.py`` holds it to
    the same counts in the ORM)."""
    qn = connection.ops.quote_name
    sql = _OPEN_CONVERSATIONS_SQL.format(
        statements=qn(Statement._meta.db_table),
        votes=qn(Vote._meta.db_table),
        participants=qn(Participant._meta.db_table),
        conversations=qn(Conversation._meta.db_table),
        columns=", ".join(f"c.{qn(field.column)}" for field in Conversation._meta.concrete_fields),
        open=rule.open_sql("c"),
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    published = Statement.Status.PUBLISHED.value
    params = [published, membership.user_id, published, membership.partnership_id, now, now, limit]
    return list(prepared_raw(Conversation, sql, params))


def conversation_for(membership: Membership, conversation_id: int) -> Conversation:
    """One conversation of the person's partnership; ``NotPermitted`` (404) for any other or none."""
    conversation = (
        Conversation.objects.filter(partnership_id=membership.partnership_id, pk=conversation_id)
        .select_related("partnership")
        .first()
    )
    if conversation is None:
        raise NotPermitted()
    return conversation


def snapshot_for(conversation: Conversation) -> Snapshot | None:
    return Snapshot.objects.filter(conversation=conversation).first()


def vote_totals(conversation: Conversation) -> dict[str, int]:
    return Vote.objects.filter(conversation=conversation).aggregate(
        votes=Count("pk"), participants=Count("participant", distinct=True)
    )
