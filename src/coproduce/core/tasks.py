"""Background work of the core: sending the outbox's emails and text messages (``core.outbox``, ``core.sms``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks import TaskContext

from coproduce.core import outbox, sms
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


# Sending one text is one request to the provider, within NOTIFY_TIMEOUT.
TEXT_STALE_AFTER = timedelta(minutes=5)


@reliable_task(
    takes_context=True,
    attempts=settings.COPRODUCE_SMS_ATTEMPTS,
    stale_after=TEXT_STALE_AFTER,
    is_transient=sms.error_is_transient,
    on_failure=sms.give_up,
)
def send_text_message(context: TaskContext, text_id: int) -> str:
    """Send one text message of the outbox (once, however often this runs); what happened to it."""
    return sms.deliver(text_id, run=str(context.task_result.id))
