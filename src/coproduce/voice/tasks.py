"""Email digests of notifications: a task per person, enqueued to run when their next digest is due."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coproduce.core.background import reliable_task
from coproduce.core.outbox import queue_email
from coproduce.voice.models import DigestPreference, Notification

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def schedule_digests(user_ids: list[int]) -> None:
    """Make sure each person who wants a digest has one task waiting for their next due time."""
    now = timezone.now()
    for preference in DigestPreference.objects.filter(user_id__in=user_ids, frequency__in=list(PERIODS)):
        if preference.next_due_at is not None and preference.next_due_at > now - timedelta(hours=1):
            continue  # one is already waiting
        period = PERIODS[preference.frequency]
        due = max(now, (preference.last_sent_at or now - period) + period)
        DigestPreference.objects.filter(pk=preference.pk).update(next_due_at=due)
        send_digest.using(run_after=due).enqueue(preference.user_id)


@reliable_task()
def send_digest(user_id: int) -> int:
    """Email the person's unemailed notifications, if their digest is due. Returns how many were sent.
    Safe to run again: the notifications are marked emailed, and the email queued (core.outbox), in one
    transaction, so a second run finds nothing to send."""
    now = timezone.now()
    with transaction.atomic():
        preference = DigestPreference.objects.select_for_update().filter(user_id=user_id).select_related("user").first()
        if preference is None or preference.frequency not in PERIODS:
            return 0
        period = PERIODS[preference.frequency]
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
