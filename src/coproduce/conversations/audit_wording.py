"""What conversations' audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "conversations.created": gettext_lazy("%(who)s started the conversation “%(what)s”."),
    "conversations.changed": gettext_lazy("%(who)s changed the conversation “%(what)s”."),
    "conversations.imported": gettext_lazy("%(who)s imported the conversation “%(what)s” from a file."),
    "conversations.exported": gettext_lazy("%(who)s downloaded the conversation “%(what)s”."),
    "conversations.statement_added": gettext_lazy("%(who)s added the statement “%(what)s”."),
    "conversations.statement_seeded": gettext_lazy("%(who)s started the conversation with “%(what)s”."),
    "conversations.votes_recorded_with": gettext_lazy(
        "%(who)s recorded %(votes)s votes with %(member)s in the conversation “%(what)s”."
    ),
    "conversations.assisted_votes_confirmed": gettext_lazy(
        "%(who)s confirmed the votes recorded with them in the conversation “%(what)s”."
    ),
    "conversations.statement_published": gettext_lazy("%(who)s let the statement “%(what)s” be voted on."),
}
