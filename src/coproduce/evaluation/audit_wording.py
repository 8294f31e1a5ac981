"""What evaluation's audit events say in the audit log (``partnerships.audit_wording``). An answer's events
never say which service nor what was said: answers are anonymous to the services. Each part adds its lines in
its own section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    # --- answers: subjects, offers, answers, questions, moderation (ev-core)
    "evaluation.subjects_synced": gettext_lazy(
        "The list of services parents can tell us about was brought up to date."
    ),
    "evaluation.offers_made": gettext_lazy("Members were asked to tell us about services they used."),
    "evaluation.offer_dismissed": gettext_lazy("%(who)s said “not now” to telling us about a service."),
    "evaluation.answer_given": gettext_lazy("%(who)s told us about a service they used."),
    "evaluation.answer_withdrawn": gettext_lazy("%(who)s withdrew one of their answers about a service."),
    "evaluation.question_added": gettext_lazy("%(who)s added the question “%(what)s”."),
    "evaluation.question_retired": gettext_lazy("%(who)s stopped asking the question “%(what)s”."),
    "evaluation.remark_shown": gettext_lazy("%(who)s showed a parent's comment to the service, after checking it."),
    "evaluation.remark_hidden": gettext_lazy("%(who)s kept a parent's comment back from the service."),
    # --- results
    # --- paper and assisted answers
    "evaluation.answer_confirmed": gettext_lazy(
        "%(who)s confirmed the answers a keyworker read out with them were right."
    ),
    # --- the parents' panel and responses (ev-panel)
    "evaluation.panel_joined": gettext_lazy("%(who)s joined the parents' panel."),
    "evaluation.panel_left": gettext_lazy("%(who)s left the parents' panel."),
    "evaluation.review_opened": gettext_lazy("A quarter's results for “%(what)s” went to the parents' panel."),
    "evaluation.review_released": gettext_lazy("%(who)s released the results for “%(what)s” to the service early."),
    "evaluation.panel_commented": gettext_lazy("%(who)s commented on the results for “%(what)s”."),
    "evaluation.panel_comment_hidden": gettext_lazy("%(who)s hid a panel comment on the results for “%(what)s”."),
    "evaluation.response_written": gettext_lazy("%(who)s responded to the results for “%(what)s”."),
    "evaluation.response_changed": gettext_lazy("%(who)s changed the response to the results for “%(what)s”."),
    "evaluation.response_done": gettext_lazy("%(who)s marked done what the service promised: “%(what)s”."),
    # --- the partnership health check
    "evaluation.health_check_opened": gettext_lazy("%(who)s opened the partnership health check “%(what)s”."),
    "evaluation.health_answered": gettext_lazy("%(who)s gave their view in the health check “%(what)s”."),
}
