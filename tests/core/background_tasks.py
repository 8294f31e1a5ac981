"""Tasks for the tests of background work, at module level so that a worker can import them by name."""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import OperationalError

from coproduce.core.background import reliable_task

runs: Counter[str] = Counter()
gave_up: list[tuple[Any, ...]] = []


def note_failure(*args: Any, **kwargs: Any) -> None:
    gave_up.append((*args, *sorted(kwargs.items())))


@reliable_task(on_failure=note_failure)
def count(key: str) -> int:
    """Counts its runs."""
    runs[key] += 1
    return runs[key]


@reliable_task(stale_after=timedelta(minutes=1), on_failure=note_failure)
def count_quickly_lost(key: str) -> int:
    """Counts its runs; counts as lost a minute after it started."""
    runs[key] += 1
    return runs[key]


@reliable_task(attempts=3, on_failure=note_failure)
def fail_first(key: str, failures: int, *, transient: bool = True) -> int:
    """Fails its first ``failures`` runs, as a database that went away would (or as a bug would)."""
    runs[key] += 1
    if runs[key] <= failures:
        raise OperationalError("server closed the connection unexpectedly") if transient else ValueError("a bug")
    return runs[key]


@reliable_task()
def block_the_first_time(folder: str) -> int:
    """The first run writes ``started`` and blocks (until its worker is killed); a later run writes ``done``."""
    started = Path(folder) / "started"
    if not started.exists():
        started.write_text(str(os.getpid()))
        time.sleep(120)
    (Path(folder) / "done").write_text(str(os.getpid()))
    return os.getpid()


@reliable_task()
def periodic() -> int:
    """A periodic job's task: counts its runs."""
    runs["periodic"] += 1
    return runs["periodic"]
