"""Computing and storing a conversation's opinion map (called by the background task and by the demo).

The first map of a conversation imported from Pol.is is rebuilt from its vote history: Pol.is's groups
grew over hundreds of updates as votes came in, each starting from the last, so one update from the final
votes can find other groups (docs/opinion-method.md, "Why Pol.is's groups depend on the history"). The
imported votes (``VoteEvent``, with their times) are replayed in time order, one update per batch; every
later map warm-starts from that state as for any conversation."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.conversations.models import Conversation, Snapshot, Statement, Vote, VoteEvent

# The replay's batch length: the shortest of these (seconds) whose replay runs at most HISTORY_MAX_UPDATES
# updates; past the last, it doubles until the replay is that small. One minute gave brexit-consensus
# Pol.is's groups (ARI 0.90, against 0.56 at an hour); an hour is best on canadian-electoral-reform (0.96),
# where a minute means 1 740 updates. 1 200 updates keep vtaiwan.uberx (1 921 people, 50 000 votes) at an
# hour, about 15 s on one core (docs/performance.md).
HISTORY_INTERVALS = (60.0, 3600.0, 86400.0)
HISTORY_MAX_UPDATES = 1200

# A computation still running this long after it started has lost its worker and is run again (the
# largest replay measured takes about 15 s: docs/performance.md); a waiting one this long past its due
# time was never started (its task was lost), and the next vote asks again.
SNAPSHOT_STALE_AFTER = timedelta(minutes=15)


def snapshot_compute(conversation_id: int) -> int:
    """Run the Pol.is method over the conversation's current votes, warm-started from the previous
    snapshot's state, and store the result. Returns the number of votes used (-1: no such conversation).
    An imported conversation's first map (no previous state) replays its vote history instead, when the
    history can rebuild it (:func:`imported_history`); the snapshot then records the replay's updates and
    interval, which later snapshots leave as they are.

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
    # In the order they were first cast (participants become rows of the map in the order they appear, so
    # the order is part of the result; without ORDER BY it would be whatever index the database reads).
    votes = list(
        Vote.objects.filter(conversation_id=conversation_id)
        .order_by("pk")
        .values_list("participant_id", "statement_id", "value")
    )
    statements = list(
        Statement.objects.filter(conversation_id=conversation_id)
        .exclude(status=Statement.Status.PENDING)
        .order_by("pk")
        .values_list("pk", "status")
    )
    previous_state = Snapshot.objects.filter(conversation_id=conversation_id).values_list("state", flat=True).first()
    previous = opinion.State.from_dict(previous_state) if previous_state else None
    statement_ids = [pk for pk, _status in statements]
    moderated_out = [pk for pk, status in statements if status == Statement.Status.MODERATED_OUT]
    history = None
    if previous is None and Conversation.objects.filter(pk=conversation_id).exclude(imported_from="").exists():
        history = imported_history(conversation_id, len(votes))
    replayed: dict[str, Any] = {}
    if history is not None:
        moments = [at for *_vote, at in history]
        interval = replay_interval(moments)
        result, state = opinion.replay(history, statement_ids, moderated_out, interval=interval)
        replayed = {"history_updates": opinion.replay_updates(moments, interval), "history_interval": interval}
    else:
        result, state = opinion.update(votes, statement_ids, moderated_out=moderated_out, previous=previous)
    data: dict[str, Any] = result.to_dict()
    priorities = {str(k): float(v) for k, v in _priorities(data).items()}
    seconds = time.perf_counter() - clock
    with transaction.atomic():
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
                **replayed,
            },
        )
        Conversation.objects.filter(pk=conversation_id, snapshot_failed_at__isnull=False).update(
            snapshot_failed_at=None
        )
    return len(votes)


def snapshot_failed(conversation_id: int) -> None:
    """Record that computing the map failed for good, for the report to say so instead of promising a map
    (the next vote asks for a new computation)."""
    Conversation.objects.filter(pk=conversation_id).update(snapshot_failed_at=timezone.now())


def imported_history(conversation_id: int, vote_count: int) -> list[tuple[int, int, int, float]] | None:
    """The conversation's votes as cast, oldest first (equal times in the order they were saved), as
    ``(participant, statement, vote, seconds since 1970)``; None when they cannot rebuild the map: no
    history, every vote at one moment (an import without ``votes.csv`` dates them all at the import), or
    a history that does not hold every current vote."""
    events = [
        (participant, statement, value, at.timestamp())
        for participant, statement, value, at in VoteEvent.objects.filter(conversation_id=conversation_id)
        .order_by("cast_at", "pk")
        .values_list("participant_id", "statement_id", "value", "cast_at")
    ]
    if len({at for *_vote, at in events}) < 2:
        return None
    if len({(participant, statement) for participant, statement, *_rest in events}) != vote_count:
        return None
    return events


def replay_interval(moments: list[float]) -> float:
    """The batch length (seconds) for replaying votes cast at these moments: the shortest of
    ``HISTORY_INTERVALS`` whose replay runs at most ``HISTORY_MAX_UPDATES`` updates, else the last one
    doubled until it does."""
    from coproduce.methods import opinion

    return opinion.replay_interval(moments, HISTORY_INTERVALS, HISTORY_MAX_UPDATES)


def _priorities(data: dict[str, Any]) -> dict[Any, float]:
    found = data.get("priorities") or data.get("comment_priorities") or {}
    return dict(found)
