"""Email digests of notifications: a task per person, enqueued (by ``services.digests_schedule``) to run
when their next digest is due. The work itself is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_digest(user_id: int) -> int:
    """Email the person's digest if it is due (see services.digest_send). Returns how many notifications were
    sent. Safe to run again."""
    from coproduce.voice.services import digest_send

    return digest_send(user_id=user_id)
