"""What every learning write shares: the audit event, and locking an event the person may organise."""

from __future__ import annotations

from typing import Any

from coproduce.core.audit import audit_record
from coproduce.core.guards import same_partnership
from coproduce.core.permissions import require_rule
from coproduce.learning.models import Event
from coproduce.partnerships.models import Membership


def audit(actor: Membership, action: str, target: Any, **detail: Any) -> None:
    audit_record(
        actor=actor.user,
        action=f"learning.{action}",
        partnership_id=actor.partnership_id,
        target=target,
        detail=detail or None,
    )


def organised_for_update(actor: Membership, event: Event) -> Event:
    """``event`` locked, once it is checked to be in the actor's partnership and organised by them."""
    same_partnership(actor, event)
    require_rule("learning.organise", actor, event)
    return Event.objects.select_for_update().get(pk=event.pk)


def event_url(event: Event) -> str:
    """The event's page. The pages are another part's work: until its address exists, the learning page."""
    from django.urls import NoReverseMatch, reverse

    slug = event.partnership.slug
    try:
        return reverse("learning:event", kwargs={"slug": slug, "event_id": event.pk})
    except NoReverseMatch:
        return f"/p/{slug}/learning/"
