"""Writes: posting notices (grouped by subject), clearing them when done, marking them read, preferences,
and the emails (``services.emails``)."""

from coproduce.notifications.services.notices import (
    notice_mark_read,
    notices_done,
    notices_forget_user,
    notices_mark_all_read,
    notices_post,
    notices_remove,
)
from coproduce.notifications.services.preferences import preferences_set

__all__ = [
    "notice_mark_read",
    "notices_done",
    "notices_forget_user",
    "notices_mark_all_read",
    "notices_post",
    "notices_remove",
    "preferences_set",
]
