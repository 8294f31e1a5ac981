"""Votes, the hot path: ``vote_cast`` checks the permission and the value, ``voting.casting`` stores the
vote (whether the statement takes it is ``voting.rule``'s), and a snapshot is asked for after the commit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.conversations.models import Vote
from coproduce.conversations.services.snapshots import snapshot_overdue, snapshot_schedule
from coproduce.conversations.voting import casting
from coproduce.core.exceptions import ServiceError
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Membership

VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


def vote_value(word: str) -> int:
    """ "agree", "disagree" or "pass" as the stored value; anything else is refused."""
    try:
        return int(VOTE_VALUES[word])
    except (KeyError, TypeError):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote") from None


def vote_cast(*, actor: Membership, statement_id: int, vote: str | int, conversation_id: int | None = None) -> Vote:
    """Record (or change) the person's vote on a statement: agree, disagree or pass. With
    ``conversation_id``, a statement of another conversation is refused as missing."""
    require_rule("conversations.vote", actor)
    value = vote_value(vote) if isinstance(vote, str) else vote
    if value not in (Vote.Value.AGREE, Vote.Value.DISAGREE, Vote.Value.PASS):
        raise ServiceError(_("Choose agree, disagree or pass."), field="vote", code="invalid_vote")
    stored = casting.cast(actor=actor, statement_id=statement_id, value=value, conversation_id=conversation_id)
    conversation = stored.conversation
    if conversation.snapshot_due_at is None or snapshot_overdue(conversation.snapshot_due_at):
        # After the commit, in its own statement: the vote's transaction never writes the conversation
        # row that every other vote's foreign key check reads (that made deadlocks under load).
        transaction.on_commit(lambda: snapshot_schedule(conversation))
    return stored
