"""Reading the person's own votes and what the voting page shows next. Only the person's own: no
selector returns another person's votes."""

from __future__ import annotations

from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from coproduce.conversations.voting import routing
from coproduce.conversations.voting.routing import VotingState
from coproduce.partnerships.models import Membership


def my_votes(membership: Membership, conversation: Conversation) -> dict[int, int]:
    """The person's own current votes: statement id -> value."""
    return dict(
        Vote.objects.filter(conversation=conversation, participant__user_id=membership.user_id).values_list(
            "statement_id", "value"
        )
    )


def voting_state(membership: Membership, conversation: Conversation, *, statement_id: int | None = None) -> VotingState:
    """What the voting page shows: one statement (the one asked for, to change a vote, or the next one,
    chosen by routing priority as Pol.is does; see ``routing``) and the person's progress."""
    return routing.route(conversation.pk, membership.user_id, asked=statement_id)


def my_voted_statements(membership: Membership, conversation: Conversation) -> list[tuple[Statement, int]]:
    mine = my_votes(membership, conversation)
    statements = Statement.objects.filter(pk__in=list(mine), status=Statement.Status.PUBLISHED).order_by("number")
    return [(statement, mine[statement.pk]) for statement in statements]


def participant_for(membership: Membership, conversation: Conversation) -> Participant | None:
    return Participant.objects.filter(conversation=conversation, user_id=membership.user_id).first()
