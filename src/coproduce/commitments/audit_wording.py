"""What the commitments board's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "commitments.reviewed": gettext_lazy("%(who)s recorded a review of the commitment “%(what)s”."),
}
