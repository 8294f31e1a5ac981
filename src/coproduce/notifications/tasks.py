"""Emails of notices. The periodic job ``notifications.emails`` (registered in ``apps.py``, run by
``core.scheduler`` every 15 minutes) sends what is due. The work itself is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def send_due_emails() -> int:
    """Email every person whose notices are due (see services.emails.emails_send_due). Safe to run again."""
    from coproduce.notifications.services.emails import emails_send_due

    return emails_send_due()
