"""Evaluation's kinds of data with a retention period: offers to answer (which service a member used, and
when), deleted a year after they were made by default; and free text a coordinator kept back from the service
(never shown to anyone but coordinators), deleted two years after it was checked by default. Answers themselves
are kept: they are anonymous to the services and the results compare year on year."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from coproduce.evaluation.models import Offer, Remark
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import Fate, RetentionKind, register_retention_kind

OFFERS_DAYS = 365
HIDDEN_REMARKS_DAYS = 730


def purge_offers(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    """Delete the offers made before ``older_than`` (an answer given from one keeps counting)."""
    rows = Offer.objects.filter(partnership=partnership, offered_at__lt=older_than)
    if dry_run:
        return rows.count()
    deleted, _per_model = rows.delete()
    return deleted


def purge_hidden_remarks(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    """Delete the free text kept back from the service and checked before ``older_than``."""
    rows = Remark.objects.filter(
        answer__partnership=partnership, status=Remark.Status.HIDDEN, moderated_at__lt=older_than
    )
    if dry_run:
        return rows.count()
    deleted, _per_model = rows.delete()
    return deleted


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="evaluation.offers",
            label=_("Offers to members to tell us about a service they used: deleted, counted from the offer"),
            default_days=OFFERS_DAYS,
            purge=purge_offers,
            fate=Fate.DELETE,
        )
    )
    register_retention_kind(
        RetentionKind(
            key="evaluation.hidden_remarks",
            label=_(
                "Parents' free text a coordinator kept back from the service: deleted, counted from when it was checked"
            ),
            default_days=HIDDEN_REMARKS_DAYS,
            purge=purge_hidden_remarks,
            fate=Fate.DELETE,
        )
    )
