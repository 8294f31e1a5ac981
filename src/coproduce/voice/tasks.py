"""Kept so that a digest task queued before notices moved to the one inbox (ADR 29) still runs: the
inbox's periodic job ``notifications.emails`` sends every email now."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_due_digests() -> int:
    """What ``notifications.emails`` does (see notifications.api.emails_send_due)."""
    from coproduce.notifications.api import emails_send_due

    return emails_send_due()


@reliable_task()
def send_digest(user_id: int) -> int:
    """What ``notifications.emails`` does for one person."""
    from coproduce.notifications.api import email_send

    return email_send(user_id=user_id)
