"""Asking for a new opinion map: at most one computation per conversation in SNAPSHOT_INTERVAL, enqueued
on commit (the computation itself is ``conversations.snapshots``, run by the background task)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coproduce.conversations.models import Conversation
from coproduce.conversations.snapshots import SNAPSHOT_STALE_AFTER

SNAPSHOT_INTERVAL = timedelta(seconds=10)  # at most one computation per conversation in this time


def snapshot_overdue(due: datetime, now: datetime | None = None) -> bool:
    """Whether a computation due at ``due`` should have started long ago: its task was lost (the worker
    stops it being lost once enqueued, not before), so the next request asks again."""
    return due < (now or timezone.now()) - SNAPSHOT_STALE_AFTER


def snapshot_schedule(conversation: Conversation, *, now: datetime | None = None) -> datetime | None:
    """Ask for a new snapshot, at most one per SNAPSHOT_INTERVAL per conversation: when none is waiting
    (or the one waiting is overdue), mark one due (at the earliest SNAPSHOT_INTERVAL after the last one
    started) and enqueue the task to run then, on commit. Returns the due time, or None when one was
    already waiting."""
    from coproduce.conversations.tasks import enqueue_snapshot

    now = now or timezone.now()
    last = Conversation.objects.filter(pk=conversation.pk).values_list("snapshot_started_at", flat=True).first()
    due = max(now, last + SNAPSHOT_INTERVAL) if last is not None else now
    waiting = Q(snapshot_due_at__isnull=True) | Q(snapshot_due_at__lt=now - SNAPSHOT_STALE_AFTER)
    claimed = Conversation.objects.filter(waiting, pk=conversation.pk).update(snapshot_due_at=due)
    if not claimed:
        return None
    conversation_id = conversation.pk
    transaction.on_commit(lambda: enqueue_snapshot(conversation_id, due))
    return due
