"""Quarterly reviews, the panel's comments and the services' responses.

After a quarter ends, the daily job (``evaluation.reviews``) opens one review per subject that had answers in
it (once: ``evaluation_review_once_a_quarter``) and tells the parents' panel, one notice per member for the
whole batch. For ``PANEL_DAYS`` days the panel reads the results first and comments; then (or earlier, when a
coordinator releases them) the service's staff are told and respond. A response may promise something by a
date: it is on the commitments board (``evaluation.commitments``) until it is marked done. The panel is told
when a service responds."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.guards import text_checked
from coproduce.core.permissions import require_rule
from coproduce.core.reversing import cached_reverse
from coproduce.evaluation.models import (
    SHORT_MAX,
    TEXT_MAX,
    Answer,
    PanelComment,
    PanelMember,
    Response,
    Review,
    Subject,
)
from coproduce.evaluation.selectors.panel import next_quarter, previous_quarter, quarter_name
from coproduce.notifications.api import notify
from coproduce.partnerships.models import Membership

PANEL_DAYS = 7  # how long the parents' panel has a quarter's results to itself
PANEL_RESULTS = "evaluation.panel_results"
REVIEW_READY = "evaluation.review_ready"
RESPONDED = "evaluation.response"


def _review_url(review: Review, slug: str) -> str:
    return cached_reverse("evaluation:review", kwargs={"slug": slug, "review_id": review.pk})


def _staff_ids(subject: Subject) -> list[int]:
    """Who answers for a subject: the staff of its organisation (coordinators, for the partnership's own)."""
    people = Membership.objects.filter(partnership_id=subject.partnership_id)
    if subject.organisation_id is None:
        people = people.filter(is_coordinator=True)
    else:
        people = people.filter(organisation_id=subject.organisation_id).filter(
            Q(is_worker=True) | Q(is_partner_lead=True) | Q(is_coordinator=True)
        )
    return list(people.values_list("user_id", flat=True))


def _panel_ids(partnership_id: int) -> list[int]:
    """The panel's members who are still members of the partnership."""
    members = Membership.objects.filter(partnership_id=partnership_id, is_member=True).values("user_id")
    return list(
        PanelMember.objects.filter(partnership_id=partnership_id, user_id__in=members).values_list("user_id", flat=True)
    )


def _tell_staff(review: Review) -> None:
    subject = review.subject
    notify(
        partnership_id=subject.partnership_id,
        user_ids=_staff_ids(subject),
        kind=REVIEW_READY,
        text=_("Parents' results for your service are ready for your response: %(name)s, %(quarter)s.")
        % {"name": subject.name, "quarter": quarter_name(review.quarter_start)},
        url=_review_url(review, subject.partnership.slug),
        subject_key=f"{REVIEW_READY}:{review.pk}",
    )


def reviews_open(*, now: datetime | None = None) -> int:
    """Open the reviews of the quarter that ended last, for every subject with answers in it, and tell each
    partnership's panel once; how many were opened. Safe to run again, or twice at once: a review is opened
    once (the unique constraint), and a panel is told only of the reviews this run opened."""
    now = now or timezone.now()
    start = previous_quarter(timezone.localdate(now))
    end = next_quarter(start)
    subject_ids = (
        Answer.objects.filter(period__gte=start, period__lt=end)
        .exclude(subject__reviews__quarter_start=start)
        .values_list("subject_id", flat=True)
        .distinct()
    )
    opened: dict[int, list[Review]] = defaultdict(list)
    for subject in Subject.objects.filter(pk__in=list(subject_ids)).select_related("partnership"):
        with transaction.atomic(durable=True):
            review, created = Review.objects.get_or_create(
                subject=subject,
                quarter_start=start,
                defaults={"opened_at": now, "panel_until": now + timedelta(days=PANEL_DAYS)},
            )
            if not created:  # another run opened it a moment ago
                continue
            audit_record(
                actor=None,
                action="evaluation.review_opened",
                partnership_id=subject.partnership_id,
                target=review,
                target_label=f"{subject.name}, {quarter_name(start)}",
            )
            opened[subject.partnership_id].append(review)
    for partnership_id, reviews in opened.items():
        slug = reviews[0].subject.partnership.slug
        with transaction.atomic(durable=True):
            notify(
                partnership_id=partnership_id,
                user_ids=_panel_ids(partnership_id),
                kind=PANEL_RESULTS,
                text=ngettext(
                    "New results for the parents' panel: %(n)d service, %(quarter)s. You can comment until %(until)s.",
                    "New results for the parents' panel: %(n)d services, %(quarter)s. You can comment until %(until)s.",
                    len(reviews),
                )
                % {
                    "n": len(reviews),
                    "quarter": quarter_name(start),
                    "until": date_format(timezone.localtime(reviews[0].panel_until), "j F"),
                },
                url=cached_reverse("evaluation:panel", kwargs={"slug": slug}),
                subject_key=f"{PANEL_RESULTS}:{start:%Y-%m}",
                now=now,
            )
    return sum(len(reviews) for reviews in opened.values())


def reviews_release_due(*, now: datetime | None = None) -> int:
    """Release to the services every review whose panel time is over, telling their staff; how many. A
    review is released once (its ``released_at`` is set under a lock)."""
    now = now or timezone.now()
    due = list(Review.objects.filter(released_at__isnull=True, panel_until__lte=now).values_list("pk", flat=True))
    released = 0
    for review_id in due:
        with transaction.atomic(durable=True):
            review = (
                Review.objects.select_for_update(of=("self",))
                .select_related("subject__partnership")
                .filter(pk=review_id, released_at__isnull=True)
                .first()
            )
            if review is None:
                continue
            review.released_at = review.panel_until
            review.save(update_fields=["released_at"])
            _tell_staff(review)
            released += 1
    return released


def _review_locked(actor: Membership, review_id: int) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("subject__partnership")
        .filter(pk=review_id, subject__partnership_id=actor.partnership_id)
        .first()
    )
    if review is None:
        raise NotPermitted()
    return review


def review_release(*, actor: Membership, review_id: int) -> Review:
    """A coordinator ends the panel's time early: the service's staff are told and may respond."""
    require_rule("evaluation.manage", actor)
    with transaction.atomic(durable=True):
        review = _review_locked(actor, review_id)
        if review.released_at is not None:
            raise ServiceError(_("These results are with the service already."))
        review.released_at = timezone.now()
        review.save(update_fields=["released_at"])
        _tell_staff(review)
        audit_record(
            actor=actor.user,
            action="evaluation.review_released",
            partnership_id=actor.partnership_id,
            target=review,
            target_label=f"{review.subject.name}, {quarter_name(review.quarter_start)}",
        )
    return review


def panel_comment_add(*, actor: Membership, review_id: int, text: str) -> PanelComment:
    """A panel member's comment on a review's results, while the panel has them to itself."""
    with transaction.atomic(durable=True):
        review = _review_locked(actor, review_id)
        require_rule("evaluation.comment_review", actor, review)
        words = text_checked(
            text,
            field="text",
            max_length=TEXT_MAX,
            required=_("Write your comment."),
            too_long=_("Your comment must be %(max)d characters or fewer."),
        )
        comment = PanelComment.objects.create(review=review, user=actor.user, text=words)
        audit_record(
            actor=actor.user,
            action="evaluation.panel_commented",
            partnership_id=actor.partnership_id,
            target=review,
            target_label=f"{review.subject.name}, {quarter_name(review.quarter_start)}",
        )
    return comment


def panel_comment_hide(*, actor: Membership, comment_id: int) -> PanelComment:
    """A coordinator hides a panel comment (it said who someone is, or was unkind): nobody else sees it."""
    require_rule("evaluation.manage", actor)
    with transaction.atomic(durable=True):
        comment = (
            PanelComment.objects.select_for_update(of=("self",))
            .select_related("review__subject")
            .filter(pk=comment_id, review__subject__partnership_id=actor.partnership_id)
            .first()
        )
        if comment is None:
            raise NotPermitted()
        if comment.hidden_at is None:
            comment.hidden_at = timezone.now()
            comment.save(update_fields=["hidden_at"])
            audit_record(
                actor=actor.user,
                action="evaluation.panel_comment_hidden",
                partnership_id=actor.partnership_id,
                target=comment.review,
                target_label=comment.review.subject.name,
            )
    return comment


def response_write(
    *, actor: Membership, review_id: int, text: str, promise: str = "", promise_due: date | None = None
) -> Response:
    """The service's response to a review, once the panel's time is over; written again, it replaces the
    words (a changed promise is no longer done). The panel is told the first time."""
    with transaction.atomic(durable=True):
        review = _review_locked(actor, review_id)
        require_rule("evaluation.respond", actor, review)
        words = text_checked(
            text,
            field="text",
            max_length=TEXT_MAX,
            required=_("Say what the service makes of these results."),
            too_long=_("The response must be %(max)d characters or fewer."),
        )
        promise = text_checked(
            promise,
            field="promise",
            max_length=SHORT_MAX,
            too_long=_("Say what you will do in %(max)d characters or fewer."),
        )
        if promise and promise_due is None:
            raise ServiceError(_("Say by when you will do it."), field="promise_due")
        if promise_due is not None and not promise:
            raise ServiceError(_("Say what you will do by that date, or leave the date empty."), field="promise")
        if promise_due is not None and promise_due < timezone.localdate():
            raise ServiceError(_("The date must be today or later."), field="promise_due")
        now = timezone.now()
        response = Response.objects.filter(review=review).first()
        first = response is None
        if response is None:
            response = Response(review=review, written_at=now)
        elif response.promise != promise:
            response.done_at = None
        response.text = words
        response.promise = promise
        response.promise_due = promise_due
        response.written_by = actor.user
        response.organisation_id = review.subject.organisation_id
        response.updated_at = now
        response.save()
        audit_record(
            actor=actor.user,
            action="evaluation.response_written" if first else "evaluation.response_changed",
            partnership_id=actor.partnership_id,
            target=review,
            target_label=f"{review.subject.name}, {quarter_name(review.quarter_start)}",
        )
        if first:
            notify(
                partnership_id=actor.partnership_id,
                user_ids=_panel_ids(actor.partnership_id),
                kind=RESPONDED,
                text=_("%(name)s responded to what parents said in %(quarter)s.")
                % {"name": review.subject.name, "quarter": quarter_name(review.quarter_start)},
                url=_review_url(review, review.subject.partnership.slug),
                subject_key=f"{RESPONDED}:{review.pk}",
            )
    return response


def response_done(*, actor: Membership, review_id: int) -> Response:
    """The service did what its response promised: off the commitments board's list of things to do."""
    with transaction.atomic(durable=True):
        review = _review_locked(actor, review_id)
        require_rule("evaluation.respond", actor, review)
        response = Response.objects.select_for_update().filter(review=review).first()
        if response is None or not response.promise:
            raise ServiceError(_("There is no promise to mark as done."))
        if response.done_at is None:
            response.done_at = timezone.now()
            response.save(update_fields=["done_at"])
            audit_record(
                actor=actor.user,
                action="evaluation.response_done",
                partnership_id=actor.partnership_id,
                target=review,
                target_label=response.promise,
            )
    return response
