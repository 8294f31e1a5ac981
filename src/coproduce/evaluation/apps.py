"""Evaluation by the people served: short, safe feedback from parents on every service they used, results
that lead to change (the parents' panel, the services' responses, tests of change), paper and assisted
answers, and the partnership health check."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from coproduce.evaluation import panel_setup


class EvaluationConfig(AppConfig):
    name = "coproduce.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        # --- the whole app: audit sentences, the home page and navigation, My data, leaving and erasure
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.evaluation import audit_wording, home, retention, rules  # noqa: F401  (rules: registers them)
        from coproduce.evaluation.departure import DEPARTURE
        from coproduce.evaluation.personal_data import EXPORT
        from coproduce.evaluation.services.offers import OFFER_KIND
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_audit_wording(sentences=audit_wording.SENTENCES)
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()
        # the member's pages: the home page section and the navigation entry
        home.register()

        # --- answers: offers, answering, withdrawing, the coordinators' questions, moderation
        register_notice_kind(NoticeKind(OFFER_KIND, _("We would like to know how a service you used was")))
        register_periodic(
            PeriodicJob(
                "evaluation.offers",
                every=timedelta(minutes=15),
                task="coproduce.evaluation.tasks.make_offers",
                description="Asks members, at most once a fortnight, to tell us about a service they used.",
            )
        )

        # --- results: the measure improvement can follow, the export
        # (and the coordinators' "comments from parents to check" on the partnership's home)
        from coproduce.evaluation.attention import register as register_attention
        from coproduce.evaluation.measures import register as register_measure

        register_measure()
        register_attention()

        # --- paper and assisted answers

        # --- the parents' panel and the services' responses (and the commitments board)
        panel_setup.register()

        # --- the partnership health check
        self.ready_health()

    def ready_health(self) -> None:
        """The partnership health check: its notice and the coordinators' reminder (its audit sentences are in
        audit_wording.py)."""
        from django.utils.translation import gettext

        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.attention import AttentionItem, register_attention_item

        register_notice_kind(NoticeKind("evaluation.health_check", _("The partnership health check is open")))

        def due(membership: object) -> int:
            from coproduce.evaluation.selectors.health import health_check_due_count

            return health_check_due_count(membership)  # type: ignore[arg-type]

        register_attention_item(
            AttentionItem(
                "evaluation.health_check_due",
                count=due,
                text=lambda n: gettext("A health check is due"),
                url_name="evaluation:health",
                order=85,
            )
        )
