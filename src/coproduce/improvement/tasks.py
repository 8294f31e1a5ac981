"""Review-date reminders. The periodic job ``improvement.review_reminders`` (registered in ``apps.py``, run
by ``core.scheduler`` every day at 09:00) sends every reminder that is due. The work itself is the
service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_due_review_reminders() -> int:
    """Remind people of every review date that has come (see services.review_reminders_send_due); how many
    reminders were sent. Safe to run again."""
    from coproduce.improvement.services import review_reminders_send_due

    return review_reminders_send_due()


@reliable_task()
def send_review_reminder(decision_id: int) -> bool:
    """Email the people running a decided test that its review date has come (once, however often this runs).
    Earlier versions queued one of these per decision; kept so that those still queued when upgrading run."""
    from coproduce.improvement.services import review_reminder_send

    return review_reminder_send(decision_id)
