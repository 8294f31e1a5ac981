"""Demo data for the commitments board: one review recorded on the adopted test of change (the board itself
gathers what the other capabilities' demos promised; the fund's demo leaves one award overdue). Idempotent:
a second run adds nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from coproduce.commitments import selectors, services
from coproduce.commitments.models import CommitmentReview
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext


def load(ctx: DemoContext) -> None:
    reviewer = ctx.memberships.get((DEMO_SLUG, "jamie"))
    if reviewer is None:
        return
    adopted = selectors.board_for(reviewer, kind="improvement.adopted")
    if not adopted:
        return
    item = adopted[0].commitment
    if CommitmentReview.objects.filter(
        partnership_id=reviewer.partnership_id, source=item.source, object_id=item.object_id
    ).exists():
        return
    today = timezone.localdate()
    services.review_record(
        actor=reviewer,
        source=item.source,
        object_id=item.object_id,
        what_happened=(
            "All five partners use the shared form now. Parents wait about five days for a first appointment, "
            "down from twelve, and nobody has asked to go back. The college wants a shorter version for courses."
        ),
        verdict=CommitmentReview.Verdict.CHANGE,
        reviewed_on=today,
        next_review_on=today + timedelta(days=120),
    )
    ctx.say(f"  a review of the commitment {item.what!r}")
