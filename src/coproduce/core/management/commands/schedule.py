"""``coproduce schedule``: the periodic jobs (``core.scheduler``), how often each runs, its last run and
when the next period starts. ``--tick`` starts, once, every job whose current period has no run yet (as a
worker does every 30 seconds)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coproduce.core.models import ScheduledRun
from coproduce.core.scheduler import periodic_jobs, tick


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment, timezone.get_default_timezone()):%a %d %b %Y %H:%M %Z}"


class Command(BaseCommand):
    help = "List the periodic jobs: how often each runs, its last run and its next."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--tick",
            action="store_true",
            help="start, once, every job whose current period has no run yet (a worker does this every 30 s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["tick"]:
            started = tick()
            for run in started:
                self.stdout.write(f"Started {run.job} for the period from {_when(run.period_start)}.")
            if not started:
                self.stdout.write("Nothing to start: every job has its run for this period.")
            return
        jobs = periodic_jobs()
        if not jobs:
            self.stdout.write("No periodic jobs are registered.")
            return
        now = timezone.now()
        last: dict[str, ScheduledRun] = {}
        for run in ScheduledRun.objects.filter(job__in=[job.key for job in jobs]).order_by("job", "-period_start"):
            last.setdefault(run.job, run)
        statuses = dict(
            DBTaskResult.objects.filter(id__in=[run.task_id for run in last.values() if run.task_id]).values_list(
                "id", "status"
            )
        )
        for job in jobs:
            self.stdout.write(f"{job.key}: {job.describe_every()}, task {job.task}")
            if job.description:
                self.stdout.write(f"  {job.description}")
            latest = last.get(job.key)
            if latest is None:
                self.stdout.write("  last run: never")
            else:
                status = statuses.get(_uuid(latest.task_id), "removed") if latest.task_id else "unknown"
                self.stdout.write(
                    f"  last run: the period from {_when(latest.period_start)}, started {_when(latest.created_at)}"
                    f" (task {str(status).lower()})"
                )
            current = job.period_start(now)
            if latest is None or latest.period_start < current:
                self.stdout.write(f"  next run: now (the period from {_when(current)} has not run yet)")
            else:
                self.stdout.write(f"  next run: {_when(job.next_start(now))}")


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return value
