"""Every write in conversations: keyword-only, the acting membership first, permission checked, one
transaction, an audit event where it matters, the snapshot computation enqueued on commit.

One module per thing a conversation is made of (conversations, statements, moderation, votes, snapshots,
the Pol.is import); what adding a statement shares is in ``_common``. Callers import from here.

Votes are the hot path: ``vote_cast`` checks the permission and the value, ``voting.casting`` stores the
vote (whether the statement takes it is ``voting.rule``'s), and a snapshot is asked for after the commit."""

from coproduce.conversations.services._common import MAX_SEEDS, seed_lines, statement_text_clean
from coproduce.conversations.services.conversations import conversation_create, conversation_update
from coproduce.conversations.services.moderation import statement_moderate
from coproduce.conversations.services.polis_import import conversation_import
from coproduce.conversations.services.snapshots import SNAPSHOT_INTERVAL, snapshot_overdue, snapshot_schedule
from coproduce.conversations.services.statements import statement_add, statement_seed
from coproduce.conversations.services.votes import (
    VOTE_VALUES,
    vote_cast,
    vote_value,
    votes_assisted_confirm,
    votes_record_with,
)

__all__ = [
    "MAX_SEEDS",
    "SNAPSHOT_INTERVAL",
    "VOTE_VALUES",
    "conversation_create",
    "conversation_import",
    "conversation_update",
    "seed_lines",
    "snapshot_overdue",
    "snapshot_schedule",
    "statement_add",
    "statement_moderate",
    "statement_seed",
    "statement_text_clean",
    "vote_cast",
    "vote_value",
    "votes_assisted_confirm",
    "votes_record_with",
]
