"""Emails: a notice someone asked to get "straight away" goes at the next run of the periodic job
``notifications.emails`` (every 15 minutes) unless it is their quiet time (the school run, by default), in
which case it goes at the first run after; those asked for "in my daily email" go together, once a day at
most, one digest across every capability and partnership, also never in quiet time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coproduce.core.email import make_email
from coproduce.core.outbox import queue_email
from coproduce.notifications.models import Delivery, EmailSettings, Notice

CHECK_EVERY = timedelta(minutes=15)
DIGEST_PERIOD = timedelta(days=1)
# A digest that falls due within a few minutes of a run goes in that run rather than 15 minutes later.
DIGEST_EARLY = timedelta(minutes=5)
MOST_IN_ONE_EMAIL = 100


def in_quiet_hours(windows: list[tuple[time, time]], when: datetime) -> bool:
    """Whether ``when`` (aware; read in the deployment's time zone) falls in one of the windows, each from
    its start up to (not including) its end. A window whose end is before its start runs over midnight."""
    local = timezone.localtime(when, timezone.get_default_timezone()).time()
    for start, end in windows:
        if start <= end:
            if start <= local < end:
                return True
        elif local >= start or local < end:
            return True
    return False


def _waiting() -> Q:
    return Q(
        delivery__in=[Delivery.EMAIL, Delivery.DIGEST],
        emailed_at__isnull=True,
        read_at__isnull=True,
        done_at__isnull=True,
    )


def emails_send_due(*, now: datetime | None = None) -> int:
    """Send every email that is due (the periodic job); how many people were emailed. Each person's email is
    its own transaction (``email_send``), so a run stopped half-way and run again sends the rest, and
    nobody's twice."""
    now = now or timezone.now()
    user_ids = Notice.objects.filter(_waiting()).order_by("user_id").values_list("user_id", flat=True).distinct()
    return sum(1 for user_id in list(user_ids) if email_send(user_id=user_id, now=now))


def email_send(*, user_id: int, now: datetime | None = None) -> int:
    """Email the person what is due for them now, if it is not their quiet time. Returns how many notices
    the email carried. Safe to run again: the notices are marked emailed, and the email queued
    (core.outbox), in one transaction."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        email_settings, _created = EmailSettings.objects.select_for_update().get_or_create(user_id=user_id)
        if in_quiet_hours(email_settings.quiet_windows(), now):
            return 0
        digest_due = email_settings.last_digest_at is None or (
            now >= email_settings.last_digest_at + DIGEST_PERIOD - DIGEST_EARLY
        )
        due = Q(delivery=Delivery.EMAIL) | Q(delivery=Delivery.DIGEST) if digest_due else Q(delivery=Delivery.EMAIL)
        notices = list(
            Notice.objects.filter(_waiting(), due, user_id=user_id)
            .select_related("partnership", "user")
            .order_by("latest_at", "id")[:MOST_IN_ONE_EMAIL]
        )
        if not notices:
            return 0
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
        if any(n.delivery == Delivery.DIGEST for n in notices):
            email_settings.last_digest_at = now
            email_settings.save(update_fields=["last_digest_at"])
        partnerships = sorted({n.partnership.name for n in notices})
        context = {
            "notices": notices,
            "site_url": settings.COPRODUCE_SITE_URL.rstrip("/"),
            "partnerships": partnerships,
        }
        brand = partnerships[0] if len(partnerships) == 1 else ""  # Coproduce when it spans several
        queue_email(
            kind="notifications.email",
            to=[notices[0].user.email],
            **make_email(
                "notifications/email/notices", context, brand=brand, language=notices[0].user.language
            ).parts(),
        )
    return len(notices)
