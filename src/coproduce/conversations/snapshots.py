"""Computing and storing a conversation's opinion map (called by the background task and by the demo)."""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.conversations.models import Conversation, Snapshot, Statement, Vote


def snapshot_compute(conversation_id: int) -> int:
    """Run the Pol.is method over the conversation's current votes, warm-started from the previous
    snapshot's state, and store the result. Returns the number of votes used (-1: no such conversation).

    The waiting mark (``snapshot_due_at``) is cleared first, so votes that arrive while this runs ask for
    the next computation (throttled to one per interval from this start)."""
    from coproduce.methods import opinion

    started = timezone.now()
    with transaction.atomic():
        claimed = Conversation.objects.filter(pk=conversation_id).update(
            snapshot_due_at=None, snapshot_started_at=started
        )
    if not claimed:
        return -1
    clock = time.perf_counter()
    votes = list(
        Vote.objects.filter(conversation_id=conversation_id).values_list("participant_id", "statement_id", "value")
    )
    statements = list(
        Statement.objects.filter(conversation_id=conversation_id)
        .exclude(status=Statement.Status.PENDING)
        .values_list("pk", "status")
    )
    previous_state = Snapshot.objects.filter(conversation_id=conversation_id).values_list("state", flat=True).first()
    previous = opinion.State.from_dict(previous_state) if previous_state else None
    result, state = opinion.update(
        votes,
        [pk for pk, _status in statements],
        moderated_out=[pk for pk, status in statements if status == Statement.Status.MODERATED_OUT],
        previous=previous,
    )
    data: dict[str, Any] = result.to_dict()
    priorities = {str(k): float(v) for k, v in _priorities(data).items()}
    seconds = time.perf_counter() - clock
    Snapshot.objects.update_or_create(
        conversation_id=conversation_id,
        defaults={
            "result": data,
            "state": state.to_dict(),
            "priorities": priorities,
            "computed_at": timezone.now(),
            "vote_count": len(votes),
            "participant_count": len({participant for participant, _s, _v in votes}),
            "seconds": seconds,
        },
    )
    return len(votes)


def _priorities(data: dict[str, Any]) -> dict[Any, float]:
    found = data.get("priorities") or data.get("comment_priorities") or {}
    return dict(found)
