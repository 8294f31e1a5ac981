"""The foundation's kinds of data with a retention period: invitations never taken up, and the audit log."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Invitation, Partnership
from coproduce.partnerships.personal_data import RetentionKind, register_retention_kind


def _unused_invitations(partnership: Partnership, older_than: datetime) -> QuerySet[Invitation]:
    """Never accepted, and withdrawn or expired before the cut-off."""
    return Invitation.objects.filter(partnership=partnership, accepted_at__isnull=True).filter(
        Q(revoked_at__lt=older_than) | Q(revoked_at__isnull=True, expires_at__lt=older_than)
    )


def purge_invitations(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    rows = _unused_invitations(partnership, older_than)
    if dry_run:
        return rows.count()
    return rows.delete()[1].get(Invitation._meta.label, 0)


def purge_audit_events(partnership: Partnership, older_than: datetime, dry_run: bool) -> int:
    # The one deletion the audit log allows: whole events past the partnership's period (AuditEvent.delete()
    # still refuses one event at a time).
    rows = AuditEvent.objects.filter(partnership_id=partnership.pk, occurred_at__lt=older_than)
    if dry_run:
        return rows.count()
    return rows.delete()[1].get(AuditEvent._meta.label, 0)


def register() -> None:
    register_retention_kind(
        RetentionKind(
            key="partnerships.invitations",
            label=_("Invitations never taken up, after they expired or were withdrawn: deleted"),
            default_days=90,
            purge=purge_invitations,
        )
    )
    register_retention_kind(
        RetentionKind(
            key="core.audit_events",
            label=_("The audit log (who did what, and when): entries deleted"),
            default_days=6 * 365,
            purge=purge_audit_events,
        )
    )
