"""The opinion map is computed in the background into a stored snapshot, never inside a request."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from coproduce.conversations import snapshots
from coproduce.core.background import reliable_task


@reliable_task(stale_after=snapshots.SNAPSHOT_STALE_AFTER, on_failure=snapshots.snapshot_failed)
def compute_snapshot(conversation_id: int) -> int:
    """Run the opinion method on the conversation's votes and store the snapshot. Returns the number of
    votes it used (-1 when the conversation no longer exists). Safe to run again: it replaces the one
    snapshot of the conversation. Run again if its worker stops; a failure for good is shown on the report."""
    return snapshots.snapshot_compute(conversation_id)


def enqueue_snapshot(conversation_id: int, due: datetime) -> None:
    """Enqueue the computation to run at ``due`` (a backend that cannot defer runs it now)."""
    if due > timezone.now() and compute_snapshot.get_backend().supports_defer:
        compute_snapshot.using(run_after=due).enqueue(conversation_id)
    else:
        compute_snapshot.enqueue(conversation_id)
