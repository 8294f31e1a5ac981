"""Review-date reminders: a task per decision, enqueued on commit (by the decision's service) to run on the
morning of its review date. The work itself is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_review_reminder(decision_id: int) -> bool:
    """Email the people running a decided test that its review date has come (once, however often this runs)."""
    from coproduce.improvement.services import review_reminder_send

    return review_reminder_send(decision_id)
