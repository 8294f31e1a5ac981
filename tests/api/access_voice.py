"""Rows of the API's access table (tests/api/test_api_access.py): voice's endpoints."""

from __future__ import annotations

from typing import Any

from coproduce.voice import services
from tests.api.roles import READ, TAKING_PART, taking_part

ROWS: dict[str, dict[str, int]] = {
    # Everyone in the partnership reads the ideas, their comments and the responses.
    "voice_list_ideas": READ,
    "voice_get_idea": READ,
    "voice_list_comments": READ,
    "voice_list_responses": READ,
    # Members and staff take part; observers hold read tokens only, as does the member's read token.
    "voice_create_idea": taking_part(201),
    "voice_support_idea": TAKING_PART,
    "voice_unsupport_idea": TAKING_PART,
    "voice_create_comment": taking_part(201),
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    people = world["people"]
    idea = services.idea_create(actor=people["worker"], title="A crèche at the job fair", body="For toddlers.")
    services.comment_create(actor=people["member"], idea=idea, body="Yes, please.")
    services.idea_respond(actor=people["coordinator"], idea=idea, status="in_progress", text="We are asking.")
    on_idea = {"idea_id": idea.pk}
    return {
        "voice_get_idea": on_idea,
        "voice_list_comments": on_idea,
        "voice_create_idea": {"json": {"title": "Evening sessions", "body": "After the school run."}},
        "voice_support_idea": on_idea,
        "voice_unsupport_idea": on_idea,
        "voice_create_comment": {**on_idea, "json": {"body": "And a quiet room."}},
    }
