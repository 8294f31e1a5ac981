"""Background work of the core: sending the outbox's emails (see ``core.outbox``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import TaskContext

from coproduce.core import outbox
from coproduce.core.background import reliable_task

# Sending one email takes a few of the mail server's replies, each within EMAIL_TIMEOUT.
EMAIL_STALE_AFTER = timedelta(minutes=5)


@reliable_task(
    takes_context=True,
    attempts=settings.COPRODUCE_EMAIL_ATTEMPTS,
    stale_after=EMAIL_STALE_AFTER,
    is_transient=outbox.error_is_transient,
    on_failure=outbox.give_up,
)
def send_email(context: TaskContext, message_id: int) -> str:
    """Send one message of the outbox (once, however often this runs); what happened to it."""
    return outbox.deliver(message_id, run=str(context.task_result.id))
