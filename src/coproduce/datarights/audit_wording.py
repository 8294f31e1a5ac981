"""What data rights' audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "datarights.erasure_requested": gettext_lazy("%(who)s asked for their data to be erased."),
    "datarights.erasure_confirmed": gettext_lazy("%(who)s confirmed that someone's data was erased."),
}
