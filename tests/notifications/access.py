"""The inbox's rows of the URL table (tests/test_url_access.py)."""

from __future__ import annotations

from typing import Any

from coproduce.notifications.api import NoticeKind, notify, register_notice_kind
from coproduce.notifications.models import Notice

PARTNERSHIP_PAGE = {
    "anonymous": 302,
    "member": 200,
    "observer": 200,
    "worker": 200,
    "partner_lead": 200,
    "coordinator": 200,
    "outsider": 404,
    "staff_no_mfa": 302,
}
# Marking a notice read is POST only: a GET is refused with 405 inside the partnership, 404 outside it.
POST_ONLY = {**PARTNERSHIP_PAGE, **dict.fromkeys(("member", "observer", "worker", "partner_lead", "coordinator"), 405)}

ROWS = {
    "notifications:inbox": PARTNERSHIP_PAGE,
    "notifications:read": POST_ONLY,
    "notifications:preferences": PARTNERSHIP_PAGE,
}

register_notice_kind(NoticeKind("test.access", "A notice for the URL table"))


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    member = world["people"]["member"]
    notify(partnership_id=member.partnership_id, user_ids=[member.user_id], kind="test.access", text="Hello.")
    notice = Notice.objects.filter(user_id=member.user_id).latest("pk")
    return {"notifications:read": {"notice_id": notice.pk}}
