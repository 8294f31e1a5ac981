"""The learning log's part of "My data" (``partnerships.personal_data``): the entries the person wrote or
co-wrote, and the entries naming her with her answer. One query a table, narrowed to the person and the
partnership."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.core.personal_data import iso_or_none
from coproduce.learning.models import LogConsent, LogEntry
from coproduce.partnerships.models import Membership
from coproduce.partnerships.personal_data import PersonalDataExport

TABLES = {
    "log_entries": _("Learning log entries you wrote or co-wrote"),
    "log_named": _("Learning log entries naming you, and your answer"),
}


def log_export(membership: Membership) -> dict[str, list[dict[str, Any]]]:
    user_id, partnership_id = membership.user_id, membership.partnership_id
    written = (
        LogEntry.objects.filter(Q(author_id=user_id) | Q(co_authors=user_id), partnership_id=partnership_id)
        .distinct()
        .order_by("created_at", "pk")
    )
    named = (
        LogConsent.objects.filter(user_id=user_id, entry__partnership_id=partnership_id)
        .select_related("entry")
        .order_by("entry__created_at", "pk")
    )
    return {
        "log_entries": [
            {
                "title": e.title,
                "your_part": "author" if e.author_id == user_id else "co-author",
                "what_we_tried": e.what_we_tried,
                "what_we_learned": e.what_we_learned,
                "what_next": e.what_next,
                "status": str(e.get_status_display()),
                "created": iso_or_none(e.created_at),
                "published": iso_or_none(e.published_at),
            }
            for e in written
        ],
        "log_named": [
            {
                "entry": c.entry.title,
                "asked": iso_or_none(c.asked_at),
                "agreed": iso_or_none(c.agreed_at),
                "said_no": iso_or_none(c.declined_at),
                "your_name_on_the_case_study": c.named_outside,
            }
            for c in named
        ],
    }


EXPORT = PersonalDataExport(key="learning_log", title=_("Learning log"), export=log_export, order=75, tables=TABLES)
