"""This capability's rows of the URL × role table in tests/test_url_access.py (see that file).

In the world below the worker raised both decisions: an open consent decision for members and staff, and an
election of two seats by STV that has closed. Observers read decisions and their results but do not take
part; the proposer and coordinators change, close and write the outcome; coordinators count a ballot file."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.test_url_access import (
    COORDINATOR_PAGE,
    PARTNERSHIP_PAGE,
    TAKING_PART_PAGE,
    TAKING_PART_POST_ONLY,
    only,
)

RUNS_IT = only("worker", "coordinator")
# Hiding a comment is a button (a POST form) beside it, for coordinators only: anyone else gets a 404.
COORDINATOR_POST_ONLY = {**COORDINATOR_PAGE, "coordinator": 405}

ROWS: dict[str, dict[str, int]] = {
    "decisions:list": PARTNERSHIP_PAGE,
    "decisions:new": TAKING_PART_PAGE,
    "decisions:import": COORDINATOR_PAGE,
    "decisions:decision": PARTNERSHIP_PAGE,
    "decisions:answer": TAKING_PART_POST_ONLY,
    "decisions:amend": RUNS_IT,
    # Recording a member's answer with her, entering her paper form, printing the forms: workers, coordinators.
    "decisions:record-with": RUNS_IT,
    "decisions:paper": RUNS_IT,
    "decisions:paper-form": RUNS_IT,
    "decisions:close": RUNS_IT,
    "decisions:outcome": RUNS_IT,
    "decisions:results": PARTNERSHIP_PAGE,
    "decisions:versions": PARTNERSHIP_PAGE,
    "decisions:comment": TAKING_PART_POST_ONLY,
    "decisions:comment-hide": COORDINATOR_POST_ONLY,
    # Ballots download once the decision has closed (no running tally while people answer).
    "decisions:export-blt": PARTNERSHIP_PAGE,
    "decisions:export-soi": PARTNERSHIP_PAGE,
}


def build(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from coproduce.decisions import services

    people = world["people"]
    closes_at = timezone.now() + timedelta(days=7)
    consent = services.decision_raise(
        actor=people["worker"],
        kind="everyday",
        method="consent",
        title="Move the drop-in to Tuesdays",
        background="Tuesdays suit more parents.",
        options=[],
        closes_at=closes_at,
        participants="everyone",
        anonymous=False,
    )
    election = services.decision_raise(
        actor=people["worker"],
        kind="everyday",
        method="stv",
        title="Two parents on the board",
        background="Elect two parents.",
        options=["Aisha", "Bea", "Cal"],
        closes_at=closes_at,
        participants="everyone",
        anonymous=True,
        seats=2,
    )
    services.decision_close(actor=people["worker"], decision=election)
    said = services.comment_add(actor=people["member"], decision=consent, body="Tuesdays suit me.")
    open_one = {"decision_id": consent.pk}
    closed_one = {"decision_id": election.pk}
    return {
        **{
            f"decisions:{name}": open_one
            for name in (
                "decision",
                "answer",
                "amend",
                "close",
                "versions",
                "comment",
                "record-with",
                "paper",
                "paper-form",
            )
        },
        **{f"decisions:{name}": closed_one for name in ("outcome", "results", "export-blt", "export-soi")},
        "decisions:comment-hide": {**open_one, "comment_id": said.pk},
    }
