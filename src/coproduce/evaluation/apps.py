"""Evaluation by the people served: short, safe feedback from parents on every service they used, results
that lead to change (the parents' panel, the services' responses, tests of change), paper and assisted
answers, and the partnership health check."""

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "coproduce.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        # --- the whole app: audit sentences, the home page and navigation, My data, leaving and erasure
        from coproduce.evaluation import rules  # noqa: F401  (registers them)

        # --- answers: offers, answering, withdrawing, the coordinators' questions, moderation

        # --- results: the measure improvement can follow, the export

        # --- paper and assisted answers

        # --- the parents' panel and the services' responses (and the commitments board)

        # --- the partnership health check
        self.ready_health()

    def ready_health(self) -> None:
        """The partnership health check: its notice, its audit sentences and the coordinators' reminder."""
        from django.utils.translation import gettext as _
        from django.utils.translation import gettext_lazy

        from coproduce.evaluation.services.health import AUDIT_SENTENCES
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.attention import AttentionItem, register_attention_item
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_notice_kind(
            NoticeKind("evaluation.health_check", gettext_lazy("The partnership health check is open"))
        )
        register_audit_wording(sentences=AUDIT_SENTENCES)

        def due(membership: object) -> int:
            from coproduce.evaluation.selectors.health import health_check_due_count

            return health_check_due_count(membership)  # type: ignore[arg-type]

        register_attention_item(
            AttentionItem(
                "evaluation.health_check_due",
                count=due,
                text=lambda n: _("A health check is due"),
                url_name="evaluation:health",
                order=85,
            )
        )
