"""Recording a review of a commitment: what happened, and whether the partnership keeps it, changes it or
stops it, with the date of the next review. The review is the partnership's record, audited; the person who
answers for the commitment (when a person does) is told."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.commitments import selectors
from coproduce.commitments.models import NAME_MAX, TEXT_MAX, CommitmentReview
from coproduce.core.audit import audit_record
from coproduce.core.exceptions import ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.reversing import cached_reverse
from coproduce.notifications import api as notices
from coproduce.partnerships.models import Membership


def review_record(
    *,
    actor: Membership,
    source: str,
    object_id: int,
    what_happened: str,
    verdict: str,
    reviewed_on: date | None = None,
    next_review_on: date | None = None,
) -> CommitmentReview:
    """Record a review of the commitment ``source``/``object_id`` (one the person may see, else
    ``NotPermitted``). ``reviewed_on`` defaults to today and may not be in the future; ``next_review_on``, if
    given, comes after it."""
    require_rule("commitments.review", actor)
    item = selectors.item_for(actor, source, object_id)
    what_happened = text_checked(
        what_happened, field="what_happened", max_length=TEXT_MAX, required=_("Say what happened.")
    )
    if verdict not in CommitmentReview.Verdict.values:
        raise ServiceError(_("Choose whether to keep it, change it or stop it."), field="verdict")
    today = timezone.localdate()
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        raise ServiceError(_("The review date is in the future. Enter the day it was reviewed."), field="reviewed_on")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise ServiceError(_("The next review must come after this one."), field="next_review_on")
    commitment = item.commitment
    with transaction.atomic(durable=True):
        review = CommitmentReview.objects.create(
            partnership_id=actor.partnership_id,
            source=commitment.source,
            object_id=commitment.object_id,
            reviewed_on=reviewed_on,
            what_happened=what_happened,
            verdict=verdict,
            next_review_on=next_review_on,
            reviewed_by=actor.user,
            reviewer_name=actor.user.name[:NAME_MAX],
        )
        audit_record(
            actor=actor.user,
            action="commitments.reviewed",
            partnership_id=actor.partnership_id,
            target=review,
            target_label=commitment.what[:200],
            detail={"source": commitment.source, "object_id": commitment.object_id, "verdict": verdict},
        )
        owner = commitment.owner_user_id
        if (
            owner is not None
            and owner != actor.user_id
            and Membership.objects.filter(partnership_id=actor.partnership_id, user_id=owner).exists()
        ):
            notices.notify(
                partnership_id=actor.partnership_id,
                user_ids=[owner],
                kind="commitments.reviewed",
                text=_("%(who)s recorded a review of “%(what)s”: %(verdict)s.")
                % {"who": actor.user.name, "what": commitment.what, "verdict": review.get_verdict_display()},
                url=cached_reverse(
                    "commitments:review",
                    kwargs={
                        "slug": actor.partnership.slug,
                        "source": commitment.source,
                        "object_id": commitment.object_id,
                    },
                ),
                subject_key=f"commitments.review:{commitment.source}:{commitment.object_id}"[:120],
            )
    return review
