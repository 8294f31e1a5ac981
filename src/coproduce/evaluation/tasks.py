"""Offers to evaluate. The periodic job ``evaluation.offers`` (registered in ``apps.py``, run by
``core.scheduler`` every 15 minutes) makes every offer that is due. The work itself is the service's."""

from __future__ import annotations

from coproduce.core.background import reliable_task


@reliable_task()
def make_offers() -> int:
    """Offer members a short evaluation of a service they used (see ``services.offers_make``); how many offers
    were made. Safe to run again."""
    from coproduce.evaluation.services import offers_make

    return offers_make()
