"""Improvement's kind of data with a retention period: members' answers to "Did this help you?"."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.improvement.models import MemberCheck
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind


def purge_member_checks(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = MemberCheck.objects.filter(test__partnership=partnership, created_at__lt=older_than).filter(
        Q(member__isnull=False) | ~Q(words="")
    )
    if dry_run:
        return rows.count()
    return rows.update(member=None, words="")


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="improvement.member_checks",
            label=_(
                "Members' answers to “Did this help you?”: no longer tied to the member, and their added words "
                "deleted (the answer still counts)"
            ),
            default_days=2 * 365,
            purge=purge_member_checks,
            fate=Fate.ANONYMISE,
        )
    )
