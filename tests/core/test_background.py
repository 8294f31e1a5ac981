"""The worker runs again the tasks a stopped worker left, retries transient failures with growing waits,
and records a failure for good where people look (core.background)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

import coproduce
from coproduce.core import background
from tests.core import background_tasks
from tests.core.background_tasks import count, count_quickly_lost, fail_first
from tests.core.workers import DATABASE_TASKS, worker
from tests.partnerships.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_runs_yet() -> Iterator[None]:
    background_tasks.runs.clear()
    background_tasks.gave_up.clear()
    yield
    background_tasks.runs.clear()
    background_tasks.gave_up.clear()


def row(result: Any) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def left_running(result: Any, *, started: timedelta, worker_id: str = "killed-worker") -> None:
    """As if a worker had claimed the task ``started`` ago and then been killed (kill -9)."""
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - started, worker_ids=[worker_id]
    )


def make_due(result: Any) -> None:
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())


class TestLostTasks:
    def test_a_task_left_running_by_a_stopped_worker_is_run_again_and_completes(self, database_tasks: None) -> None:
        result = count.enqueue("lost")
        left_running(result, started=timedelta(hours=1))
        assert worker().run_next() is False  # nothing is ready: it looks as if it were still running
        running = worker()
        running.reclaim()
        assert row(result).status == TaskResultStatus.READY
        assert running.run_next() is True
        done = row(result)
        assert done.status == TaskResultStatus.SUCCESSFUL
        assert done.worker_ids == ["killed-worker", "test-worker"]  # the lost run counts as an attempt
        assert background_tasks.runs["lost"] == 1

    def test_a_task_running_for_less_than_its_stale_timeout_is_left_alone(self, database_tasks: None) -> None:
        result = count.enqueue("fresh")
        left_running(result, started=timedelta(minutes=14))  # the default stale timeout is 15 minutes
        assert background.reclaim_stale() == []
        assert row(result).status == TaskResultStatus.RUNNING
        assert worker().run_next() is False
        assert background_tasks.runs["fresh"] == 0

    def test_each_task_has_its_own_stale_timeout_and_the_worker_may_override_it(self, database_tasks: None) -> None:
        quick = count_quickly_lost.enqueue("quick")
        slow = count.enqueue("slow")
        left_running(quick, started=timedelta(minutes=2))
        left_running(slow, started=timedelta(minutes=2))
        assert background.reclaim_stale() == [quick.id]
        assert row(slow).status == TaskResultStatus.RUNNING
        assert background.reclaim_stale(stale_after=timedelta(seconds=30)) == [slow.id]

    def test_a_task_lost_as_often_as_it_may_run_fails_and_says_so(self, database_tasks: None) -> None:
        result = count.enqueue("poison")
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now() - timedelta(hours=1),
            worker_ids=["one", "two", "three"],  # it took three workers down with it
        )
        assert background.reclaim_stale() == [result.id]
        failed = row(result)
        assert failed.status == TaskResultStatus.FAILED
        assert failed.exception_class_path == "coproduce.core.background.WorkerLostError"
        assert background_tasks.gave_up == [("poison",)]
        assert worker().run_next() is False

    def test_only_one_of_two_workers_reclaims_a_task(self, database_tasks: None) -> None:
        result = count.enqueue("shared")
        left_running(result, started=timedelta(hours=1))
        assert background.reclaim_stale() == [result.id]
        assert background.reclaim_stale() == []  # the second sees it is no longer the run it read

    def test_a_run_reclaimed_meanwhile_is_not_reclaimed_again_by_a_late_worker(self, database_tasks: None) -> None:
        """A worker that read the lost run, then paused, must not reset the new run another worker started."""
        result = count.enqueue("paused")
        left_running(result, started=timedelta(hours=1))
        seen = row(result)
        background.reclaim_stale()
        assert worker(worker_id="another").claim_next()[1] is not None  # running again, on another worker
        assert background.retry_later(seen, RuntimeError("late"), timedelta(0)) is False
        assert row(result).status == TaskResultStatus.RUNNING


class TestRetries:
    def test_a_transient_failure_is_retried_with_growing_waits_then_recorded(
        self, database_tasks: None, settings: Any
    ) -> None:
        settings.COPRODUCE_TASK_RETRY_DELAY = 20
        result = fail_first.enqueue("flaky", 5)
        waits = []
        for _attempt in range(2):
            before = timezone.now()
            assert worker().run_next() is True
            retrying = row(result)
            assert retrying.status == TaskResultStatus.READY
            assert retrying.exception_class_path == "django.db.utils.OperationalError"
            waits.append((retrying.run_after - before).total_seconds())
            assert worker().run_next() is False  # not before its wait is over
            make_due(result)
        assert worker().run_next() is True
        assert row(result).status == TaskResultStatus.FAILED  # three attempts in all
        assert waits[0] == pytest.approx(20, abs=2) and waits[1] == pytest.approx(40, abs=2)
        assert background_tasks.runs["flaky"] == 3
        assert background_tasks.gave_up == [("flaky", 5)]

    def test_a_task_that_succeeds_on_a_later_attempt_is_not_recorded_as_failed(self, database_tasks: None) -> None:
        result = fail_first.enqueue("once", 1)
        assert worker().run_next() is True
        make_due(result)
        assert worker().run_next() is True
        assert row(result).status == TaskResultStatus.SUCCESSFUL
        assert row(result).return_value == 2
        assert background_tasks.gave_up == []

    def test_a_bug_is_not_retried(self, database_tasks: None) -> None:
        result = fail_first.enqueue("bug", 5, transient=False)
        assert worker().run_next() is True
        assert row(result).status == TaskResultStatus.FAILED
        assert background_tasks.runs["bug"] == 1
        assert background_tasks.gave_up == [("bug", 5, ("transient", False))]

    def test_the_waits_double_up_to_a_ceiling(self, settings: Any) -> None:
        settings.COPRODUCE_TASK_RETRY_DELAY = 30
        policy = background.Policy()
        assert [policy.delay_before(n).total_seconds() for n in range(1, 8)] == [30, 60, 120, 240, 480, 900, 900]

    def test_without_a_worker_that_retries_a_failure_is_recorded_at_once(self) -> None:
        result = fail_first.enqueue("immediate", 1)  # the tests' backend runs it now, once
        assert result.status == TaskResultStatus.FAILED
        assert background_tasks.gave_up == [("immediate", 1)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL")
def test_eight_workers_reclaiming_at_once_run_a_lost_task_once(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    result = count.enqueue("crowd")
    left_running(result, started=timedelta(hours=1))
    reclaimed = run_at_once([background.reclaim_stale for _ in range(8)])
    assert sorted(map(len, reclaimed)) == [0] * 7 + [1]
    ran = run_at_once([lambda n=n: worker(worker_id=f"w{n}").run_next() for n in range(8)])
    assert sorted(ran) == [False] * 7 + [True]
    assert background_tasks.runs["crowd"] == 1


def test_every_task_of_the_platform_is_declared_with_a_policy() -> None:
    """A task declared with django_tasks.task directly would never be run again after a crash."""
    found = []
    for module in pkgutil.walk_packages(coproduce.__path__, "coproduce."):
        if module.name.endswith(".tasks"):
            loaded = importlib.import_module(module.name)
            found += [value for value in vars(loaded).values() if isinstance(value, Task)]
    paths = {task.module_path for task in found}
    assert {
        "coproduce.core.tasks.send_email",
        "coproduce.conversations.tasks.compute_snapshot",
        "coproduce.fund.tasks.compute_results",
        "coproduce.improvement.tasks.send_review_reminder",
        "coproduce.voice.tasks.send_digest",
        "coproduce.improvement.tasks.send_due_review_reminders",
        "coproduce.voice.tasks.send_due_digests",
        "coproduce.notifications.tasks.send_due_emails",
    } <= paths
    assert all(background.policy_for(path) is not background.DEFAULT_POLICY for path in paths), paths


@pytest.mark.django_db(transaction=True)
def test_a_worker_waits_for_a_database_that_does_not_answer_instead_of_stopping(
    settings: Any, monkeypatch: Any
) -> None:
    settings.TASKS = DATABASE_TASKS
    result = count.enqueue("patient")
    claim = background.Worker.claim_next
    calls = []

    def database_restarting(self: background.Worker) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("the database system is starting up")
        return claim(self)

    monkeypatch.setattr(background.Worker, "claim_next", database_restarting)
    monkeypatch.setattr(background, "DATABASE_PAUSE", 0)
    worker().run()  # in batch mode: stops when nothing is left
    assert row(result).status == TaskResultStatus.SUCCESSFUL
    assert background_tasks.runs["patient"] == 1
