"""Conversations' kind of data with a retention period: who took part in a conversation once it has closed.
Votes and statements stay and keep counting; only the link to the person goes."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from coproduce.conversations.models import Participant, Statement
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind


def purge_participants(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    closed = {"conversation__partnership": partnership, "conversation__closes_at__lt": older_than}
    participants = Participant.objects.filter(**closed, user__isnull=False)
    authors = Statement.objects.filter(**closed, author__isnull=False)
    if dry_run:
        return participants.count() + authors.count()
    return participants.update(user=None) + authors.update(author=None)


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="conversations.participants",
            label=_(
                "Who voted in or wrote statements for a conversation, counted from when it closed: votes and "
                "statements stay and still count, but are no longer tied to the person"
            ),
            default_days=365,
            purge=purge_participants,
            fate=Fate.ANONYMISE,
        )
    )
