"""Every read for the commitments board. The board gathers each registered source's commitments in the
acting person's partnership (each source narrows to what the person may see), works out each one's status
and finds its latest review: one or two queries a source and one for the reviews, however many there are.

A status, in the order it is decided:
- **done**: the source knows it is done (an award paid in full, an idea marked done);
- **overdue**: its due date has passed and it is not done;
- **review due**: its next review date has come (the one the latest review set, else the commitment's
  own unless a review has been recorded on or after it);
- **on track**: a due date or a review date still to come;
- **no date**: neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.commitments.models import CommitmentReview
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.commitments import Commitment, CommitmentSource, commitment_sources
from coproduce.partnerships.models import Membership

DONE, OVERDUE, REVIEW_DUE, ON_TRACK, NO_DATE = "done", "overdue", "review_due", "on_track", "no_date"
STATUS_LABELS = {
    OVERDUE: _("Overdue"),
    REVIEW_DUE: _("Review due"),
    ON_TRACK: _("On track"),
    NO_DATE: _("No date set"),
    DONE: _("Done"),
}
# The board lists what needs doing first.
STATUS_ORDER = {OVERDUE: 0, REVIEW_DUE: 1, ON_TRACK: 2, NO_DATE: 3, DONE: 4}


@dataclass(frozen=True)
class BoardItem:
    commitment: Commitment
    kind: str  # the source's label: "Fund awards"
    status: str
    next_review_on: date | None  # when it is next to be reviewed (None: no review date)
    latest_review: CommitmentReview | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def key(self) -> tuple[str, int]:
        return (self.commitment.source, self.commitment.object_id)


def next_review(commitment: Commitment, latest: CommitmentReview | None) -> date | None:
    """The next review date the latest review set; without one, the commitment's own review date unless the
    latest review was on or after it (None: no review planned)."""
    if latest is None:
        return commitment.review_on
    if latest.next_review_on is not None:
        return latest.next_review_on
    if commitment.review_on is not None and latest.reviewed_on < commitment.review_on:
        return commitment.review_on
    return None


def status_of(commitment: Commitment, latest: CommitmentReview | None, *, today: date) -> str:
    if commitment.done:
        return DONE
    if commitment.due_on is not None and commitment.due_on < today:
        return OVERDUE
    review_on = next_review(commitment, latest)
    if review_on is not None and review_on <= today:
        return REVIEW_DUE
    if commitment.due_on is not None or review_on is not None:
        return ON_TRACK
    return NO_DATE


def _latest_reviews(partnership_id: int) -> dict[tuple[str, int], CommitmentReview]:
    """The latest review of each commitment in the partnership (one query)."""
    latest: dict[tuple[str, int], CommitmentReview] = {}
    reviews = (
        CommitmentReview.objects.filter(partnership_id=partnership_id)
        .only("id", "source", "object_id", "reviewed_on", "verdict", "next_review_on", "reviewer_name")
        .order_by("source", "object_id", "-reviewed_on", "-id")
    )
    for review in reviews:
        latest.setdefault((review.source, review.object_id), review)
    return latest


def _items(actor: Membership, sources: list[CommitmentSource]) -> list[BoardItem]:
    today = timezone.localdate()
    latest = _latest_reviews(actor.partnership_id)
    found = []
    for source in sources:
        for commitment in source.items(actor):
            review = latest.get((commitment.source, commitment.object_id))
            found.append(
                BoardItem(
                    commitment=commitment,
                    kind=str(source.label),
                    status=status_of(commitment, review, today=today),
                    next_review_on=next_review(commitment, review),
                    latest_review=review,
                )
            )
    return found


def _sort_key(item: BoardItem) -> tuple[int, date, str]:
    c = item.commitment
    when = c.due_on or item.next_review_on or date.max
    return (STATUS_ORDER[item.status], when, c.what.casefold())


def kinds() -> list[tuple[str, str]]:
    """Every source's key and label, in order (for the filter)."""
    return [(source.key, str(source.label)) for source in commitment_sources()]


def board_for(actor: Membership, kind: str | None = None, overdue_only: bool = False) -> list[BoardItem]:
    """Every commitment the person may see in their partnership (of one kind, or only the overdue ones),
    what needs doing first: overdue, then review due, on track, no date and done; within each, the earliest
    date first."""
    sources = [s for s in commitment_sources() if kind is None or s.key == kind]
    items = _items(actor, sources)
    if overdue_only:
        items = [item for item in items if item.status == OVERDUE]
    return sorted(items, key=_sort_key)


def overdue_count(actor: Membership) -> int:
    """How many commitments are overdue: each source once, and no reviews (a review does not change whether
    something is overdue)."""
    today = timezone.localdate()
    return sum(
        1 for source in commitment_sources() for c in source.items(actor) if status_of(c, None, today=today) == OVERDUE
    )


def item_for(actor: Membership, source: str, object_id: int) -> BoardItem:
    """One commitment the person may see, with its status; else ``NotPermitted``."""
    for item in board_for(actor, kind=source):
        if item.commitment.object_id == object_id:
            return item
    raise NotPermitted()


def reviews_of(actor: Membership, item: BoardItem) -> list[CommitmentReview]:
    """The reviews of one commitment, latest first."""
    return list(
        CommitmentReview.objects.filter(
            partnership_id=actor.partnership_id, source=item.commitment.source, object_id=item.commitment.object_id
        ).order_by("-reviewed_on", "-id")
    )
