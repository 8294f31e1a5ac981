"""What the learning log's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "learning.log_created": gettext_lazy("%(who)s started the learning log entry “%(what)s”."),
    "learning.log_changed": gettext_lazy("%(who)s changed the learning log entry “%(what)s”."),
    "learning.log_asked": gettext_lazy("%(who)s asked the parents named in “%(what)s” to agree."),
    "learning.log_agreed": gettext_lazy("%(who)s agreed to the learning log entry “%(what)s”."),
    "learning.log_declined": gettext_lazy("%(who)s said no to the learning log entry “%(what)s”."),
    "learning.log_published": gettext_lazy("%(who)s published the learning log entry “%(what)s”."),
}
