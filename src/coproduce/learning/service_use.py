"""What learning tells evaluation about the events parents came to (registered in ``apps.py``; see
``partnerships.service_use``). Parents evaluate the events one organisation hosts, taken together
("Events hosted by One Parent Families Scotland"), and those the partnership runs itself ("learning.host:0"),
rather than each event: one event is rarely big enough for five answers. A use is an attendance where she came
(``Attendance.present``), at the event's end; cancelled events count for nothing."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.learning.models import Attendance, Event
from coproduce.partnerships.models import Organisation
from coproduce.partnerships.service_use import EvaluatedThing, ServiceUse, ServiceUseSource

PARTNERSHIP_ITSELF = 0  # the "host" of events without one


def thing_key(host_id: int | None) -> str:
    return f"learning.host:{host_id or PARTNERSHIP_ITSELF}"


def things(partnership_id: int) -> list[EvaluatedThing]:
    """Each organisation that hosts an event of the partnership, and the partnership itself when it runs an
    event without a host (two queries)."""
    events = Event.objects.filter(partnership_id=partnership_id)
    hosts = Organisation.objects.filter(pk__in=events.filter(host__isnull=False).values("host_id")).order_by(
        "name", "id"
    )
    found = [
        EvaluatedThing(
            key=thing_key(org.pk),
            kind="events",
            name=_("Events hosted by %(organisation)s") % {"organisation": org.name},
            organisation_id=org.pk,
        )
        for org in hosts.only("id", "name")
    ]
    if events.filter(host__isnull=True).exists():
        found.append(
            EvaluatedThing(
                key=thing_key(None), kind="events", name=_("Events run by the partnership"), organisation_id=None
            )
        )
    return found


def _came(partnership_id: int) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        event__partnership_id=partnership_id,
        event__cancelled_at__isnull=True,
        present=True,
        user__isnull=False,
    )


def _use(pk: int, user_id: int, host_id: int | None, ends_at: datetime) -> ServiceUse:
    return ServiceUse(
        key=f"learning.attendance:{pk}",
        user_id=user_id,
        thing_key=thing_key(host_id),
        moment="attended",
        happened_at=ends_at,
    )


def recent(partnership_id: int, since: datetime) -> list[ServiceUse]:
    """Attendances (she came) at events that ended at or after ``since`` and have ended by now (one query)."""
    rows = (
        _came(partnership_id)
        .filter(event__ends_at__gte=since, event__ends_at__lte=timezone.now())
        .order_by("event__ends_at", "id")
        .values_list("id", "user_id", "event__host_id", "event__ends_at")
    )
    return [_use(*row) for row in rows]


def for_person(partnership_id: int, user_id: int) -> list[ServiceUse]:
    """Every event she came to, newest first (one query)."""
    rows = (
        _came(partnership_id)
        .filter(user_id=user_id)
        .order_by("-event__ends_at", "-id")
        .values_list("id", "user_id", "event__host_id", "event__ends_at")
    )
    return [_use(*row) for row in rows]


SOURCE = ServiceUseSource(key="learning", things=things, recent=recent, for_person=for_person)
