"""Calendars' and paid time's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world below the member came to two paid-time workshops: she claimed for the first (the claim waits for
a coordinator) and not yet for the second. She has a private calendar link; with its secret anybody reads it,
signed in or not (a calendar app does not sign in), which is why the secret is long and renewable."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import COORDINATOR_PAGE, PARTNERSHIP_PAGE, TAKING_PART_PAGE, everyone, only

DECIDE_POST_ONLY = {**COORDINATOR_PAGE, "coordinator": 405}

ROWS: dict[str, dict[str, int]] = {
    "learning:event-ics": PARTNERSHIP_PAGE,
    "learning:calendar": TAKING_PART_PAGE,
    "learning:feed": everyone(200),
    "learning:pay-settings": COORDINATOR_PAGE,
    "learning:claim-new": only("member"),
    "learning:claims": COORDINATOR_PAGE,
    "learning:claim": COORDINATOR_PAGE,
    "learning:claim-approve": DECIDE_POST_ONLY,
    "learning:claim-refuse": DECIDE_POST_ONLY,
    "learning:my-payments": only("member"),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.learning.services import calendars, pay
    from tests.learning.pay_support import attend, make_event, rates

    member = world["people"]["member"]
    rates(member.partnership)
    claimed, unclaimed = make_event(member.partnership, title="Claimed"), make_event(member.partnership)
    attend(claimed, member)
    attend(unclaimed, member)
    claim = pay.claim_make(actor=member, event=claimed, time_choice="voucher")
    token = calendars.calendar_feed_renew(actor=member)
    return {
        "learning:event-ics": {"event_id": claimed.pk},
        "learning:feed": {"token": token},
        "learning:claim-new": {"event_id": unclaimed.pk},
        **{f"learning:{name}": {"claim_id": claim.pk} for name in ("claim", "claim-approve", "claim-refuse")},
    }
