"""What decisions' audit events say in the audit log (``partnerships.audit_wording``). An answer's event says
that someone answered, never how (and for an anonymous decision, its detail holds nothing)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "decisions.raised": gettext_lazy("%(who)s proposed “%(what)s” for a decision."),
    "decisions.amended": gettext_lazy("%(who)s amended the proposal “%(what)s”."),
    "decisions.answered": gettext_lazy("%(who)s answered “%(what)s”."),
    "decisions.closed": gettext_lazy("%(who)s closed the decision “%(what)s”."),
    "decisions.counted": gettext_lazy("The decision “%(what)s” was counted."),
    "decisions.count_failed": gettext_lazy("The count of “%(what)s” failed."),
    "decisions.outcome_recorded": gettext_lazy("%(who)s wrote the outcome of “%(what)s”."),
    "decisions.outcome_done": gettext_lazy("%(who)s marked the outcome of “%(what)s” done."),
    "decisions.comment_added": gettext_lazy("%(who)s commented on “%(what)s”."),
    "decisions.comment_hidden": gettext_lazy("%(who)s hid a comment on “%(what)s”."),
    "decisions.answer_recorded_with": gettext_lazy("%(who)s recorded a member's answer to “%(what)s” with her."),
    "decisions.answer_confirmed": gettext_lazy("%(who)s confirmed the answer to “%(what)s” recorded with them."),
    "decisions.imported": gettext_lazy("%(who)s raised “%(what)s” from a ballot file."),
}
