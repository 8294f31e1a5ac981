"""Evaluation's commitments (``partnerships.commitments``): what a service promised in its response to what
parents said. The owner is the service's organisation; due on the date it gave; done when marked done.
Registered in ``apps.py``."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coproduce.core.reversing import cached_reverse
from coproduce.partnerships.commitments import Commitment, CommitmentSource
from coproduce.partnerships.models import Membership

SOURCE_KEY = "evaluation.response"


def items(membership: Membership) -> list[Commitment]:
    """One query: the responses with a promise, to reviews released to the services (everyone in the
    partnership reads those)."""
    from coproduce.evaluation.models import Response

    now = timezone.now()
    responses = (
        Response.objects.filter(review__subject__partnership_id=membership.partnership_id)
        .exclude(promise="")
        .filter(Q(review__released_at__isnull=False) | Q(review__panel_until__lte=now))
        .select_related("review__subject", "organisation")
        .order_by("promise_due", "pk")
    )
    slug = membership.partnership.slug
    return [
        Commitment(
            source=SOURCE_KEY,
            object_id=response.pk,
            what=response.promise,
            owner=response.organisation.name if response.organisation else response.review.subject.name,
            due_on=response.promise_due,
            review_on=None,
            done=response.done_at is not None,
            url=cached_reverse("evaluation:review", kwargs={"slug": slug, "review_id": response.review_id}),
            made_on=timezone.localdate(response.written_at),
            # The service's staff wrote the promise; the owner is an organisation or the service.
            open_what=response.promise,
            open_owner=response.organisation.name if response.organisation else response.review.subject.name,
        )
        for response in responses
    ]


SOURCE = CommitmentSource(key=SOURCE_KEY, label=gettext_lazy("What services said they will do"), items=items, order=60)
