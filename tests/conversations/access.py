"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file)."""

from __future__ import annotations

from typing import Any

from coproduce.conversations import services
from tests.test_url_access import COORDINATOR_PAGE, PARTNERSHIP_PAGE, TAKING_PART_PAGE, only

ROWS: dict[str, dict[str, int]] = {
    "conversations:list": PARTNERSHIP_PAGE,
    "conversations:new": COORDINATOR_PAGE,
    "conversations:import": COORDINATOR_PAGE,
    "conversations:detail": PARTNERSHIP_PAGE,
    "conversations:edit": COORDINATOR_PAGE,
    # Voting, your own votes and adding statements are for members and staff; observers read reports.
    "conversations:vote": TAKING_PART_PAGE,
    "conversations:my-votes": TAKING_PART_PAGE,
    "conversations:statement-new": TAKING_PART_PAGE,
    # Recording a member's votes with her: workers and coordinators (partnerships/assisted.py).
    "conversations:record-with": only("worker", "coordinator"),
    "conversations:statement-from-idea": COORDINATOR_PAGE,
    "conversations:moderation": COORDINATOR_PAGE,
    "conversations:statement-moderate": {**COORDINATOR_PAGE, "coordinator": 405},  # POST only
    "conversations:report": PARTNERSHIP_PAGE,
    # Exports hold every (numbered) person's votes: coordinators only, and audited.
    "conversations:export": COORDINATOR_PAGE,
    "conversations:export-file": COORDINATOR_PAGE,
    "conversations:export-zip": COORDINATOR_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A conversation with a statement the member voted on (so the report and "your votes" have data)."""
    people = world["people"]
    conversation = services.conversation_create(
        actor=people["coordinator"], topic="Job fairs for parents", seeds=["Job fairs should start after drop-off."]
    )
    statement = conversation.statements.get()
    services.vote_cast(actor=people["member"], statement_id=statement.pk, vote="agree")
    services.vote_cast(actor=people["worker"], statement_id=statement.pk, vote="disagree")
    one = {"conversation_id": conversation.pk}
    return {
        **dict.fromkeys(
            (
                "conversations:detail",
                "conversations:edit",
                "conversations:vote",
                "conversations:my-votes",
                "conversations:record-with",
                "conversations:statement-new",
                "conversations:statement-from-idea",
                "conversations:moderation",
                "conversations:report",
                "conversations:export",
                "conversations:export-zip",
            ),
            one,
        ),
        "conversations:statement-moderate": {**one, "statement_id": statement.pk},
        "conversations:export-file": {**one, "name": "votes"},
    }
