"""Event reminders. The periodic job ``learning.event_reminders`` (registered in ``apps.py``, run by
``core.scheduler`` every hour) sends every reminder that is due. The work itself is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_due_event_reminders() -> int:
    """Remind people of the events they have a place at, the day before and on the day (see
    ``services.event_reminders_send_due``); how many were reminded. Safe to run again."""
    from coproduce.learning.services import event_reminders_send_due

    return event_reminders_send_due()
