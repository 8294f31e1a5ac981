"""Reads for the parents' panel and the services' responses, narrowed to what the acting person may see.

Who sees a review: coordinators and the parents' panel, from the day it opens; the staff of the subject's
organisation once the panel's time is over (or a coordinator released it early). Panel comments never show
who wrote them ("A member of the parents' panel"); a hidden comment is seen by coordinators only. Published
responses ("You said, they did") are those of released reviews, for everyone in the partnership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.core.exceptions import NotPermitted
from coproduce.evaluation.models import PanelComment, Response, Review
from coproduce.evaluation.rules import is_panel_member
from coproduce.partnerships.models import Membership

PUBLISHED_SHOWN = 20  # the newest responses the evaluation home page lists


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter ``day`` is in."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter(day: date) -> date:
    """The first day of the quarter before the one ``day`` is in."""
    start = quarter_start(day)
    return quarter_start(start - timedelta(days=1))


def next_quarter(start: date) -> date:
    return date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)


def quarter_name(start: date) -> str:
    """ "July to September 2026"."""
    last = date(start.year, start.month + 2, 1)
    return _("%(first)s to %(last)s %(year)d") % {
        "first": date_format(start, "F"),
        "last": date_format(last, "F"),
        "year": start.year,
    }


def on_panel(actor: Membership) -> bool:
    """Whether the person is on the parents' panel (a member who joined)."""
    return is_panel_member(actor)


def _released(now: datetime) -> Q:
    return Q(released_at__isnull=False) | Q(panel_until__lte=now)


def _visible(actor: Membership, now: datetime) -> QuerySet[Review]:
    reviews = Review.objects.filter(subject__partnership_id=actor.partnership_id)
    if actor.is_coordinator or on_panel(actor):
        return reviews
    if actor.is_staff_role and actor.organisation_id is not None:
        return reviews.filter(_released(now), subject__organisation_id=actor.organisation_id)
    return reviews.none()


def _with_facts(reviews: QuerySet[Review], now: datetime) -> QuerySet[Review]:
    return (
        reviews.select_related("subject", "subject__organisation")
        .annotate(
            panel_open=Case(
                When(released_at__isnull=True, panel_until__gt=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanOutput(),
            ),
            comments_shown=Count("comments", filter=Q(comments__hidden_at__isnull=True)),
            responded=Exists(Response.objects.filter(review_id=OuterRef("pk"))),
        )
        .order_by("-panel_open", "-quarter_start", "subject__name", "pk")
    )


def reviews_for(actor: Membership, *, now: datetime | None = None) -> list[Review]:
    """The reviews the person may see, those the panel is still reading first, then the newest quarter."""
    now = now or timezone.now()
    found = list(_with_facts(_visible(actor, now), now))
    for review in found:
        review.quarter = quarter_name(review.quarter_start)  # type: ignore[attr-defined]
    return found


def review_for(actor: Membership, review_id: int, *, now: datetime | None = None) -> Review:
    """One review the person may see (404 otherwise), with its subject, partnership and response."""
    now = now or timezone.now()
    review = _with_facts(_visible(actor, now), now).select_related("subject__partnership").filter(pk=review_id).first()
    if review is None:
        raise NotPermitted()
    review.quarter = quarter_name(review.quarter_start)  # type: ignore[attr-defined]
    review.the_response = Response.objects.filter(review=review).select_related("organisation").first()  # type: ignore[attr-defined]
    return review


def review_comments(actor: Membership, review: Review) -> list[PanelComment]:
    """The panel's comments on a review, oldest first; ``mine`` marks the person's own. Hidden ones are for
    coordinators only."""
    comments = PanelComment.objects.filter(review=review).only(
        "id", "text", "language", "created_at", "hidden_at", "user_id"
    )
    if not actor.is_coordinator:
        comments = comments.filter(hidden_at__isnull=True)
    found = list(comments.order_by("created_at", "id"))
    for comment in found:
        comment.mine = comment.user_id == actor.user_id  # type: ignore[attr-defined]
    return found


@dataclass(frozen=True)
class ReviewSummary:
    """A review as a service's results page shows it: where it is, the panel's comments, the response."""

    review: Review
    comments: list[PanelComment]
    response: Response | None


def review_summary(actor: Membership, subject_id: int, quarter_start: date) -> ReviewSummary | None:
    """The review of one subject's quarter, if there is one the person may see (None otherwise)."""
    now = timezone.now()
    review = _with_facts(_visible(actor, now), now).filter(subject_id=subject_id, quarter_start=quarter_start).first()
    if review is None:
        return None
    review.quarter = quarter_name(review.quarter_start)  # type: ignore[attr-defined]
    response = Response.objects.filter(review=review).select_related("organisation").first()
    return ReviewSummary(review=review, comments=review_comments(actor, review), response=response)


@dataclass(frozen=True)
class Published:
    """A service's response to a released review, as everyone in the partnership reads it."""

    review_id: int
    service: str
    organisation: str
    quarter: str
    text: str
    promise: str
    promise_due: object
    done: bool
    written_at: datetime


def responses_published(actor: Membership, *, now: datetime | None = None) -> list[Published]:
    """ "You said, they did": the newest responses to released reviews in the person's partnership."""
    now = now or timezone.now()
    responses = (
        Response.objects.filter(review__subject__partnership_id=actor.partnership_id)
        .filter(Q(review__released_at__isnull=False) | Q(review__panel_until__lte=now))
        .select_related("review__subject", "organisation")
        .order_by("-written_at", "-pk")[:PUBLISHED_SHOWN]
    )
    return [
        Published(
            review_id=response.review_id,
            service=response.review.subject.name,
            organisation=response.organisation.name if response.organisation else "",
            quarter=quarter_name(response.review.quarter_start),
            text=response.text,
            promise=response.promise,
            promise_due=response.promise_due,
            done=response.done_at is not None,
            written_at=response.written_at,
        )
        for response in responses
    ]
