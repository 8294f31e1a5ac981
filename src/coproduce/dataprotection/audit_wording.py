"""What data protection's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "dataprotection.settings_changed": gettext_lazy("%(who)s changed who is responsible for personal data."),
    "dataprotection.agreement_recorded": gettext_lazy("%(who)s recorded the %(what)s."),
    "dataprotection.retention_changed": gettext_lazy("%(who)s changed how long personal data is kept."),
    "dataprotection.retention_dry_run": gettext_lazy("%(who)s checked what would be deleted when data expires."),
}
