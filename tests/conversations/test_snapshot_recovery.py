"""The opinion map after a bad day: a worker killed mid-computation, a computation that fails for good, a
task lost before it was queued. The report never promises a map that nobody is computing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coproduce.conversations import services
from coproduce.conversations.models import Conversation, Snapshot
from coproduce.conversations.tasks import compute_snapshot
from coproduce.methods import opinion
from tests.conftest import signed_in
from tests.conversations.voting import two_sided_conversation
from tests.core.workers import run_due_tasks, worker

pytestmark = pytest.mark.django_db

WAITING = "are being worked out from the first votes: look again in a minute"
LATE = "taking longer than it should"
FAILED = "could not be worked out. It is tried again when more votes come in."


def report(person: Any, conversation: Conversation) -> str:
    address = reverse(
        "conversations:report", kwargs={"slug": conversation.partnership.slug, "conversation_id": conversation.pk}
    )
    return signed_in(person.user).get(address).content.decode()


def earlier(conversation: Conversation, task: DBTaskResult, minutes: int) -> None:
    """As if the computation had started ``minutes`` ago."""
    then = timezone.now() - timedelta(minutes=minutes)
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_started_at=then)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=then)


@pytest.fixture
def voted(coordinator: Any, partnership: Any, django_capture_on_commit_callbacks: Any) -> Any:
    conversation, people, statements = two_sided_conversation(coordinator, partnership)
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_due_at=None)  # their tasks never ran
    return conversation, people, statements


def vote_again(person: Any, statement: Any, capture: Any) -> None:
    with capture(execute=True):
        services.vote_cast(actor=person, statement_id=statement.pk, vote="pass")


def test_a_computation_whose_worker_was_killed_is_run_again_and_the_report_shows_the_map(
    voted: Any, coordinator: Any, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    conversation, people, statements = voted
    vote_again(people[0], statements[0], django_capture_on_commit_callbacks)
    assert WAITING in report(coordinator, conversation)
    # A worker takes the task, starts the computation (the waiting mark is cleared) and is killed.
    task = worker(worker_id="killed").claim_next()[1]
    assert task is not None
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_due_at=None, snapshot_started_at=timezone.now())
    assert WAITING in report(coordinator, conversation)  # within the stale timeout it may still be running
    earlier(conversation, task, minutes=20)
    assert LATE in report(coordinator, conversation)  # no longer a promise of a map soon
    running = worker()
    running.reclaim()
    assert running.run_next() is True
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.SUCCESSFUL
    page = report(coordinator, conversation)
    assert "The groups of opinion below were worked out at" in page and LATE not in page
    assert Snapshot.objects.get(conversation=conversation).vote_count == 16 * 8


def test_a_computation_that_fails_for_good_is_shown_and_the_next_vote_tries_again(
    voted: Any, coordinator: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conversation, people, statements = voted

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("the method failed")

    monkeypatch.setattr(opinion, "update", broken)
    vote_again(people[0], statements[0], django_capture_on_commit_callbacks)  # the tests' backend runs it now
    conversation.refresh_from_db()
    assert conversation.snapshot_failed_at is not None
    page = report(coordinator, conversation)
    assert FAILED in page and "look again" not in page
    monkeypatch.undo()
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_started_at=timezone.now() - timedelta(minutes=1))
    vote_again(people[1], statements[0], django_capture_on_commit_callbacks)
    conversation.refresh_from_db()
    assert conversation.snapshot_failed_at is None
    assert "The groups of opinion below were worked out at" in report(coordinator, conversation)


def test_a_map_whose_task_was_lost_before_it_was_queued_is_asked_for_again_by_the_next_vote(
    voted: Any, coordinator: Any, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    conversation, people, statements = voted
    # Marked due 20 minutes ago, but the process died before it queued the task.
    Conversation.objects.filter(pk=conversation.pk).update(snapshot_due_at=timezone.now() - timedelta(minutes=20))
    assert LATE in report(coordinator, conversation)
    vote_again(people[0], statements[0], django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.filter(task_path=compute_snapshot.module_path).count() == 1
    assert WAITING in report(coordinator, conversation)
    assert run_due_tasks() == 1
    assert Snapshot.objects.filter(conversation=conversation).exists()


def test_a_map_due_a_moment_ago_is_not_asked_for_twice(
    voted: Any, database_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    _conversation, people, statements = voted
    vote_again(people[0], statements[0], django_capture_on_commit_callbacks)
    vote_again(people[1], statements[0], django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.filter(task_path=compute_snapshot.module_path).count() == 1


def test_computing_the_map_twice_keeps_one_snapshot(voted: Any) -> None:
    conversation, _people, _statements = voted
    assert compute_snapshot.call(conversation.pk) == compute_snapshot.call(conversation.pk) == 16 * 8
    assert Snapshot.objects.filter(conversation=conversation).count() == 1


def test_before_any_vote_the_report_promises_nothing_soon(coordinator: Any) -> None:
    conversation = services.conversation_create(actor=coordinator, topic="Quiet", seeds=["One"])
    page = report(coordinator, conversation)
    assert "They are worked out a few seconds after the first votes come in." in page
    assert "look again" not in page
