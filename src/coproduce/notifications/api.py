"""What the capabilities use: register their kinds of notice, post notices, clear them when done.

register_notice_kind(NoticeKind("support.checkin", _("A check-in to look over"), delivery="digest"))
notify(partnership_id=p, user_ids=[...], kind="support.checkin", text=..., url=..., subject_key=f"support.checkin:{pk}")
notices_done(partnership_id=p, subject_key=f"support.checkin:{pk}")
"""

from coproduce.notifications.registry import DELIVERIES, DIGEST, EMAIL, SITE, NoticeKind, register_notice_kind
from coproduce.notifications.selectors import notices_about
from coproduce.notifications.services import notices_done, notices_forget_user, notices_remove
from coproduce.notifications.services import notices_post as notify
from coproduce.notifications.services.emails import email_send, emails_send_due

__all__ = [
    "DELIVERIES",
    "DIGEST",
    "EMAIL",
    "SITE",
    "NoticeKind",
    "email_send",
    "emails_send_due",
    "notices_about",
    "notices_done",
    "notices_forget_user",
    "notices_remove",
    "notify",
    "register_notice_kind",
]
