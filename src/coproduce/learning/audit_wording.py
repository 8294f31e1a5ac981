"""What learning together's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "learning.event_created": gettext_lazy("%(who)s set up the event “%(what)s”."),
    "learning.event_changed": gettext_lazy("%(who)s changed the event “%(what)s”."),
    "learning.event_cancelled": gettext_lazy("%(who)s cancelled the event “%(what)s”."),
    "learning.series_created": gettext_lazy("%(who)s set up the series of events “%(what)s”."),
    "learning.series_changed": gettext_lazy("%(who)s changed the events still to come in the series “%(what)s”."),
    "learning.registered": gettext_lazy("%(who)s registered for “%(what)s”."),
    "learning.waiting_list_joined": gettext_lazy("%(who)s joined the waiting list for “%(what)s”."),
    "learning.registration_cancelled": gettext_lazy("%(who)s cancelled their place at “%(what)s”."),
    "learning.needs_changed": gettext_lazy("%(who)s changed what would help them come to “%(what)s”."),
    "learning.attendance_marked": gettext_lazy("%(who)s marked the attendance register of “%(what)s”."),
}
