"""Notifications and email digests: marking them read, how often to email, sending the digest."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.outbox import queue_email
from coproduce.partnerships.models import Membership
from coproduce.voice.models import DigestPreference, Notification

# --- Notifications ----------------------------------------------------------------------------


def notifications_mark_read(*, actor: Membership) -> int:
    return Notification.objects.filter(
        user=actor.user, partnership_id=actor.partnership_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def digest_preference_set(*, actor: Membership, frequency: str) -> DigestPreference:
    if frequency not in DigestPreference.Frequency.values:
        raise ServiceError(_("Choose how often to get emails."), field="frequency")
    preference, _created = DigestPreference.objects.update_or_create(user=actor.user, defaults={"frequency": frequency})
    return preference


# --- Email digests ----------------------------------------------------------------------------

DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def digests_schedule(*, user_ids: list[int]) -> None:
    """Make sure each person who wants a digest has one task (``tasks.send_digest``) waiting for their next
    due time."""
    from coproduce.voice.tasks import send_digest

    now = timezone.now()
    for preference in DigestPreference.objects.filter(user_id__in=user_ids, frequency__in=list(DIGEST_PERIODS)):
        if preference.next_due_at is not None and preference.next_due_at > now - timedelta(hours=1):
            continue  # one is already waiting
        period = DIGEST_PERIODS[preference.frequency]
        due = max(now, (preference.last_sent_at or now - period) + period)
        DigestPreference.objects.filter(pk=preference.pk).update(next_due_at=due)
        send_digest.using(run_after=due).enqueue(preference.user_id)


def digest_send(*, user_id: int) -> int:
    """Email the person's unemailed notifications, if their digest is due. Returns how many were sent.
    Safe to run again: the notifications are marked emailed, and the email queued (core.outbox), in one
    transaction, so a second run finds nothing to send."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        preference = DigestPreference.objects.select_for_update().filter(user_id=user_id).select_related("user").first()
        if preference is None or preference.frequency not in DIGEST_PERIODS:
            return 0
        period = DIGEST_PERIODS[preference.frequency]
        if preference.last_sent_at is not None and now < preference.last_sent_at + period - timedelta(minutes=5):
            return 0  # too early: the task that is due later will send
        notifications = list(
            Notification.objects.filter(user_id=user_id, emailed_at__isnull=True, read_at__isnull=True)
            .select_related("partnership", "idea")
            .order_by("created_at")[:100]
        )
        preference.next_due_at = None
        if notifications:
            preference.last_sent_at = now
        preference.save(update_fields=["next_due_at", "last_sent_at"])
        if not notifications:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        context = {
            "notifications": notifications,
            "site_url": settings.COPRODUCE_SITE_URL.rstrip("/"),
            "frequency": preference.get_frequency_display(),
        }
        queue_email(
            kind="voice.digest",
            to=[preference.user.email],
            subject=render_to_string("voice/email/digest_subject.txt", context).strip(),
            body=render_to_string("voice/email/digest_body.txt", context),
        )
    return len(notifications)
