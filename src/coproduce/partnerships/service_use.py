"""Which services a person used, across capabilities, so that evaluation asks her about a real service at the
right moment: after a referral is completed, after an event she came to, when she stops using a service.

Each capability that provides something parents use registers a ``ServiceUseSource`` (in its
AppConfig.ready); evaluation gathers them. The foundation imports no capability, so evaluation reaches them
only through what they register here, and they never import evaluation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class EvaluatedThing:
    """Something parents may evaluate, as the capability that provides it names it."""

    key: str  # unique in the partnership and stable: "support.service:12", "learning.host:3", "learning.host:0"
    kind: str  # "service" (a directory service) or "events" (the events one organisation hosts)
    name: str  # "Money advice drop-in", "Events hosted by One Parent Families Scotland"
    organisation_id: int | None  # the organisation that provides it (None: the partnership itself)
    active: bool = True  # still offered (a retired service keeps its results but is offered to nobody)


@dataclass(frozen=True)
class ServiceUse:
    """One use of a thing by one person, at one moment."""

    key: str  # unique and stable for the use: "support.referral:55", "learning.attendance:9"
    user_id: int
    thing_key: str  # ``EvaluatedThing.key``
    moment: str  # "completed" (a referral), "attended" (an event), "left" (stopped using a service)
    happened_at: datetime


@dataclass(frozen=True)
class ServiceUseSource:
    key: str  # the capability's label: "support", "learning"
    # Everything of this source in the partnership that parents may evaluate (one or two queries).
    things: Callable[[int], list[EvaluatedThing]]
    # The uses in the partnership that happened at or after ``since`` (one or two queries however many).
    recent: Callable[[int, datetime], list[ServiceUse]]
    # Every use by one person in the partnership (partnership id, user id), newest first.
    for_person: Callable[[int, int], list[ServiceUse]]


_SOURCES: dict[str, ServiceUseSource] = {}


def register_service_use_source(source: ServiceUseSource) -> None:
    _SOURCES[source.key] = source


def service_use_sources() -> list[ServiceUseSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)
