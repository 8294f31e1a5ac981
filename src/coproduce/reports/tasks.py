"""Background work for reports: building a report (its progress saved section by section) and, after each
quarter ends, building every saved definition that repeats. The work is the services'; each task is safe to
run twice."""

from __future__ import annotations

from coproduce.core.background import reliable_task


def _build_failed(run_id: int) -> None:
    from coproduce.reports.services.builder import run_failed

    run_failed(run_id=run_id)


@reliable_task(on_failure=_build_failed)
def build_report(run_id: int) -> str:
    """Build one report (``services.builder.run_build``); its status. Safe to run twice."""
    from coproduce.reports.services.builder import run_build

    return run_build(run_id=run_id)


@reliable_task()
def repeat_reports() -> int:
    """Build each repeating saved report once for the quarter that ended (``definitions_repeat_due``)."""
    from coproduce.reports.services.builder import definitions_repeat_due

    return definitions_repeat_due()
