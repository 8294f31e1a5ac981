"""What the parents' panel's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "evaluation.panel_joined": gettext_lazy("%(who)s joined the parents' panel."),
    "evaluation.panel_left": gettext_lazy("%(who)s left the parents' panel."),
    "evaluation.review_opened": gettext_lazy("A quarter's results for “%(what)s” went to the parents' panel."),
    "evaluation.review_released": gettext_lazy("%(who)s released the results for “%(what)s” to the service early."),
    "evaluation.panel_commented": gettext_lazy("%(who)s commented on the results for “%(what)s”."),
    "evaluation.panel_comment_hidden": gettext_lazy("%(who)s hid a panel comment on the results for “%(what)s”."),
    "evaluation.response_written": gettext_lazy("%(who)s responded to the results for “%(what)s”."),
    "evaluation.response_changed": gettext_lazy("%(who)s changed the response to the results for “%(what)s”."),
    "evaluation.response_done": gettext_lazy("%(who)s marked done what the service promised: “%(what)s”."),
}
