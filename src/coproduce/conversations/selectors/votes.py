"""Reading the person's own votes and what the voting page shows next. Only the person's own: no
selector returns another person's votes."""

from __future__ import annotations

from django.db.models import Count, Max, Min

from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from coproduce.conversations.voting import routing
from coproduce.conversations.voting.routing import VotingState
from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.assisted import AssistedItem, Channel
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


def votable_statements(conversation: Conversation) -> list[Statement]:
    """The published statements, in order: what a keyworker goes through with a member (her own votes are not
    shown to anyone else)."""
    return list(
        Statement.objects.filter(conversation=conversation, status=Statement.Status.PUBLISHED).order_by("number")
    )


def assisted_votes_pending(membership: Membership) -> list[AssistedItem]:
    """Per conversation, the votes a keyworker recorded with this member that she has not confirmed or changed."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import ngettext

    rows = list(
        Vote.objects.filter(
            conversation__partnership_id=membership.partnership_id,
            participant__user_id=membership.user_id,
            confirmed_at__isnull=True,
        )
        .exclude(channel=Channel.SELF)
        .values("conversation_id", "conversation__topic")
        .annotate(n=Count("pk"), at=Max("updated_at"), by=Min("recorded_by_id"))
        .order_by()
    )
    names = {
        user.pk: user.name for user in get_user_model().objects.filter(pk__in=[row["by"] for row in rows if row["by"]])
    }
    slug = membership.partnership.slug
    return [
        AssistedItem(
            kind="conversations.votes",
            item_id=row["conversation_id"],
            summary=ngettext("Your vote in “%(topic)s”", "Your %(n)d votes in “%(topic)s”", row["n"])
            % {"n": row["n"], "topic": row["conversation__topic"]},
            recorded_by_name=names.get(row["by"], ""),
            recorded_at=row["at"],
            change_url=cached_reverse(
                "conversations:my-votes", kwargs={"slug": slug, "conversation_id": row["conversation_id"]}
            ),
        )
        for row in rows
    ]
