"""The real Living Wage (UK rate, outside London), as the Living Wage Foundation sets it each autumn.

A job started is compared with the rate in force on the day it started, and that rate is stored on the
outcome, so a later rise never rewrites what was recorded. The rates are the Living Wage Foundation's
published UK rates (https://www.livingwage.org.uk/what-real-living-wage), in force here from the day each was
announced (accredited employers then have until the following 1 May to pay it).

To add a new year's rate: append ``(date it was announced, pence an hour)`` below, in date order, and say so
in docs/outcomes.md. Nothing else changes; outcomes already recorded keep the rate they were compared with.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

__all__ = ["RATES", "living_wage_on"]

# (in force from, pence an hour): the UK rate outside London.
RATES: tuple[tuple[dt.date, int], ...] = (
    (dt.date(2016, 11, 3), 845),
    (dt.date(2017, 11, 6), 875),
    (dt.date(2018, 11, 5), 900),
    (dt.date(2019, 11, 11), 930),
    (dt.date(2020, 11, 9), 950),
    (dt.date(2021, 11, 15), 990),
    (dt.date(2022, 9, 22), 1090),
    (dt.date(2023, 10, 24), 1200),
    (dt.date(2024, 10, 22), 1260),
    (dt.date(2025, 10, 21), 1345),
)


def living_wage_on(day: dt.date) -> int | None:
    """The real Living Wage in pence an hour in force on ``day``; ``None`` before the table starts.

    >>> living_wage_on(dt.date(2025, 1, 6))
    1260
    >>> living_wage_on(dt.date(2025, 10, 21))
    1345
    >>> living_wage_on(dt.date(2010, 1, 1)) is None
    True
    """
    index = bisect_right([start for start, _pence in RATES], day)
    return RATES[index - 1][1] if index else None
