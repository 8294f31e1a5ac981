"""Rows of the API's access table (tests/api/test_api_access.py): decisions' endpoints. Everyone in the
partnership reads decisions; the people a decision is for (members and staff) answer it with a read and write
token; observers only read, and the member's read token is refused before anything is looked at."""

from __future__ import annotations

from typing import Any

from tests.api.roles import READ, taking_part
from tests.decisions.conftest import raise_decision

ROWS: dict[str, dict[str, int]] = {
    "decisions_list_decisions": READ,
    "decisions_get_decision": READ,
    "decisions_vote": taking_part(200),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    decision = raise_decision(world["people"]["worker"], "consent", participants="everyone")
    return {
        "decisions_get_decision": {"decision_id": decision.pk},
        "decisions_vote": {"decision_id": decision.pk, "json": {"position": "agree"}},
    }
