"""Periodic work, run once per period however many workers tick (ADR 23).

A capability declares a job in its ``AppConfig.ready()``, in one line::

    register_periodic(PeriodicJob("x.cleanup", every=timedelta(days=1), at=time(3, 0), task="coproduce.x.tasks.clean"))

``task`` is the dotted path of a task declared with ``core.background.reliable_task`` that takes no
arguments and does whatever is due at the moment it runs (so a period missed while no worker ran is made
up by the next one).

**Periods are aligned to the clock**, in the deployment's ``TIME_ZONE`` (Europe/London), so every machine
works out the same start for the period it is in: a job that runs more often than daily runs every
``every`` from local midnight (``every`` must divide a day: 15 minutes, an hour …); a job that runs every
day or every N days runs at ``at`` (a time of day, local), days counted from Monday 3 January 2000 (so a
weekly job runs on Mondays).

**Once per period:** :func:`tick` (called by ``coproduce worker`` every 30 seconds) looks, for each job,
for the :class:`~coproduce.core.models.ScheduledRun` row of its current period. If there is none, it
inserts the row *and* enqueues the job's task in one transaction. The row is unique on (job, period
start): a second worker, on this machine or another, inserting the same row at the same moment waits for
the first's transaction and then fails on the constraint, and skips. With the database task backend the
task is a row of the same database, so the run's row and its task are committed together or not at all:
no crash between the two can leave a period marked as run with no task to run it. A task whose worker
died is run again by ``core.background``'s reclaiming, not by the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.utils import is_locked_database_exception

from coproduce.core.models import ScheduledRun

logger = logging.getLogger("coproduce.scheduler")

DAY = timedelta(days=1)
# Days of jobs that run every N days are counted from this Monday, so that every machine agrees.
EPOCH = date(2000, 1, 3)
# Seconds between two ticks of a worker's scheduler (``coproduce worker --schedule-every``).
TICK_EVERY = 30.0
# Rows of past runs are kept this long (for ``coproduce schedule`` and for operators), then deleted.
KEEP_RUNS = timedelta(days=30)


@dataclass(frozen=True)
class PeriodicJob:
    """A task run once in every period of ``every`` (see the module's docstring)."""

    key: str
    every: timedelta
    task: str
    at: time | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > 100:
            raise ValueError("A periodic job needs a key of at most 100 characters.")
        if self.every <= timedelta(0):
            raise ValueError(f"{self.key}: 'every' must be positive.")
        if self.every < DAY:
            if DAY % self.every:
                raise ValueError(f"{self.key}: a period shorter than a day must divide a day evenly.")
            if self.at is not None:
                raise ValueError(f"{self.key}: 'at' is for jobs run every day or less often.")
        elif self.every % DAY:
            raise ValueError(f"{self.key}: a period of a day or more must be a whole number of days.")

    def period_start(self, now: datetime) -> datetime:
        """The start of the period ``now`` is in (aware, the same on every machine)."""
        local = timezone.localtime(now, timezone.get_default_timezone())
        if self.every < DAY:
            midnight = _local(local.date(), time(0))
            return midnight + ((now - midnight) // self.every) * self.every
        days = self.every // DAY
        day = local.date()
        if now < _local(day, self.at or time(0)):
            day -= DAY  # before today's time: still in the period that began on an earlier day
        day -= timedelta(days=(day - EPOCH).days % days)
        return _local(day, self.at or time(0))

    def next_start(self, now: datetime) -> datetime:
        """The start of the period after the one ``now`` is in."""
        start = self.period_start(now)
        if self.every < DAY:
            return start + self.every
        local = timezone.localtime(start, timezone.get_default_timezone())
        return _local(local.date() + self.every, self.at or time(0))

    def describe_every(self) -> str:
        """How often, in words for operators ("every 15 minutes", "every day at 09:00")."""
        if self.every < DAY:
            minutes = int(self.every.total_seconds() // 60)
            if minutes % 60 == 0:
                hours = minutes // 60
                return "every hour" if hours == 1 else f"every {hours} hours"
            return f"every {minutes} minutes"
        days = self.every.days
        when = f" at {(self.at or time(0)):%H:%M}"
        if days == 1:
            return "every day" + when
        if days == 7:
            return "every Monday" + when
        return f"every {days} days" + when


def _local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(job: PeriodicJob) -> PeriodicJob:
    """Declare a periodic job (from an ``AppConfig.ready()``). Registering the same job again is harmless;
    another job under a key already taken is an error."""
    existing = _jobs.get(job.key)
    if existing is not None and existing != job:
        raise ValueError(f"A different periodic job is already registered as {job.key!r}.")
    _jobs[job.key] = job
    return job


def periodic_jobs() -> list[PeriodicJob]:
    """Every registered job, by key."""
    return [_jobs[key] for key in sorted(_jobs)]


def task_of(job: PeriodicJob) -> Task:  # type: ignore[type-arg]
    """The job's task; an error when its path does not name a task."""
    found = import_string(job.task)
    if not isinstance(found, Task):
        raise TypeError(f"{job.key}: {job.task} is not a task.")
    return found


def start_run(job: PeriodicJob, *, now: datetime | None = None) -> ScheduledRun | None:
    """Start the job's run for the period ``now`` is in: insert its row and enqueue its task, in one
    transaction. None when the period has its run already (this worker's or another's)."""
    now = now or timezone.now()
    start = job.period_start(now)
    if ScheduledRun.objects.filter(job=job.key, period_start=start).exists():
        return None
    task = task_of(job)
    try:
        with transaction.atomic(durable=True):
            run = ScheduledRun.objects.create(job=job.key, period_start=start, created_at=now)
            result = task.enqueue()
            run.task_id = str(result.id)[:64]
            run.save(update_fields=["task_id"])
            ScheduledRun.objects.filter(job=job.key, period_start__lt=start - KEEP_RUNS).delete()
    except IntegrityError:
        return None  # another worker started this period's run first
    except OperationalError as error:
        if is_locked_database_exception(error):
            return None  # SQLite busy with another worker's write: the next tick looks again
        raise
    logger.info("Periodic job %s started for the period from %s (task id=%s)", job.key, start, run.task_id)
    return run


def tick(*, now: datetime | None = None, jobs: Iterable[PeriodicJob] | None = None) -> list[ScheduledRun]:
    """Start the run of every job whose current period has none; the runs started. A job that cannot be
    started (its task missing, say) is logged and does not hold up the others; a database that does not
    answer stops the tick (the worker waits and tries again)."""
    started = []
    for job in periodic_jobs() if jobs is None else jobs:
        try:
            run = start_run(job, now=now)
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("Periodic job %s could not be started", job.key)
            continue
        if run is not None:
            started.append(run)
    return started
