"""Background work for evaluation, one section per part. The work itself is the services'.

Offers to evaluate: the periodic job ``evaluation.offers`` (registered in ``apps.py``, run by ``core.scheduler``
every 15 minutes) makes every offer that is due. The health check: telling everyone taking part that one is
open, enqueued when it is saved."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def make_offers() -> int:
    """Offer members a short evaluation of a service they used (see ``services.offers_make``); how many offers
    were made. Safe to run again."""
    from coproduce.evaluation.services import offers_make

    return offers_make()


# --- the partnership health check


@reliable_task()
def tell_about_health_check(check_id: int) -> int:
    """Tell everyone taking part that a health check is open (``services.health_check_announce``); how many
    were told. Safe to run again: an unread notice about the same check is not repeated."""
    from coproduce.evaluation.services.health import health_check_announce

    return health_check_announce(check_id=check_id)
