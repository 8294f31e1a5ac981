"""A background task for ``benchmarks/cluster.py``: it takes a couple of seconds, so that a worker can be killed
in the middle of it, and notes each start and each finish in a file shared by the worker hosts.

The workers import it by its dotted path (``cluster_jobs.slow_job``): cluster.py puts this folder on their
``PYTHONPATH``. Nothing of the platform uses it.
"""

from __future__ import annotations

import os
import time

from coproduce.core.background import reliable_task


def _note(log_path: str, line: str) -> None:
    # One write of one short line with O_APPEND: lines of several processes do not interleave.
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


@reliable_task()
def slow_job(job_id: str, seconds: float, log_path: str) -> str:
    host = os.environ.get("COPRODUCE_CLUSTER_HOST", "?")
    _note(log_path, f"start {job_id} {host} {time.time():.3f}")
    time.sleep(seconds)
    _note(log_path, f"done {job_id} {host} {time.time():.3f}")
    return job_id
