"""Learning's kind of data with a retention period: what people said would help them come to an event
(childcare, travel, access, an interpreter, food). It is needed to arrange the event, then deleted: by default
30 days after the event ends."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from coproduce.learning.models import AttendanceTick, RegistrationNeeds
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind

NEEDS_DAYS = 30


def purge_needs(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    """Delete the answers about events that ended before ``older_than``."""
    rows = RegistrationNeeds.objects.filter(
        registration__event__partnership=partnership, registration__event__ends_at__lt=older_than
    )
    if dry_run:
        return rows.count()
    deleted, _per_model = rows.delete()
    # The register's tick keys go at the same time (they hold only random keys, nothing about a person).
    AttendanceTick.objects.filter(event__partnership=partnership, event__ends_at__lt=older_than).delete()
    return deleted


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="learning.needs",
            label=_(
                "What people said would help them come to an event (childcare, travel, access needs, an "
                "interpreter, food): deleted, counted from the end of the event"
            ),
            default_days=NEEDS_DAYS,
            purge=purge_needs,
            keep_allowed=False,
            fate=Fate.DELETE,
        )
    )
