"""The learning log's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world below the worker wrote a published entry naming the member, who agreed; staff start entries."""

from __future__ import annotations

from typing import Any

from tests.test_url_access import PARTNERSHIP_PAGE, only

ROWS: dict[str, dict[str, int]] = {
    "learning:log": PARTNERSHIP_PAGE,
    "learning:log-new": only("worker", "partner_lead", "coordinator"),
    "learning:log-entry": PARTNERSHIP_PAGE,
    "learning:log-edit": only("worker"),
    "learning:log-consent": only("member"),
    "learning:log-case-study": PARTNERSHIP_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.learning.services import log as services
    from tests.learning.log.helpers import entry_by

    people = world["people"]
    entry = entry_by(people["worker"], named_parent_ids=[people["member"].user_id])
    entry = services.log_entry_ask(actor=people["worker"], entry=entry)
    services.log_consent_answer(actor=people["member"], entry=entry, agree=True)
    return {name: {"entry_id": entry.pk} for name in ROWS if name != "learning:log" and name != "learning:log-new"}
