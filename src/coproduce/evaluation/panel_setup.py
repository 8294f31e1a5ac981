"""What the parents' panel part registers when the app starts (called from ``apps.py``): its three kinds of
notice, its source on the commitments board and its daily job. Its audit sentences are in ``audit_wording``."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from coproduce.core.scheduler import PeriodicJob, register_periodic
    from coproduce.evaluation import commitments
    from coproduce.evaluation.services.reviews import PANEL_RESULTS, RESPONDED, REVIEW_READY
    from coproduce.notifications.api import NoticeKind, register_notice_kind
    from coproduce.partnerships.commitments import register_commitment_source

    register_notice_kind(NoticeKind(PANEL_RESULTS, _("New results for the parents' panel")))
    register_notice_kind(NoticeKind(RESPONDED, _("A service responded to what parents said")))
    register_notice_kind(NoticeKind(REVIEW_READY, _("Parents' results for your service are ready for your response")))
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
