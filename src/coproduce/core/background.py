"""Background work that survives failures: tasks that are run again after a crash, retried after a
transient error, and that say so when they fail for good.

Every task of the platform is declared with :func:`reliable_task` instead of ``django_tasks.task``. It
is an ordinary task (``enqueue``, ``call`` and the ImmediateBackend of the tests work as before) with a
:class:`Policy` that ``coproduce worker`` (:class:`Worker`) follows:

* **Lost work is run again.** A task still RUNNING ``stale_after`` after it started is taken to have
  lost its worker (killed, out of memory, the machine restarted): the worker puts it back in the queue
  (:func:`reclaim_stale`), at start and every ``reclaim_every`` seconds. With several workers only one
  reclaims a task: the change is a conditional update on the status and start time it read. A task must
  therefore finish well within its ``stale_after``, and be safe to run twice.
* **Transient failures are retried** with exponential back-off — ``retry_delay``, then twice that, and
  so on, at most ``RETRY_DELAY_MAX`` — up to ``attempts`` runs in all (a reclaimed run counts as one).
  Which errors are transient is the policy's ``is_transient``; by default a lost database connection.
* **A failure for good is recorded where people look:** when the last attempt fails (or a task is lost
  more often than it may be run), the policy's ``on_failure`` is called with the task's arguments, so
  the page that waits for the result can say so instead of waiting for ever. It is called from the
  ``task_finished`` signal, so it runs under any backend (the tests' ImmediateBackend does not retry).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from traceback import format_exception
from typing import Any, TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from coproduce.core.logs import log_context
from coproduce.core.task_backend import request_id_of

logger = logging.getLogger("coproduce.background")

T = TypeVar("T")

# The longest wait between two attempts, however many there are.
RETRY_DELAY_MAX = timedelta(minutes=15)
# Seconds a worker waits when the database does not answer, before it tries again.
DATABASE_PAUSE = 5


def database_error_is_transient(error: BaseException) -> bool:
    """A lost or refused database connection (a restart, a fail-over) is worth another try; a bug is not."""
    return isinstance(error, (OperationalError, InterfaceError))


@dataclass(frozen=True)
class Policy:
    """How a task is run again. ``None`` means the deployment's setting (see settings.py)."""

    attempts: int = 3
    stale_after: timedelta | None = None
    retry_delay: timedelta | None = None
    is_transient: Callable[[BaseException], bool] = database_error_is_transient
    on_failure: Callable[..., None] | None = None

    @property
    def stale_timeout(self) -> timedelta:
        return self.stale_after or timedelta(seconds=settings.COPRODUCE_TASK_STALE_AFTER)

    def delay_before(self, attempt: int) -> timedelta:
        """How long to wait before attempt ``attempt + 1``, after ``attempt`` runs have failed."""
        first = self.retry_delay or timedelta(seconds=settings.COPRODUCE_TASK_RETRY_DELAY)
        return min(first * 2 ** max(attempt - 1, 0), RETRY_DELAY_MAX)

    def retries(self, error: BaseException, attempt: int) -> bool:
        """Whether a run that failed with ``error``, after ``attempt`` runs in all, is tried again."""
        return attempt < self.attempts and isinstance(error, Exception) and self.is_transient(error)


DEFAULT_POLICY = Policy()
_policies: dict[str, Policy] = {}


def reliable_task(
    *,
    attempts: int = DEFAULT_POLICY.attempts,
    stale_after: timedelta | None = None,
    retry_delay: timedelta | None = None,
    is_transient: Callable[[BaseException], bool] = database_error_is_transient,
    on_failure: Callable[..., None] | None = None,
    **task_options: Any,
) -> Callable[[Callable[..., T]], Task[Any, T]]:
    """Declare a task with its :class:`Policy` (see the module's docstring)."""
    policy = Policy(
        attempts=attempts,
        stale_after=stale_after,
        retry_delay=retry_delay,
        is_transient=is_transient,
        on_failure=on_failure,
    )

    def decorate(function: Callable[..., T]) -> Task[Any, T]:
        declared: Task[Any, T] = task(**task_options)(function)
        _policies[declared.module_path] = policy
        return declared

    return decorate


def policy_for(task_path: str) -> Policy:
    """The policy of the task at ``task_path`` (importing it declares it); the default for any other."""
    if task_path not in _policies:
        try:
            import_string(task_path)
        except ImportError:
            return DEFAULT_POLICY
    return _policies.get(task_path, DEFAULT_POLICY)


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """``task_finished`` receiver: a task that failed for good calls its policy's ``on_failure``."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    policy = policy_for(task_result.task.module_path)
    if policy.on_failure is None:
        return
    try:
        policy.on_failure(*task_result.args, **task_result.kwargs)
    except Exception:  # the failure is logged; recording it must not hide the task's own error
        logger.exception("Recording the failure of task id=%s failed", task_result.id)


class WorkerLostError(Exception):
    """Stored as the error of a task that was lost with its worker more often than it may be run."""


def _finished(row: DBTaskResult) -> None:
    task_finished.send(sender=type(row.task.get_backend()), task_result=row.task_result)


def reclaim_stale(
    *, backend_name: str = "default", stale_after: timedelta | None = None, now: datetime | None = None
) -> list[str]:
    """Put back in the queue every task RUNNING for longer than its policy's ``stale_after`` (or
    ``stale_after`` if given), to run again at once; one lost more often than its ``attempts`` is marked
    failed instead. Safe with several workers: each change is conditional on the status and start time
    read here. Returns the ids of the tasks reclaimed or failed."""
    now = now or timezone.now()
    changed = []
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for row in running.only("id", "task_path", "started_at", "worker_ids", "backend_name", "args_kwargs"):
        policy = policy_for(row.task_path)
        if row.started_at is None or row.started_at > now - (stale_after or policy.stale_timeout):
            continue
        same_run = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) < policy.attempts:
            if same_run.update(status=TaskResultStatus.READY, run_after=now):
                logger.warning("Task id=%s path=%s lost its worker: queued to run again", row.pk, row.task_path)
                changed.append(str(row.pk))
            continue
        lost = WorkerLostError(f"The worker running this task stopped {len(row.worker_ids)} times.")
        if same_run.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
            traceback="".join(format_exception(lost)),
        ):
            logger.error(
                "Task id=%s path=%s lost its worker %d times: failed", row.pk, row.task_path, len(row.worker_ids)
            )
            changed.append(str(row.pk))
            row = DBTaskResult.objects.get(pk=row.pk)  # every field: the rows above were read with only()
            try:
                _finished(row)
            except Exception:  # e.g. its task no longer exists: it is marked failed all the same
                logger.exception("Task id=%s could not record its failure", row.pk)
    return changed


def retry_later(row: DBTaskResult, error: BaseException, delay: timedelta) -> bool:
    """Queue a task that has just failed to run again after ``delay``, keeping its error for operators.
    False if it is no longer this run's to change (another worker reclaimed it meanwhile)."""
    updated = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + delay,
        exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
        traceback="".join(format_exception(error)),
    )
    if updated:
        logger.warning(
            "Task id=%s path=%s attempt %d failed (%s): trying again in %d s",
            row.pk,
            row.task_path,
            len(row.worker_ids),
            type(error).__name__,
            delay.total_seconds(),
        )
    return bool(updated)


class Worker(DatabaseWorker):
    """django-tasks-db's worker, with stale tasks reclaimed (at start and every ``reclaim_every``
    seconds), failed runs retried as their task's policy says, and, unless ``schedule_every`` is None,
    the periodic jobs started when their period comes (``core.scheduler``, every ``schedule_every``
    seconds)."""

    def __init__(
        self,
        *,
        stale_after: timedelta | None = None,
        reclaim_every: float = 60.0,
        schedule_every: float | None = None,
        **options: Any,
    ) -> None:
        super().__init__(**options)
        self.stale_after = stale_after
        self.reclaim_every = reclaim_every
        # Seconds between two ticks of the scheduler of periodic jobs (core.scheduler); None: no scheduler.
        self.schedule_every = schedule_every

    def schedule(self) -> None:
        """Start the periodic jobs whose current period has no run yet (``core.scheduler.tick``)."""
        from coproduce.core.scheduler import tick

        tick()

    def reclaim(self) -> None:
        try:
            reclaim_stale(backend_name=self.backend_name, stale_after=self.stale_after)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise

    def claim_next(self) -> tuple[bool, DBTaskResult | None]:
        """Claim the next task that is due: (whether the queue could be read, the task or None)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                row = tasks.get_locked()
                if row is not None:
                    row.claim(self.worker_id)  # so no other worker runs it
        except OperationalError as error:
            if is_locked_database_exception(error):  # SQLite busy: try again next time round
                return False, None
            raise
        return True, row

    def run_next(self) -> bool:
        """Claim and run one task if one is due; whether one ran."""
        _read, row = self.claim_next()
        if row is None:
            return False
        self.run_task(row)
        return True

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            # A random pause spreads out workers started together; nothing secret depends on it.
            time.sleep(random.random())  # noqa: S311  # nosec B311
        next_reclaim = next_tick = 0.0
        while self.running:
            close_old_connections()
            try:
                if time.monotonic() >= next_reclaim:
                    self.reclaim()
                    next_reclaim = time.monotonic() + self.reclaim_every
                if self.schedule_every is not None and time.monotonic() >= next_tick:
                    self.schedule()
                    next_tick = time.monotonic() + self.schedule_every
                read, row = self.claim_next()
                if row is not None:
                    self.run_task(row)
            except (OperationalError, InterfaceError) as error:
                # The database restarting or failing over: wait for it rather than stop. A task whose
                # result could not be saved is still RUNNING, and is run again once it is stale.
                logger.warning(
                    "The database did not answer (%s): trying again in %d s", type(error).__name__, DATABASE_PAUSE
                )
                close_old_connections()
                time.sleep(DATABASE_PAUSE)
                continue
            if self.batch and read and row is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id
                )
                return
            close_old_connections()
            if self.running and row is None:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task, its log lines carrying its id and the id of the request that queued it
        (``core.logs``); a failure is retried later if its policy says so, else recorded."""
        with log_context(request_id=request_id_of(db_task_result), task_id=str(db_task_result.pk)):
            self._run_task(db_task_result)

    def _run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            running = db_task_result.task
            result = db_task_result.task_result
            backend_type = type(running.get_backend())
            task_started.send(sender=backend_type, task_result=result)
            if running.takes_context:
                value = running.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = running.call(*result.args, **result.kwargs)
            db_task_result.set_successful(value)
            _finished(db_task_result)
        except BaseException as error:
            policy = policy_for(db_task_result.task_path)
            attempt = len(db_task_result.worker_ids)
            stopped = not isinstance(error, Exception)  # stopped by force (a second Ctrl-C): not its fault
            if policy.retries(error, attempt) or (stopped and attempt < policy.attempts):
                retry_later(db_task_result, error, timedelta(0) if stopped else policy.delay_before(attempt))
            else:
                db_task_result.set_failed(error)
                try:
                    _finished(db_task_result)
                except Exception:
                    logger.exception("Task id=%s failed unexpectedly", db_task_result.pk)
            if stopped:
                raise
        finally:
            self.running_task = False
            self._run_tasks += 1
