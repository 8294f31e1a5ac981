"""Rows of the API's access table (tests/api/test_api_access.py): conversations' endpoints."""

from __future__ import annotations

from typing import Any

from coproduce.conversations import services
from tests.api.roles import READ, TAKING_PART

ROWS: dict[str, dict[str, int]] = {
    # Everyone in the partnership reads the conversations, their statements and the opinion map's figures.
    "conversations_list_conversations": READ,
    "conversations_get_conversation": READ,
    "conversations_list_statements": READ,
    "conversations_get_snapshots": READ,
    # Members and staff vote; observers hold read tokens only, as does the member's read token.
    "conversations_vote": TAKING_PART,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    conversation = services.conversation_create(
        actor=world["people"]["coordinator"], topic="Job fairs", seeds=["Mornings suit parents best."]
    )
    statement = conversation.statements.get()
    in_conversation = {"conversation_id": conversation.pk}
    return {
        "conversations_get_conversation": in_conversation,
        "conversations_list_statements": in_conversation,
        "conversations_get_snapshots": in_conversation,
        "conversations_vote": {**in_conversation, "statement_id": statement.pk, "json": {"vote": "agree"}},
    }
