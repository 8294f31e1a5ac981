"""The opinion map is computed by the background task into a stored snapshot, warm-started from the last."""

from __future__ import annotations

from typing import Any

import pytest

from coproduce.conversations import services
from coproduce.conversations.models import Conversation, Snapshot
from coproduce.conversations.tasks import compute_snapshot
from tests.conversations.voting import two_sided_conversation

pytestmark = pytest.mark.django_db


def test_the_task_stores_a_snapshot_with_groups_priorities_and_state(
    django_capture_on_commit_callbacks: Any, coordinator: Any, partnership: Any
) -> None:
    conversation, people, statements = two_sided_conversation(coordinator, partnership)
    # Those votes' task was enqueued on commit, which a test transaction never reaches: as if it had run.
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_due_at=None)
    assert not Snapshot.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(actor=people[0], statement_id=statements[0].pk, vote="agree")  # enqueues (tests: runs now)
    snapshot = Snapshot.objects.get(conversation=conversation)
    assert snapshot.vote_count == 16 * 8
    assert snapshot.participant_count == 16
    assert len(snapshot.result["groups"]) == 2
    groups = snapshot.result["participants"]
    first_half = {groups[str(p.pk)] for p in conversation.participants.order_by("number")[:8]}
    second_half = {groups[str(p.pk)] for p in conversation.participants.order_by("number")[8:]}
    assert len(first_half) == len(second_half) == 1 and first_half != second_half
    assert set(snapshot.priorities) == {str(s.pk) for s in statements}
    assert snapshot.state  # kept for the next warm start
    conversation.refresh_from_db()
    assert conversation.snapshot_due_at is None and conversation.snapshot_started_at is not None

    # The next computation starts from the stored state and gives the same groups for the same votes.
    before = snapshot.result["participants"]
    assert compute_snapshot.call(conversation.pk) == 16 * 8
    snapshot.refresh_from_db()
    assert snapshot.result["participants"] == before


def test_the_task_for_a_deleted_conversation_does_nothing(coordinator: Any) -> None:
    conversation = services.conversation_create(actor=coordinator, topic="T")
    pk = conversation.pk
    Conversation.objects.filter(pk=pk).delete()
    assert compute_snapshot.call(pk) == -1
    assert not Snapshot.objects.exists()
