"""Background work for evaluation, one section per part. The work itself is the services'."""

from __future__ import annotations

from coproduce.core.background import reliable_task

# --- the partnership health check


@reliable_task()
def tell_about_health_check(check_id: int) -> int:
    """Tell everyone taking part that a health check is open (``services.health_check_announce``); how many
    were told. Safe to run again: an unread notice about the same check is not repeated."""
    from coproduce.evaluation.services.health import health_check_announce

    return health_check_announce(check_id=check_id)
