"""Background work for decisions: the count after closing, and the periodic jobs ``decisions.close_due``
(every 5 minutes) and ``decisions.closing_reminders`` (every hour), registered in ``apps.py`` and run by
``core.scheduler``. The work itself is the services'."""

from __future__ import annotations

from coproduce.core.background import reliable_task


def count_failed(decision_id: int) -> None:
    """The count failed for good: the results page says so."""
    from coproduce.decisions.services import decision_count_failed

    decision_count_failed(decision_id)


@reliable_task(on_failure=count_failed)
def count_decision(decision_id: int) -> str:
    """Count a closed decision and store its result (``services.decision_count``); its result status. Safe to
    run again: a decision already counted is left as it is."""
    from coproduce.decisions.services import decision_count

    return str(decision_count(decision_id).result_status)


@reliable_task()
def close_due_decisions() -> int:
    """Close every decision whose closing time has come; how many."""
    from coproduce.decisions.services import close_due

    return close_due()


@reliable_task()
def send_closing_reminders() -> int:
    """Remind those who have not answered, a day before a decision closes; how many people."""
    from coproduce.decisions.services import closing_reminders_send_due

    return closing_reminders_send_due()
