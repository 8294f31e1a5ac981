"""What the plumbing holds about a person, for "My data" (registered by ``partnerships.my_data``): the audit
events by them or about them, and the emails to them the outbox still knows of."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from coproduce.core.models import AuditEvent, OutgoingEmail


def iso_or_none(value: Any) -> str | None:
    """A date or time as "My data" writes it (ISO 8601), or None when there is none."""
    return value.isoformat() if value else None


def audit_events_export(
    *, user_id: int, partnership_id: int, about: dict[str, list[str]], limit: int = 50_000
) -> list[dict[str, Any]]:
    """The partnership's audit events the person did, or that are about them (``about``: target type to the
    ids that stand for the person, e.g. ``{"partnerships.membership": ["12"]}``). One query.

    Where the person acted, the event is theirs whole. Where someone else acted on them, it says who (a
    coordinator changing their roles) but not that person's address. Where the person acted on something
    else, what it was is named only by its kind: its label may be someone else's name (a keyworker's
    events name the plans they read, which are not the keyworker's to download)."""
    about_q = Q(pk__in=[])
    for target_type, ids in about.items():
        about_q |= Q(target_type=target_type, target_id__in=ids)
    events = (
        AuditEvent.objects.filter(Q(actor_id=user_id) | about_q, partnership_id=partnership_id)
        .order_by("-occurred_at", "-id")
        .values_list(
            "action",
            "occurred_at",
            "actor_id",
            "actor_label",
            "target_type",
            "target_id",
            "target_label",
            "detail",
            "ip_address",
        )[:limit]
    )
    rows = []
    for action, at, actor_id, actor_label, target_type, target_id, target_label, detail, address in events:
        theirs = target_id in about.get(target_type, ())
        by_them = actor_id == user_id
        rows.append(
            {
                "what": action,
                "at": iso_or_none(at),
                "by": "you" if by_them else (actor_label or None),
                "about": "you" if theirs else target_type,
                "about_label": target_label if theirs else "",
                "detail": detail if theirs else {},
                "address": address if by_them else None,
            }
        )
    return rows


WAITING = (OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING, OutgoingEmail.Status.RETRYING)


def emails_export(*, email: str, invitation_email_ids: list[int]) -> list[dict[str, Any]]:
    """The emails to ``email`` the outbox still knows of. One query.

    The outbox clears an email's recipients and content once it is sent or given up (``core.models.
    OutgoingEmail``), so a sent email no longer says whom it went to: what can be listed is what is still
    waiting for this address, and the emails an invitation to them sent (``invitation_email_ids``), which
    keep their kind, status and dates but no content."""
    address = email.strip().lower()
    found = OutgoingEmail.objects.filter(Q(status__in=WAITING) | Q(pk__in=invitation_email_ids)).order_by(
        "-created_at", "-id"
    )
    rows = []
    for message in found:
        to = [str(r).strip().lower() for r in message.recipients or []]
        if message.pk not in invitation_email_ids and address not in to:
            continue
        rows.append(
            {
                "kind": message.kind,
                "subject": message.subject,
                "status": str(message.get_status_display()),
                "queued": iso_or_none(message.created_at),
                "finished": iso_or_none(message.finished_at),
            }
        )
    return rows
