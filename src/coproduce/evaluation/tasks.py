"""Evaluation's background work, run by ``core.scheduler`` (jobs registered in ``apps.py``): offers to evaluate
(``evaluation.offers``, every 15 minutes) and the parents' panel's reviews (``evaluation.reviews``, daily). The
work itself is the services'; each task is safe to run again."""

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
