"""The conversation pages: the list, setting one up, voting one statement at a time, adding statements,
moderation, the report (the opinion map and the co-production lens), and Pol.is export and import.

Each view resolves what it needs through the selectors (NotPermitted, a 404, for what the person may not
see), calls one service for a write, and renders. A ServiceError is shown next to its field (or at the top).

One module per part of the section; what they share is in ``_common``. urls.py imports from here."""

from coproduce.conversations.views.conversations import (
    conversation,
    conversation_edit,
    conversation_new,
    conversations,
    report,
)
from coproduce.conversations.views.moderation import moderation, statement_moderate
from coproduce.conversations.views.polis import conversation_import, export, export_file, export_zip
from coproduce.conversations.views.statements import statement_from_idea, statement_new
from coproduce.conversations.views.votes import my_votes, record_with, vote

__all__ = [
    "conversation",
    "conversation_edit",
    "conversation_import",
    "conversation_new",
    "conversations",
    "export",
    "export_file",
    "export_zip",
    "moderation",
    "my_votes",
    "record_with",
    "report",
    "statement_from_idea",
    "statement_moderate",
    "statement_new",
    "vote",
]
