"""What calendars' and paid time's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "learning.calendar_feed_made": gettext_lazy("%(who)s made a private calendar link."),
    "learning.calendar_feed_renewed": gettext_lazy("%(who)s made a new private calendar link (the old one stopped)."),
    "learning.calendar_feed_stopped": gettext_lazy("%(who)s stopped their private calendar link."),
    "learning.pay_settings_changed": gettext_lazy("%(who)s changed the rates for paid time and expenses."),
    "learning.claim_made": gettext_lazy("%(who)s claimed for paid time or expenses."),
    "learning.claim_approved": gettext_lazy("%(who)s approved a claim for paid time or expenses (paid from the fund)."),
    "learning.claim_refused": gettext_lazy("%(who)s refused a claim for paid time or expenses."),
}
