"""Periodic jobs run once per period however many workers tick (core.scheduler): periods aligned to the
clock in Europe/London, a unique row per job and period inserted with its task in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coproduce.core import scheduler
from coproduce.core.models import ScheduledRun
from coproduce.core.scheduler import PeriodicJob, periodic_jobs, register_periodic, tick
from tests.core import background_tasks
from tests.core.workers import DATABASE_TASKS, run_due_tasks, worker
from tests.partnerships.test_concurrency import run_at_once

TASK = "tests.core.background_tasks.periodic"
EVERY_15 = PeriodicJob("test.every-15", every=timedelta(minutes=15), task=TASK)
DAILY = PeriodicJob("test.daily", every=timedelta(days=1), at=time(9, 0), task=TASK)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute, second), timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _no_runs_yet() -> Iterator[None]:
    background_tasks.runs.clear()
    yield
    background_tasks.runs.clear()


class TestPeriods:
    """Every machine works out the same period start from the same moment."""

    def test_every_15_minutes_counts_from_local_midnight(self) -> None:
        assert EVERY_15.period_start(london(2026, 12, 7, 10, 7, 59)) == london(2026, 12, 7, 10, 0)
        assert EVERY_15.period_start(london(2026, 12, 7, 10, 15)) == london(2026, 12, 7, 10, 15)
        assert EVERY_15.next_start(london(2026, 12, 7, 23, 50)) == london(2026, 12, 8, 0, 0)

    def test_in_summer_time_too(self) -> None:
        moment = datetime(2026, 7, 1, 8, 20, tzinfo=UTC)  # 09:20 in London
        assert EVERY_15.period_start(moment) == london(2026, 7, 1, 9, 15)
        assert DAILY.period_start(moment) == london(2026, 7, 1, 9, 0) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)

    def test_on_the_day_the_clocks_go_forward_periods_stay_15_minutes_apart(self) -> None:
        before = EVERY_15.period_start(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 00:59 GMT
        after = EVERY_15.period_start(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 02:00 BST
        assert after - before == timedelta(minutes=15)

    def test_daily_at_nine_belongs_to_yesterday_until_nine(self) -> None:
        assert DAILY.period_start(london(2026, 12, 7, 8, 59)) == london(2026, 12, 6, 9, 0)
        assert DAILY.period_start(london(2026, 12, 7, 9, 0)) == london(2026, 12, 7, 9, 0)
        assert DAILY.next_start(london(2026, 12, 7, 9, 0)) == london(2026, 12, 8, 9, 0)

    def test_weekly_runs_on_mondays(self) -> None:
        weekly = PeriodicJob("test.weekly", every=timedelta(days=7), at=time(3, 0), task=TASK)
        monday = london(2026, 12, 7, 3, 0)
        assert monday.weekday() == 0
        assert weekly.period_start(london(2026, 12, 10, 12, 0)) == monday
        assert weekly.period_start(london(2026, 12, 7, 2, 59)) == london(2026, 11, 30, 3, 0)
        assert weekly.next_start(monday) == london(2026, 12, 14, 3, 0)

    @pytest.mark.parametrize(
        "options",
        [
            {"every": timedelta(minutes=7)},  # does not divide a day
            {"every": timedelta(hours=36)},  # not a whole number of days
            {"every": timedelta(0)},
            {"every": timedelta(minutes=15), "at": time(9, 0)},
        ],
    )
    def test_a_period_that_would_not_line_up_is_refused(self, options: dict[str, Any]) -> None:
        with pytest.raises(ValueError):
            PeriodicJob("test.bad", task=TASK, **options)

    def test_registering_is_one_line_and_a_key_cannot_be_taken_twice(self) -> None:
        job = PeriodicJob("test.registered", every=timedelta(hours=1), task=TASK)
        try:
            register_periodic(job)
            register_periodic(job)  # again: harmless
            assert periodic_jobs().count(job) == 1
            with pytest.raises(ValueError):
                register_periodic(PeriodicJob("test.registered", every=timedelta(hours=2), task=TASK))
        finally:
            scheduler._jobs.pop("test.registered", None)

    def test_the_platforms_jobs_are_registered_with_tasks_that_exist(self) -> None:
        jobs = {job.key: job for job in periodic_jobs()}
        assert jobs["notifications.emails"].every == timedelta(minutes=15)
        assert (jobs["improvement.review_reminders"].every, jobs["improvement.review_reminders"].at) == (
            timedelta(days=1),
            time(9, 0),
        )
        assert {key: (job.every, job.at) for key, job in jobs.items() if key not in ("notifications.emails",)} == {
            "improvement.review_reminders": (timedelta(days=1), time(9, 0)),
            "dataprotection.retention": (timedelta(days=1), time(3, 0)),
            "accounts.forgotten_sign_in_counts": (timedelta(days=1), time(3, 30)),
            "partnerships.expired_my_data": (timedelta(hours=1), None),
            "decisions.close_due": (timedelta(minutes=5), None),
            "decisions.closing_reminders": (timedelta(hours=1), None),
            "learning.event_reminders": (timedelta(hours=1), None),
            "evaluation.offers": (timedelta(minutes=15), None),
            "evaluation.reviews": (timedelta(days=1), time(6, 0)),
            "reports.repeat": (timedelta(days=1), time(5, 0)),
        }
        for job in jobs.values():
            scheduler.task_of(job)  # a task, found by its path


@pytest.mark.django_db
class TestOncePerPeriod:
    def test_a_tick_starts_the_run_and_its_task_once_per_period(self, database_tasks: None) -> None:
        now = london(2026, 12, 7, 10, 7)
        [run] = tick(now=now, jobs=[EVERY_15])
        assert (run.job, run.period_start) == ("test.every-15", london(2026, 12, 7, 10, 0))
        assert DBTaskResult.objects.get().task_path == TASK
        assert run.task_id == str(DBTaskResult.objects.get().id)
        assert tick(now=now + timedelta(minutes=7), jobs=[EVERY_15]) == []  # the same period
        assert run_due_tasks() == 1
        assert background_tasks.runs["periodic"] == 1
        [following] = tick(now=now + timedelta(minutes=8), jobs=[EVERY_15])  # 10:15: the next period
        assert following.period_start == london(2026, 12, 7, 10, 15)
        assert run_due_tasks() == 1
        assert background_tasks.runs["periodic"] == 2

    def test_a_tick_with_nothing_to_start_costs_one_query_a_job(
        self, database_tasks: None, django_assert_num_queries: Any
    ) -> None:
        now = london(2026, 12, 7, 10, 7)
        tick(now=now, jobs=[EVERY_15, DAILY])
        with django_assert_num_queries(2):
            assert tick(now=now + timedelta(seconds=30), jobs=[EVERY_15, DAILY]) == []

    def test_the_database_refuses_a_second_row_for_the_same_period(self) -> None:
        ScheduledRun.objects.create(job="test.every-15", period_start=london(2026, 12, 7, 10, 0))
        with pytest.raises(IntegrityError), transaction.atomic():
            ScheduledRun.objects.create(job="test.every-15", period_start=london(2026, 12, 7, 10, 0))

    def test_a_worker_that_another_beat_to_the_row_after_it_looked_skips_without_enqueuing(
        self, database_tasks: None, monkeypatch: Any
    ) -> None:
        found = scheduler.task_of

        def another_worker_inserts_meanwhile(job: PeriodicJob) -> Any:
            ScheduledRun.objects.create(job=job.key, period_start=job.period_start(now))
            return found(job)

        monkeypatch.setattr(scheduler, "task_of", another_worker_inserts_meanwhile)
        now = london(2026, 12, 7, 10, 7)
        assert scheduler.start_run(EVERY_15, now=now) is None
        assert ScheduledRun.objects.count() == 1
        assert not DBTaskResult.objects.exists()  # its task was not enqueued either

    def test_a_failure_to_enqueue_leaves_no_row_and_the_next_tick_starts_it(
        self, database_tasks: None, monkeypatch: Any
    ) -> None:
        class Unreachable:
            def enqueue(self) -> Any:
                raise RuntimeError("the queue is not there")

        monkeypatch.setattr(scheduler, "task_of", lambda job: Unreachable())
        now = london(2026, 12, 7, 10, 7)
        assert tick(now=now, jobs=[EVERY_15, DAILY]) == []  # logged; neither holds up the other
        assert not ScheduledRun.objects.exists()
        monkeypatch.undo()
        assert len(tick(now=now, jobs=[EVERY_15, DAILY])) == 2
        assert ScheduledRun.objects.count() == DBTaskResult.objects.count() == 2

    def test_one_jobs_missing_task_does_not_hold_up_the_others(self, database_tasks: None) -> None:
        missing = PeriodicJob("test.missing", every=timedelta(minutes=15), task="tests.core.background_tasks.nope")
        [run] = tick(now=london(2026, 12, 7, 10, 7), jobs=[missing, EVERY_15])
        assert run.job == "test.every-15"

    def test_old_runs_are_cleared_as_new_ones_start(self, database_tasks: None) -> None:
        tick(now=london(2026, 10, 1, 10, 0), jobs=[EVERY_15])
        tick(now=london(2026, 12, 7, 10, 0), jobs=[EVERY_15])
        assert list(ScheduledRun.objects.values_list("period_start", flat=True)) == [london(2026, 12, 7, 10, 0)]

    def test_the_schedule_command_lists_jobs_with_their_last_and_next_run(self, database_tasks: None) -> None:
        out = StringIO()
        call_command("schedule", stdout=out)
        assert "notifications.emails: every 15 minutes" in out.getvalue()
        assert "improvement.review_reminders: every day at 09:00" in out.getvalue()
        assert out.getvalue().count("last run: never") == len(periodic_jobs())
        call_command("schedule", "--tick", stdout=StringIO())
        out = StringIO()
        call_command("schedule", stdout=out)
        assert "last run: never" not in out.getvalue()
        assert out.getvalue().count("(task ready)") == len(periodic_jobs())
        assert "next run: now" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_worker_with_the_scheduler_starts_due_jobs_and_runs_them(settings: Any, monkeypatch: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(scheduler, "periodic_jobs", lambda: [EVERY_15])
    worker(schedule_every=30.0).run()  # batch: ticks, runs what is due, stops
    assert background_tasks.runs["periodic"] == 1
    assert ScheduledRun.objects.get().job == "test.every-15"
    ScheduledRun.objects.all().delete()
    worker().run()  # without the scheduler (the default of a worker made in code)
    assert background_tasks.runs["periodic"] == 1
    assert not ScheduledRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_eight_workers_ticking_at_the_same_moment_start_one_run(settings: Any, monkeypatch: Any) -> None:
    """Every worker has looked and found no run before any inserts one: only the unique row decides."""
    settings.TASKS = DATABASE_TASKS
    workers = 8
    all_looked = threading.Barrier(workers)
    found = scheduler.task_of

    def after_everyone_looked(job: PeriodicJob) -> Any:
        all_looked.wait(timeout=30)
        return found(job)

    monkeypatch.setattr(scheduler, "task_of", after_everyone_looked)
    now = london(2026, 12, 7, 10, 7)
    results = run_at_once([lambda: tick(now=now, jobs=[EVERY_15])] * workers)
    assert all(isinstance(result, list) for result in results), results
    assert sum(len(result) for result in results) == 1
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    if connection.vendor == "postgresql":
        # PostgreSQL: the others waited for the first's transaction, then met the unique row.
        assert ScheduledRun.objects.get().task_id == str(DBTaskResult.objects.get().id)
