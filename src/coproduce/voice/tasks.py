"""Email digests of notifications. The periodic job ``voice.digests`` (registered in ``apps.py``, run by
``core.scheduler`` every 15 minutes) sends every digest that is due. The work itself is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_due_digests() -> int:
    """Email every digest that is due (see services.digests_send_due); how many were sent. Safe to run again."""
    from coproduce.voice.services import digests_send_due

    return digests_send_due()


@reliable_task()
def send_digest(user_id: int) -> int:
    """Email one person's digest if it is due (see services.digest_send). Earlier versions queued one of
    these per person; kept so that those still queued when upgrading run. Safe to run again."""
    from coproduce.voice.services import digest_send

    return digest_send(user_id=user_id)
