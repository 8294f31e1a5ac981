"""Pages for learning together: events and series, registration with what would help people come, the
organisers' totals, the attendance register and the learning-hours report. Each view resolves what it needs
through the selectors (what is out of reach raises NotPermitted, a 404), calls one service for a write, and
renders. A ServiceError is shown next to its field (or at the top).

The events' views are named here; calendars, paid time and the learning log are in their own modules
(``views.calendars``, ``views.pay``, ``views.log``), which ``urls.py`` lists with the rest."""

from coproduce.learning.views.attendance import attendance, needs
from coproduce.learning.views.events import (
    event,
    event_cancel,
    event_card,
    event_edit,
    event_new,
    events,
    series_new,
)
from coproduce.learning.views.hours import hours
from coproduce.learning.views.registration import register, registration_cancel

__all__ = [
    "attendance",
    "event",
    "event_cancel",
    "event_card",
    "event_edit",
    "event_new",
    "events",
    "hours",
    "needs",
    "register",
    "registration_cancel",
    "series_new",
]
