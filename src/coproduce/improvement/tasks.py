"""Review-date reminders: a task per decision, enqueued on commit to run on the morning of its review date."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from coproduce.core.background import reliable_task
from coproduce.improvement.models import Decision

REMINDER_TIME = time(9, 0)


def schedule_review_reminder(decision_id: int) -> None:
    """Enqueue the reminder for a decision that has taken effect, to run at 09:00 on its review date."""
    decision = Decision.objects.filter(pk=decision_id, effective_at__isnull=False).first()
    if decision is None:
        return
    due = timezone.make_aware(datetime.combine(decision.review_on, REMINDER_TIME))
    if not send_review_reminder.get_backend().supports_defer:
        return  # a backend that runs tasks at once (tests) cannot wait for the review date
    send_review_reminder.using(run_after=max(due, timezone.now())).enqueue(decision_id)


@reliable_task()
def send_review_reminder(decision_id: int) -> bool:
    """Email the people running a decided test that its review date has come (once, however often this runs)."""
    from coproduce.improvement.services import review_reminder_send

    return review_reminder_send(decision_id)
