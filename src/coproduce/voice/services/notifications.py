"""Notifications and email digests: marking them read, how often to email, sending the digest."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.email import make_email
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


# How late a digest may be, at most, after the person's next one is due: the period of the periodic job
# that sends them (registered in apps.py). A digest that falls due within this much of the job's run goes
# in that run rather than waiting for the next.
DIGEST_CHECK_EVERY = timedelta(minutes=15)
DIGEST_EARLY = timedelta(minutes=5)


def digests_due(*, now: datetime | None = None) -> list[int]:
    """The people whose digest is due: they asked for one, their last went a period ago (or never), and
    they have a notification not yet emailed and not yet read. By user id."""
    now = now or timezone.now()
    due = Q()
    for frequency, period in DIGEST_PERIODS.items():
        due |= Q(frequency=frequency) & (
            Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - period + DIGEST_EARLY)
        )
    waiting = Notification.objects.filter(user_id=OuterRef("user_id"), emailed_at__isnull=True, read_at__isnull=True)
    return list(
        DigestPreference.objects.filter(due)
        .filter(Exists(waiting))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def digests_send_due(*, now: datetime | None = None) -> int:
    """Send every digest that is due (the periodic job ``voice.digests``, every 15 minutes); how many were
    sent. Each person's digest is its own transaction (``digest_send``), so a run stopped half-way and run
    again sends the rest, and nobody's twice."""
    return sum(1 for user_id in digests_due(now=now) if digest_send(user_id=user_id, now=now))


def _one_partnership(notifications: list[Notification]) -> str:
    """The partnership a digest is about, to brand it with; empty (Coproduce) when it spans several."""
    names = {n.partnership.name for n in notifications}
    return names.pop() if len(names) == 1 else ""


def digest_send(*, user_id: int, now: datetime | None = None) -> int:
    """Email the person's unemailed notifications, if their digest is due. Returns how many were sent.
    Safe to run again: the notifications are marked emailed, and the email queued (core.outbox), in one
    transaction, so a second run finds nothing to send."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        preference = DigestPreference.objects.select_for_update().filter(user_id=user_id).select_related("user").first()
        if preference is None or preference.frequency not in DIGEST_PERIODS:
            return 0
        period = DIGEST_PERIODS[preference.frequency]
        if preference.last_sent_at is not None and now < preference.last_sent_at + period - DIGEST_EARLY:
            return 0  # too early: a later run of the periodic job will send
        notifications = list(
            Notification.objects.filter(user_id=user_id, emailed_at__isnull=True, read_at__isnull=True)
            .select_related("partnership", "idea")
            .order_by("created_at")[:100]
        )
        if not notifications:
            return 0
        preference.last_sent_at = now
        preference.save(update_fields=["last_sent_at"])
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
        context = {
            "notifications": notifications,
            "site_url": settings.COPRODUCE_SITE_URL.rstrip("/"),
            "frequency": preference.get_frequency_display(),
        }
        queue_email(
            kind="voice.digest",
            to=[preference.user.email],
            **make_email("voice/email/digest", context, brand=_one_partnership(notifications)).parts(),
        )
    return len(notifications)
