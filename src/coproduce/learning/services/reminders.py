"""Reminders of an event: the day before (from 09:00) and on the day (from 07:00), London time, one of each
for each person with a place. Sent as notices, so each person's channel and quiet hours apply. Run every hour by
the periodic job ``learning.event_reminders``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.learning.models import Event, Registration
from coproduce.learning.services._common import event_url

DAY_BEFORE_FROM = time(9, 0)
ON_THE_DAY_FROM = time(7, 0)


def _when(event: Event) -> str:
    local = timezone.localtime(event.starts_at)
    return f"{local:%H:%M}"


def _send(event: Event, field: str, text: str, now: datetime) -> int:
    with transaction.atomic(durable=True):
        due = list(
            Registration.objects.select_for_update(skip_locked=True)
            .filter(event=event, status=Registration.Status.REGISTERED, user__isnull=False)
            .filter(**{f"{field}__isnull": True})
            .values_list("pk", "user_id")
        )
        if not due:
            return 0
        from coproduce.notifications.api import notify

        notify(
            partnership_id=event.partnership_id,
            user_ids=[user_id for _pk, user_id in due],
            kind="learning.event_reminder",
            text=text,
            url=event_url(event),
            subject_key=f"learning.event:{event.pk}",
            now=now,
        )
        Registration.objects.filter(pk__in=[pk for pk, _user in due]).update(**{field: now})
    return len(due)


def event_reminders_send_due(now: datetime | None = None) -> int:
    """Send every reminder due at ``now``; how many people were reminded. Safe to run again: each reminder is
    sent once (the registration keeps when)."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    today = local_now.date()
    tomorrow = today + timedelta(days=1)
    sent = 0
    # Everything that starts before the end of tomorrow, London time, and has not started.
    end_of_tomorrow = timezone.make_aware(
        datetime.combine(tomorrow + timedelta(days=1), time(0)), timezone.get_default_timezone()
    )
    events = Event.objects.filter(
        starts_at__gt=now, starts_at__lt=end_of_tomorrow, cancelled_at__isnull=True
    ).select_related("partnership")
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        if day == tomorrow and local_now.time() >= DAY_BEFORE_FROM:
            text = _(
                "Tomorrow at %(time)s: “%(title)s”. If you cannot come, cancel so someone else can have your place."
            )
            sent += _send(event, "reminded_day_before_at", text % {"time": _when(event), "title": event.title}, now)
        elif day == today and local_now.time() >= ON_THE_DAY_FROM:
            text = _("Today at %(time)s: “%(title)s”.")
            sent += _send(event, "reminded_on_day_at", text % {"time": _when(event), "title": event.title}, now)
    return sent
