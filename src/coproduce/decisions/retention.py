"""Decisions' kind of data with a retention period: answers to decisions closed long ago, no longer tied to
the person and their reasons deleted (they still count: the result stays as it was)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.decisions.models import Participation
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind


def purge_answers(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = Participation.objects.filter(
        decision__partnership=partnership, decision__status="closed", decision__closed_at__lt=older_than
    ).filter(Q(user__isnull=False) | ~Q(reason=""))
    ids = list(rows.values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    chosen = Participation.objects.filter(pk__in=ids)
    chosen.exclude(reason="").update(reason="", reason_erased=True)
    return chosen.update(user=None)


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="decisions.answers",
            label=_(
                "Answers to decisions, after the decision closed: no longer tied to the person, and their reasons "
                "deleted (the answer still counts)"
            ),
            default_days=None,
            purge=purge_answers,
            fate=Fate.ANONYMISE,
        )
    )
