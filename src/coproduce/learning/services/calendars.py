"""The private calendar link: made, or made again (the old link then stops working at once)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.permissions import require_rule
from coproduce.learning.models import CalendarFeed, token_hash
from coproduce.partnerships.models import Membership


def calendar_feed_renew(*, actor: Membership) -> str:
    """Make ``actor``'s private calendar link, or replace it; returns the secret, which is not kept (only its
    hash is), so the page shows it this once."""
    require_rule("learning.calendar_feed", actor)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(durable=True):
        feed = (
            CalendarFeed.objects.select_for_update()
            .filter(partnership_id=actor.partnership_id, user_id=actor.user_id)
            .first()
        )
        if feed is None:
            feed = CalendarFeed.objects.create(
                partnership_id=actor.partnership_id, user_id=actor.user_id, token_hash=token_hash(token)
            )
            action = "learning.calendar_feed_made"
        else:
            feed.token_hash = token_hash(token)
            feed.renewed_at = now
            feed.save(update_fields=["token_hash", "renewed_at"])
            action = "learning.calendar_feed_renewed"
        audit_record(actor=actor.user, action=action, partnership_id=actor.partnership_id, target=feed)
    return token


def calendar_feed_delete(*, actor: Membership) -> bool:
    """Stop ``actor``'s calendar link (no new one). True if there was one."""
    require_rule("learning.calendar_feed", actor)
    with transaction.atomic(durable=True):
        deleted, _ = CalendarFeed.objects.filter(partnership_id=actor.partnership_id, user_id=actor.user_id).delete()
        if deleted:
            audit_record(actor=actor.user, action="learning.calendar_feed_stopped", partnership_id=actor.partnership_id)
    return bool(deleted)
