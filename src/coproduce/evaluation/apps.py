"""Evaluation by the people served: short, safe feedback from parents on every service they used, results
that lead to change (the parents' panel, the services' responses, tests of change), paper and assisted
answers, and the partnership health check."""

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "coproduce.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        # --- the whole app: audit sentences, the home page and navigation, My data, leaving and erasure
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.evaluation import audit_wording, retention, rules  # noqa: F401  (rules: registers them)
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

        # --- paper and assisted answers

        # --- the parents' panel and the services' responses (and the commitments board)

        # --- the partnership health check
