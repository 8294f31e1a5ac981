"""Every read in conversations, narrowed to what the acting person may see. A selector for one thing
raises ``NotPermitted`` (404) when the person may not see it or it does not exist.

Nobody sees who voted how: no selector returns another person's votes, only the person's own and
aggregates (counts and shares), and the co-production lens leaves out any side of fewer than
MIN_GROUP_SIZE voters on a statement so that nobody's vote can be read off a share. The Pol.is export,
which holds every numbered person's votes, is for coordinators only (the rule ``conversations.export``).

One module per thing (conversations, statements, votes, the lens, the Pol.is export). Callers import
from here."""

from coproduce.conversations.selectors.conversations import (
    conversation_for,
    conversations_visible_to,
    open_conversations,
    snapshot_for,
    vote_totals,
)
from coproduce.conversations.selectors.lens import (
    LENS_TOP,
    MIN_GROUP_SIZE,
    Lens,
    LensRow,
    SideShares,
    coproduction_lens,
    vote_channels,
)
from coproduce.conversations.selectors.polis_export import polis_export, polis_export_file, polis_export_zip
from coproduce.conversations.selectors.statements import (
    my_own_statements,
    statement_for,
    statements_for_moderation,
    statements_visible_to,
)
from coproduce.conversations.selectors.votes import (
    assisted_votes_pending,
    my_voted_statements,
    my_votes,
    participant_for,
    votable_statements,
    voting_state,
)

__all__ = [
    "LENS_TOP",
    "MIN_GROUP_SIZE",
    "Lens",
    "LensRow",
    "SideShares",
    "assisted_votes_pending",
    "conversation_for",
    "conversations_visible_to",
    "coproduction_lens",
    "my_own_statements",
    "my_voted_statements",
    "my_votes",
    "open_conversations",
    "participant_for",
    "polis_export",
    "polis_export_file",
    "polis_export_zip",
    "snapshot_for",
    "statement_for",
    "statements_for_moderation",
    "statements_visible_to",
    "votable_statements",
    "vote_channels",
    "vote_totals",
    "voting_state",
]
