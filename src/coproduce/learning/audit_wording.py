"""What learning together's audit events say in the audit log (``partnerships.audit_wording``): events, calendars
and paid time, and the learning log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    # events
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
    # calendars and paid time
    "learning.calendar_feed_made": gettext_lazy("%(who)s made a private calendar link."),
    "learning.calendar_feed_renewed": gettext_lazy("%(who)s made a new private calendar link (the old one stopped)."),
    "learning.calendar_feed_stopped": gettext_lazy("%(who)s stopped their private calendar link."),
    "learning.pay_settings_changed": gettext_lazy("%(who)s changed the rates for paid time and expenses."),
    "learning.claim_made": gettext_lazy("%(who)s claimed for paid time or expenses."),
    "learning.claim_approved": gettext_lazy("%(who)s approved a claim for paid time or expenses (paid from the fund)."),
    "learning.claim_refused": gettext_lazy("%(who)s refused a claim for paid time or expenses."),
    # the learning log
    "learning.log_created": gettext_lazy("%(who)s started the learning log entry “%(what)s”."),
    "learning.log_changed": gettext_lazy("%(who)s changed the learning log entry “%(what)s”."),
    "learning.log_asked": gettext_lazy("%(who)s asked the parents named in “%(what)s” to agree."),
    "learning.log_agreed": gettext_lazy("%(who)s agreed to the learning log entry “%(what)s”."),
    "learning.log_declined": gettext_lazy("%(who)s said no to the learning log entry “%(what)s”."),
    "learning.log_published": gettext_lazy("%(who)s published the learning log entry “%(what)s”."),
}
