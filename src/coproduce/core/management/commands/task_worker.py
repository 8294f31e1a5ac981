"""``coproduce worker``: run background tasks, reclaiming those a stopped worker left and retrying failures
(``core.background``), and start the periodic jobs once per period (``core.scheduler``). The options are
django-tasks-db's ``db_worker``'s, and a few more."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import valid_interval

from coproduce.core.background import Worker
from coproduce.core.scheduler import TICK_EVERY


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks. A task left running by a worker that stopped is run again once it is older "
        "than its stale timeout; a task that fails for a passing reason is tried again later. Periodic jobs "
        "are started once per period, however many workers run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--stale-after",
            type=valid_interval,
            default=None,
            help="seconds after which any running task counts as lost and is run again "
            "(default: each task's own, else COPRODUCE_TASK_STALE_AFTER)",
        )
        parser.add_argument(
            "--reclaim-every",
            type=valid_interval,
            default=60.0,
            help="seconds between two looks for lost tasks (default: %(default)s)",
        )
        parser.add_argument(
            "--schedule-every",
            type=valid_interval,
            default=TICK_EVERY,
            help="seconds between two looks for periodic jobs whose period has come (default: %(default)s)",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="run queued tasks only: do not start periodic jobs (another worker does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        stale_after = options["stale_after"]
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            stale_after=timedelta(seconds=stale_after) if stale_after is not None else None,
            reclaim_every=options["reclaim_every"],
            schedule_every=None if options["no_scheduler"] else options["schedule_every"],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
