"""The counts conversations keep on rows (ADR 16), registered for ``coproduce check-counts``."""

from coproduce.conversations.models import Conversation, Participant, Statement, Vote
from coproduce.partnerships.kept_counts import KeptCount, count_of, register_kept_count

PUBLISHED = KeptCount(
    key="conversations.conversation.published_count",
    model=Conversation,
    field="published_count",
    recount=count_of(Statement, "conversation", status=Statement.Status.PUBLISHED),
    partnership="partnership_id",
    counts="the conversation's published statements",
)
VOTES_CAST = KeptCount(
    key="conversations.participant.votes_cast",
    model=Participant,
    field="votes_cast",
    recount=count_of(Vote, "participant"),
    partnership="conversation__partnership_id",
    counts="the statements the participant has a vote on, whatever their status",
)


def register() -> None:
    register_kept_count(PUBLISHED)
    register_kept_count(VOTES_CAST)
