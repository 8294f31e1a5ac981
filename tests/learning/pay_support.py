"""Events, attendance and fund money for the calendars' and paid time's tests (made directly: what is tested
here is calendars and pay, not how events are set up)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from coproduce.fund.models import Contribution
from coproduce.learning.models import Attendance, Event, PaySettings, Registration
from coproduce.partnerships.models import Membership, Organisation, Partnership
from tests.factories import OrganisationFactory

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def make_event(partnership: Partnership, *, starts: dt.datetime | None = None, hours: int = 2, **fields: Any) -> Event:
    starts = starts or timezone.now() - dt.timedelta(days=1)
    fields.setdefault("kind", "codesign")
    fields.setdefault("title", "Designing the drop-in together")
    fields.setdefault("paid_time", True)
    return Event.objects.create(
        partnership=partnership, starts_at=starts, ends_at=starts + dt.timedelta(hours=hours), **fields
    )


def register(event: Event, membership: Membership, *, status: str = "registered") -> Registration:
    position = event.registrations.count() + 1
    return Registration.objects.create(
        event=event,
        user=membership.user,
        status=status,
        position=position,
        is_member=membership.is_member,
        cancelled_at=timezone.now() if status == "cancelled" else None,
    )


def attend(event: Event, membership: Membership, *, minutes: int | None = None, present: bool = True) -> Attendance:
    return Attendance.objects.create(
        event=event,
        user=membership.user,
        present=present,
        minutes=(event.duration_minutes if minutes is None else minutes) if present else 0,
        is_member=membership.is_member,
    )


def rates(partnership: Partnership, *, hourly: int = 15_00, ceiling: int = 50_00, **fields: Any) -> PaySettings:
    return PaySettings.objects.update_or_create(
        partnership=partnership,
        defaults={"hourly_rate_pence": hourly, "expense_ceiling_pence": ceiling, **fields},
    )[0]


def fund_money(partnership: Partnership, pence: int = 1000_00) -> Contribution:
    organisation = Organisation.objects.filter(partnership=partnership).first() or OrganisationFactory(
        partnership=partnership
    )
    return Contribution.objects.create(
        partnership=partnership,
        organisation=organisation,
        kind="money",
        description="Core grant",
        value_pence=pence,
        received_at=timezone.now(),
    )
