"""A real ``coproduce worker`` killed with SIGKILL in the middle of a task: the next worker runs it again."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from coproduce.core.scheduler import periodic_jobs

ROOT = Path(__file__).resolve().parents[2]
TABLE = "django_tasks_database_dbtaskresult"

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def coproduce(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "coproduce.cli", *args], env=env, capture_output=True, text=True, timeout=300, check=True
    )


def worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "coproduce.cli", "worker", "--no-startup-delay", "--interval", "0.1", *args]
    return subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.05)
    return False


def task_row(database: Path) -> tuple[str, list[str]]:
    with sqlite3.connect(database) as db:
        status, worker_ids = db.execute(f"SELECT status, worker_ids FROM {TABLE}").fetchone()  # noqa: S608
    return status, json.loads(worker_ids)


def test_a_task_whose_worker_is_killed_is_run_again_by_the_next_worker(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", tmp_path / "task"
    data.mkdir()
    folder.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"COPRODUCE_DEMO": "1", "COPRODUCE_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)})
    coproduce(env, "migrate", "django_tasks_database", "--verbosity", "0")
    enqueue = f"from tests.core.background_tasks import block_the_first_time as t; t.enqueue({str(folder)!r})"
    coproduce(env, "shell", "-c", enqueue)

    first = worker(env, "--no-scheduler")  # only the tasks' table exists
    try:
        assert wait_for(folder / "started", 20), "the first worker never started the task"
    finally:
        first.send_signal(signal.SIGKILL)  # no chance to clean up: the task stays RUNNING
        first.wait(10)
    status, worker_ids = task_row(data / "coproduce.sqlite3")
    assert status == "RUNNING" and len(worker_ids) == 1

    time.sleep(1.1)  # older than the stale timeout the next worker is given
    second = worker(env, "--batch", "--stale-after", "1", "--no-scheduler")
    output: Any = second.communicate(timeout=30)[0]
    assert second.returncode == 0, output
    assert (folder / "done").read_text() == str(second.pid)
    status, worker_ids = task_row(data / "coproduce.sqlite3")
    assert status == "SUCCESSFUL" and len(worker_ids) == 2 and worker_ids[0] != worker_ids[1]


def test_two_workers_started_together_on_one_database_start_each_periodic_job_once(tmp_path: Path) -> None:
    """Two real ``coproduce worker`` processes (as on two machines sharing the database) tick at once."""
    data = tmp_path / "data"
    data.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"COPRODUCE_DEMO": "1", "COPRODUCE_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)})
    coproduce(env, "migrate", "--verbosity", "0")
    workers = [worker(env, "--batch", "--worker-id", f"machine-{n}") for n in (1, 2)]
    for process in workers:
        output: Any = process.communicate(timeout=60)[0]
        assert process.returncode == 0, output
    with sqlite3.connect(data / "coproduce.sqlite3") as db:
        runs = db.execute("SELECT job, COUNT(*) FROM core_scheduledrun GROUP BY job ORDER BY job").fetchall()
        tasks = db.execute(f"SELECT task_path, status FROM {TABLE} ORDER BY task_path").fetchall()  # noqa: S608
    jobs = periodic_jobs()
    assert {"notifications.emails", "improvement.review_reminders"} <= {job.key for job in jobs}
    assert runs == [(job.key, 1) for job in jobs]  # each job once, though both workers ticked
    assert sorted(tasks) == sorted((job.task, "SUCCESSFUL") for job in jobs)
