from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.learning import services
from coproduce.learning.models import Event
from coproduce.partnerships.models import Membership
from tests.factories import MembershipFactory, UserFactory


def event_fields(*, host: Any = None, starts_at: datetime | None = None, **overrides: Any) -> services.EventFields:
    starts = starts_at or timezone.now() + timedelta(days=7)
    values: dict[str, Any] = {
        "kind": "learning",
        "title": "Talking with teenagers",
        "purpose": "Parents and family workers learn together.",
        "audience": "everyone",
        "place": "Riverside Family Hub, Room 2",
        "access_info": "Step-free entrance from the car park.",
        "capacity": 10,
        "host": host,
        "paid_time": False,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    values.update(overrides)
    return services.EventFields(**values)


def make_event(organiser: Membership, **overrides: Any) -> Event:
    overrides.setdefault("host", organiser.organisation)
    return services.event_create(actor=organiser, fields=event_fields(**overrides))


def members(partnership: Any, n: int) -> list[Membership]:
    return [MembershipFactory(partnership=partnership, is_member=True, user=UserFactory()) for _ in range(n)]


@pytest.fixture
def event(worker: Membership) -> Event:
    return make_event(worker)


def at(moment: datetime) -> Any:
    """The clock stands at ``moment`` for the services (``timezone.now``, ``timezone.localdate``)."""
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=moment)
