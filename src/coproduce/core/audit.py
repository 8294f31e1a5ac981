"""Writing the audit log. Every service that must leave a trace calls :func:`audit_record`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from coproduce.core.clientaddress import client_address
from coproduce.core.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: str,
    partnership_id: int | None = None,
    target: models.Model | None = None,
    target_label: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one audit event. ``actor`` is a user or None (e.g. an anonymous failed sign-in)."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_label=(getattr(actor, "display_name", "") or "")[:200] if is_person else "",
        action=action,
        partnership_id=partnership_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:200],
        detail=detail or {},
        ip_address=client_address(request),
    )
