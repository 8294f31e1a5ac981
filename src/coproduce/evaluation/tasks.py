"""Evaluation's background work, one section per part; the work itself is the services', and each task is safe
to run again. Run by ``core.scheduler`` (jobs registered in ``apps.py``): offers to evaluate (``evaluation.offers``,
every 15 minutes) and the parents' panel's reviews (``evaluation.reviews``, daily). Enqueued when a health check
is saved: telling everyone taking part that it is open."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def make_offers() -> int:
    """Offer members a short evaluation of a service they used (see ``services.offers_make``); how many offers
    were made. Safe to run again."""
    from coproduce.evaluation.services import offers_make

    return offers_make()


# --- the parents' panel and the services' responses (ev-panel)


@reliable_task()
def open_reviews() -> int:
    """Open the reviews of the quarter that ended (telling the parents' panel) and release to the services
    those whose panel time is over (telling their staff); how many reviews were opened or released."""
    from coproduce.evaluation.services import reviews_open, reviews_release_due

    return reviews_open() + reviews_release_due()


# --- the partnership health check


@reliable_task()
def tell_about_health_check(check_id: int) -> int:
    """Tell everyone taking part that a health check is open (``services.health_check_announce``); how many
    were told. Safe to run again: an unread notice about the same check is not repeated."""
    from coproduce.evaluation.services.health import health_check_announce

    return health_check_announce(check_id=check_id)
