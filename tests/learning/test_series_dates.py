"""The dates of a series, as plain data: properties that hold for any start, rule and end."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from coproduce.learning.services import series_dates
from coproduce.learning.services.series import MOST_IN_SERIES

starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))


@given(
    start=starts,
    rule=st.sampled_from(["weekly", "fortnightly", "monthly"]),
    week=st.sampled_from([1, 2, 3, 4, -1]),
    count=st.none() | st.integers(min_value=1, max_value=150),
    span=st.integers(min_value=0, max_value=900),
)
def test_every_date_is_on_the_weekday_in_order_and_within_the_end(
    start: date, rule: str, week: int, count: int | None, span: int
) -> None:
    until = None if count is not None else start + timedelta(days=span)
    dates = series_dates(rule=rule, starts_on=start, until=until, count=count, week_of_month=week)
    assert all(d.weekday() == start.weekday() for d in dates)
    assert dates == sorted(set(dates))
    assert all(d >= start for d in dates)
    assert len(dates) <= min(count or MOST_IN_SERIES, MOST_IN_SERIES)
    if count is not None:
        assert len(dates) == min(count, MOST_IN_SERIES)
    else:
        assert until is not None
        assert all(d <= until for d in dates)
    if rule != "monthly":
        step = 7 if rule == "weekly" else 14
        assert dates[0] == start
        assert all((b - a).days == step for a, b in pairwise(dates))
    else:
        assert len({(d.year, d.month) for d in dates}) == len(dates)  # one a month
        if week == -1:
            assert all((d + timedelta(days=7)).month != d.month for d in dates)
        else:
            assert all((d.day - 1) // 7 + 1 == week for d in dates)
