"""Running stored tasks in the test's own process, as ``coproduce worker`` would."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coproduce.core.background import Worker

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def worker(**options: Any) -> Worker:
    """A worker that runs what is due and stops (call ``run_next`` for one task)."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=options.pop("worker_id", "test-worker"),
        excluded_queue_names=[],
        **options,
    )


def run_due_tasks() -> int:
    """Run every task that is due now, one after another; how many ran."""
    ran = 0
    while worker().run_next():
        ran += 1
    return ran


def make_all_due() -> None:
    """As if every wait before a retry were over."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
