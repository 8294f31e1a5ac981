"""The commitments board as open data: what the partnership promised, by when, and how it stands.

The board gathers every capability's commitments (``partnerships.commitments``) as an observer of the
partnership sees them, with each one's status (done, overdue, review due, on track, no date) and its latest
review's date and verdict. Published for each: its kind, the promise in words when a member of staff wrote
them (``Commitment.open_what``; a member's words are left out and the kind stands for them), the organisation
or service that answers for it (``Commitment.open_owner``; a person is never named), when it was made, when it
is due, its status and its reviews' dates and verdicts.

Never published: a person who answers for a promise, the words of a review, who reviewed it, or a link into
the partnership's pages.

``open_board`` is the one read the page, the CSV and the JSON share: each source's one or two queries and one
for the reviews, however many commitments there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coproduce.commitments.models import CommitmentReview
from coproduce.commitments.selectors import BoardItem, board_for
from coproduce.partnerships.models import Membership, Partnership
from coproduce.partnerships.open_data import Distribution, OpenDataset

KEY = "commitments.board"
CSV_COLUMNS = (
    "kind",
    "kind_label",
    "what",
    "organisation",
    "made_on",
    "due_on",
    "status",
    "next_review_on",
    "last_reviewed_on",
    "last_verdict",
)


@dataclass(frozen=True)
class OpenCommitment:
    kind: str  # the source's key: "decisions.outcome", "fund.award", …
    kind_label: str
    what: str  # "" when a member wrote the words
    organisation: str  # "" when a person (or nobody) answers for it
    made_on: date
    due_on: date | None
    status: str
    status_label: str
    next_review_on: date | None
    last_reviewed_on: date | None
    last_verdict: str  # "keep", "change", "stop" or ""

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_label": self.kind_label,
            "what": self.what,
            "organisation": self.organisation,
            "made_on": self.made_on.isoformat(),
            "due_on": _iso(self.due_on),
            "status": self.status,
            "next_review_on": _iso(self.next_review_on),
            "last_reviewed_on": _iso(self.last_reviewed_on),
            "last_verdict": self.last_verdict,
        }

    def csv_row(self) -> dict[str, Any]:
        return {**self.as_json(), "kind_label": self.kind_label}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _observer(partnership: Partnership) -> Membership:
    """The board is read as an observer of the partnership sees it (an unsaved membership: nobody in particular)."""
    return Membership(partnership=partnership, is_observer=True)


def _open_commitment(item: BoardItem) -> OpenCommitment:
    c = item.commitment
    review = item.latest_review
    return OpenCommitment(
        kind=c.source,
        kind_label=item.kind,
        what=c.open_what,
        organisation=c.open_owner,
        made_on=c.made_on,
        due_on=c.due_on,
        status=item.status,
        status_label=item.status_label,
        next_review_on=item.next_review_on,
        last_reviewed_on=review.reviewed_on if review is not None else None,
        last_verdict=review.verdict if review is not None else "",
    )


def open_board(partnership: Partnership) -> list[OpenCommitment]:
    """Every commitment on the board, in its order: overdue first, then review due, on track, no date, done."""
    return [_open_commitment(item) for item in board_for(_observer(partnership))]


def last_updated(partnership: Partnership) -> datetime | None:
    """When a promise was last made or reviewed (each source once, and one query for the reviews)."""
    made = [item.commitment.made_on for item in board_for(_observer(partnership))]
    reviewed = CommitmentReview.objects.filter(partnership=partnership).aggregate(newest=Max("created_at"))["newest"]
    found: list[datetime] = [timezone.make_aware(datetime.combine(max(made), time.min))] if made else []
    if reviewed is not None:
        found.append(reviewed)
    return max(found) if found else None


DATASET = OpenDataset(
    key=KEY,
    title=gettext_lazy("What the partnership promised"),
    description=gettext_lazy(
        "The commitments board: what the partnership said it will do (decisions' outcomes, ideas taken up, "
        "fund awards, tests of change adopted, practices stopped, services' promises), which organisation "
        "answers for it, when it is due, whether it is done or overdue, and when it was last reviewed."
    ),
    order=50,
    distributions=(
        Distribution(gettext_lazy("Web page"), "commitments:open-board", "text/html"),
        Distribution("CSV", "commitments:open-board-csv", "text/csv"),
        Distribution("JSON", "commitments:open-board-json", "application/json"),
    ),
    last_updated=last_updated,
    keywords=("commitments", "accountability", "you said we did"),
)
