"""Report periods in dates: quarters (January to March is the first), financial years (April to March) and
calendar years, and what a saved definition's period means on a given day. Pure: dates in, dates out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_of(start: date) -> Period:
    """The quarter starting on ``start`` (the first day of January, April, July or October)."""
    month = start.month + 3
    year = start.year + (month > 12)
    following = date(year, (month - 1) % 12 + 1, 1)
    return Period(start, following - timedelta(days=1))


def last_ended_quarter(today: date) -> Period:
    """The latest quarter that ended before ``today``."""
    return quarter_of(quarter_start(quarter_start(today) - timedelta(days=1)))


def year_of(first_year: int, basis: str) -> Period:
    """The financial year from April ``first_year`` or the calendar year ``first_year``."""
    if basis == "financial":
        return Period(date(first_year, 4, 1), date(first_year + 1, 3, 31))
    return Period(date(first_year, 1, 1), date(first_year, 12, 31))


def year_containing(day: date, basis: str) -> Period:
    first_year = day.year - 1 if basis == "financial" and day.month < 4 else day.year
    return year_of(first_year, basis)


def relative_period(kind: str, basis: str, today: date) -> Period:
    """What a saved quarter or year means on ``today``: the latest quarter that has ended, or the year it falls in
    (financial or calendar) from its start to the end of that quarter (the whole year once its last quarter ended)."""
    quarter = last_ended_quarter(today)
    if kind == "quarter":
        return quarter
    return Period(year_containing(quarter.start, basis).start, quarter.end)


def quarter_label(start: date) -> str:
    period = quarter_of(start)
    return _("%(first)s to %(last)s %(year)s") % {
        "first": _month(period.start.month),
        "last": _month(period.end.month),
        "year": period.start.year,
    }


def year_label(first_year: int, basis: str) -> str:
    if basis == "financial":
        return _("April %(first)s to March %(next)s") % {"first": first_year, "next": first_year + 1}
    return _("January to December %(year)s") % {"year": first_year}


def _month(number: int) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS[number])


def recent_quarters(today: date, count: int = 8) -> list[date]:
    """First days of the current quarter and the ``count - 1`` before it, newest first."""
    starts = [quarter_start(today)]
    while len(starts) < count:
        starts.append(quarter_start(starts[-1] - timedelta(days=1)))
    return starts


def recent_years(today: date, count: int = 4) -> list[int]:
    return [today.year - n for n in range(count)]
