"""The limit learning keeps on an event, registered for ``coproduce check-counts``: the places taken (people
registered, not waiting or cancelled) are never more than the event's capacity."""

from django.db.models import Q

from coproduce.learning.models import Event, Registration
from coproduce.partnerships.kept_counts import KeptCount, count_of, register_kept_count

PLACES = KeptCount(
    key="learning.event.capacity",
    model=Event,
    field="capacity",
    recount=count_of(Registration, "event", status=Registration.Status.REGISTERED),
    partnership="partnership_id",
    rows=Q(capacity__isnull=False),
    rule="at_most",
    counts="the places taken at the event, never more than its capacity",
)


def register() -> None:
    register_kept_count(PLACES)
