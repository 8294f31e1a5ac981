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
    # --- the parents' panel and responses
    # --- the partnership health check
}
