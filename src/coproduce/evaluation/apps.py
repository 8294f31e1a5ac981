"""Evaluation by the people served: short, safe feedback from parents on every service they used, results
that lead to change (the parents' panel, the services' responses, tests of change), paper and assisted
answers, and the partnership health check."""

from datetime import time, timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "coproduce.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from coproduce.core.scheduler import PeriodicJob, register_periodic
        from coproduce.evaluation import (
            assisted,
            attention,
            audit_wording,
            commitments,
            home,
            measures,
            retention,
            rules,  # noqa: F401  (registers them)
        )
        from coproduce.evaluation.departure import DEPARTURE
        from coproduce.evaluation.personal_data import EXPORT
        from coproduce.evaluation.services.offers import OFFER_KIND
        from coproduce.evaluation.services.reviews import PANEL_RESULTS, RESPONDED, REVIEW_READY
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.commitments import register_commitment_source
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        # --- the whole app: audit sentences, the home page and navigation, My data, leaving and erasure
        register_audit_wording(sentences=audit_wording.SENTENCES)
        home.register()
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()

        # --- answers: offers after a service was used, and the coordinators' comments to check
        register_notice_kind(NoticeKind(OFFER_KIND, _("We would like to know how a service you used was")))
        register_periodic(
            PeriodicJob(
                "evaluation.offers",
                every=timedelta(minutes=15),
                task="coproduce.evaluation.tasks.make_offers",
                description="Asks members, at most once a fortnight, to tell us about a service they used.",
            )
        )
        attention.register_remarks()

        # --- answers read out with a keyworker: on the member's page of what was recorded with her
        from coproduce.partnerships.assisted import NOTICE_KIND, NOTICE_LABEL

        assisted.register()
        register_notice_kind(NoticeKind(NOTICE_KIND, NOTICE_LABEL))

        # --- results: the measure a test of change can follow
        measures.register()

        # --- the parents' panel and the services' responses (and the commitments board)
        register_notice_kind(NoticeKind(PANEL_RESULTS, _("New results for the parents' panel")))
        register_notice_kind(NoticeKind(RESPONDED, _("A service responded to what parents said")))
        register_notice_kind(
            NoticeKind(REVIEW_READY, _("Parents' results for your service are ready for your response"))
        )
        register_commitment_source(commitments.SOURCE)
        register_periodic(
            PeriodicJob(
                "evaluation.reviews",
                every=timedelta(days=1),
                at=time(6, 0),
                task="coproduce.evaluation.tasks.open_reviews",
                description="After a quarter ends, opens its reviews for the parents' panel; when the panel's time "
                "is over, tells the services' staff.",
            )
        )

        # --- the partnership health check
        register_notice_kind(NoticeKind("evaluation.health_check", _("The partnership health check is open")))
        attention.register_health_check_due()

        # --- open data
        from coproduce.evaluation import open_data
        from coproduce.partnerships.open_data import register_open_dataset

        register_open_dataset(open_data.DATASET)

        # --- report figures
        from coproduce.evaluation.reporting import SECTION as REPORT_SECTION
        from coproduce.partnerships.reporting import register_report_section

        register_report_section(REPORT_SECTION)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.evaluation.api_v1 import r as api_router

        register_router("evaluation", api_router)
