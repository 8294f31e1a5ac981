"""The retention period in force for each kind of data in a partnership, and the cut-off it gives: read by the
services (the job, the settings) and the selectors (the settings page, the privacy notice) alike."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.dataprotection.models import RetentionPeriod
from coproduce.partnerships.models import Partnership
from coproduce.partnerships.personal_data import RetentionKind, retention_kinds


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff_for(now: datetime, amount: int, unit: str) -> datetime:
    if unit == RetentionPeriod.Unit.MONTHS:
        return months_before(now, amount)
    return now - timedelta(days=amount)


def describe(amount: int | None, unit: str) -> str:
    """ "2 years" style words for a period; "Kept until deleted by hand" for none."""
    if amount is None:
        return _("Kept until deleted by hand")
    if unit == RetentionPeriod.Unit.MONTHS:
        if amount % 12 == 0:
            years = amount // 12
            return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
        return ngettext("%(n)d month", "%(n)d months", amount) % {"n": amount}
    if amount % 365 == 0:
        years = amount // 365
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}


@dataclass(frozen=True)
class KindPeriod:
    """One kind of data and the period in force for it in one partnership."""

    kind: RetentionKind
    amount: int | None  # None: kept until deleted by hand
    unit: str
    is_default: bool  # the partnership has not set it: the kind's default applies

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def words(self) -> str:
        return describe(self.amount, self.unit)

    def cutoff(self, now: datetime) -> datetime | None:
        return None if self.amount is None else cutoff_for(now, self.amount, self.unit)


def periods_for(partnership: Partnership | int) -> list[KindPeriod]:
    """Every registered kind, with the partnership's period for it (or the kind's default), in one query."""
    partnership_id = partnership if isinstance(partnership, int) else partnership.pk
    chosen = {row.kind: row for row in RetentionPeriod.objects.filter(partnership_id=partnership_id)}
    periods = []
    for kind in retention_kinds():
        row = chosen.get(kind.key)
        if row is not None:
            periods.append(KindPeriod(kind, row.amount, row.unit, is_default=False))
        else:
            periods.append(KindPeriod(kind, kind.default_days, RetentionPeriod.Unit.DAYS, is_default=True))
    return periods
