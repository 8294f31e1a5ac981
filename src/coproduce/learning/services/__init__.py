"""Every write for learning together's events: keyword-only, the acting membership first, permission checked,
one transaction with the rows it changes locked, an audit event. Bad input raises ``ServiceError`` naming the
field, before anything is saved; something that is not the person's raises ``NotPermitted`` (a 404).

One module per thing (events, series, registrations and needs, attendance, reminders); what they share is in
``_common``. Callers import those from here; calendars, paid time and the learning log are imported by their
module (``services.calendars``, ``services.pay``, ``services.log``)."""

from coproduce.learning.services.attendance import attendance_mark
from coproduce.learning.services.events import (
    EventDetails,
    EventFields,
    event_cancel,
    event_create,
    event_update,
    places_fill,
)
from coproduce.learning.services.registrations import (
    NeedsData,
    needs_update,
    registration_cancel,
    registration_make,
)
from coproduce.learning.services.reminders import DAY_BEFORE_FROM, ON_THE_DAY_FROM, event_reminders_send_due
from coproduce.learning.services.series import SeriesTiming, local_at, series_create, series_dates, series_update

__all__ = [
    "DAY_BEFORE_FROM",
    "ON_THE_DAY_FROM",
    "EventDetails",
    "EventFields",
    "NeedsData",
    "SeriesTiming",
    "attendance_mark",
    "event_cancel",
    "event_create",
    "event_reminders_send_due",
    "event_update",
    "local_at",
    "needs_update",
    "places_fill",
    "registration_cancel",
    "registration_make",
    "series_create",
    "series_dates",
    "series_update",
]
