"""Quarterly reviews: the job opens them once a quarter and tells the panel once per batch; the panel's time;
comments; releasing; responses, their promises on the commitments board, and the notices."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import PanelComment, Response, Review
from coproduce.notifications.models import Notice
from coproduce.partnerships.commitments import commitment_sources
from coproduce.partnerships.models import Membership
from tests.evaluation.panel_support import make_answers, make_review, make_subject, panel_member
from tests.factories import MembershipFactory, PartnershipFactory, staff_membership

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# 2 October 2026, in the morning: the quarter July to September has just ended.
AFTER_Q3 = datetime(2026, 10, 2, 6, 0, tzinfo=LONDON)
Q3 = date(2026, 7, 1)


def notices(kind: str, user: Any = None) -> list[Notice]:
    found = Notice.objects.filter(kind=kind)
    return list(found.filter(user=user) if user is not None else found)


def fresh(membership: Membership) -> Membership:
    return Membership.objects.select_related("partnership", "user", "organisation").get(pk=membership.pk)


@pytest.fixture
def world(partnership: Any) -> dict[str, Any]:
    worker = staff_membership(partnership, role="worker")
    lead = staff_membership(partnership, role="partner_lead", organisation=worker.organisation)
    other_org_lead = staff_membership(partnership, role="partner_lead")
    job_club = make_subject(partnership, worker.organisation, "Job club")
    drop_in = make_subject(partnership, other_org_lead.organisation, "Drop-in")
    quiet = make_subject(partnership, worker.organisation, "Money advice")
    make_answers(job_club, date(2026, 8, 1), 6)
    make_answers(drop_in, date(2026, 9, 1), 2)
    make_answers(quiet, date(2026, 10, 1), 5)  # this quarter: not reviewed yet
    return {
        "worker": worker,
        "lead": lead,
        "other_org_lead": other_org_lead,
        "coordinator": staff_membership(partnership, role="coordinator"),
        "panel": [panel_member(partnership), panel_member(partnership)],
        "job_club": job_club,
        "drop_in": drop_in,
        "quiet": quiet,
    }


# --- opening reviews ---------------------------------------------------------------------------------------


def test_after_a_quarter_one_review_opens_per_subject_with_answers_in_it(world: dict[str, Any]) -> None:
    assert services.reviews_open(now=AFTER_Q3) == 2
    reviews = {r.subject_id: r for r in Review.objects.all()}
    assert set(reviews) == {world["job_club"].pk, world["drop_in"].pk}
    for review in reviews.values():
        assert review.quarter_start == Q3
        assert review.opened_at == AFTER_Q3
        assert review.panel_until == AFTER_Q3 + timedelta(days=services.PANEL_DAYS)
        assert review.released_at is None


def test_the_job_opens_a_quarter_once_however_often_it_runs(world: dict[str, Any]) -> None:
    assert services.reviews_open(now=AFTER_Q3) == 2
    assert services.reviews_open(now=AFTER_Q3 + timedelta(hours=1)) == 0
    assert services.reviews_open(now=AFTER_Q3 + timedelta(days=40)) == 0  # later in the same quarter
    assert Review.objects.count() == 2
    # the panel was told once, about the batch
    assert len(notices(services.reviews.PANEL_RESULTS)) == 2


def test_the_next_quarter_opens_its_own_reviews(world: dict[str, Any]) -> None:
    services.reviews_open(now=AFTER_Q3)
    assert services.reviews_open(now=datetime(2027, 1, 3, 6, 0, tzinfo=LONDON)) == 1
    assert Review.objects.get(subject=world["quiet"]).quarter_start == date(2026, 10, 1)


def test_a_quarter_is_reviewed_once_per_subject_even_if_two_runs_race(world: dict[str, Any]) -> None:
    services.reviews_open(now=AFTER_Q3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            subject=world["job_club"], quarter_start=Q3, opened_at=AFTER_Q3, panel_until=AFTER_Q3 + timedelta(days=1)
        )
    assert Review.objects.filter(subject=world["job_club"]).count() == 1


def test_each_panel_member_gets_one_notice_per_batch_not_per_subject(world: dict[str, Any], member: Any) -> None:
    services.reviews_open(now=AFTER_Q3)
    for person in world["panel"]:
        [notice] = notices(services.reviews.PANEL_RESULTS, person.user)
        assert "2 services" in notice.text
        assert notice.url.endswith("/evaluation/panel/")
    assert not notices(services.reviews.PANEL_RESULTS, member.user)  # a member not on the panel
    assert not notices(services.reviews.PANEL_RESULTS, world["worker"].user)


def test_each_partnership_s_panel_hears_of_its_own_reviews_only(world: dict[str, Any]) -> None:
    elsewhere = PartnershipFactory()
    other_panel = panel_member(elsewhere)
    make_answers(make_subject(elsewhere, None, "Their café"), date(2026, 7, 1), 5)
    assert services.reviews_open(now=AFTER_Q3) == 3
    [notice] = notices(services.reviews.PANEL_RESULTS, other_panel.user)
    assert "1 service," in notice.text
    assert notice.partnership_id == elsewhere.pk


# --- the panel's time and releasing ------------------------------------------------------------------------


def test_when_the_panel_s_time_is_over_the_service_s_staff_are_told_once(world: dict[str, Any]) -> None:
    services.reviews_open(now=AFTER_Q3)
    assert services.reviews_release_due(now=AFTER_Q3 + timedelta(days=6)) == 0
    until = AFTER_Q3 + timedelta(days=services.PANEL_DAYS)
    assert services.reviews_release_due(now=until) == 2
    assert services.reviews_release_due(now=until + timedelta(days=1)) == 0
    review = Review.objects.get(subject=world["job_club"])
    assert review.released_at == until
    for person in (world["worker"], world["lead"]):
        [notice] = notices(services.reviews.REVIEW_READY, person.user)
        assert "Job club" in notice.text
        assert notice.url.endswith(f"/evaluation/reviews/{review.pk}/")
    # the other organisation hears of its own service only
    [theirs] = notices(services.reviews.REVIEW_READY, world["other_org_lead"].user)
    assert "Drop-in" in theirs.text


def test_a_coordinator_releases_a_review_early(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"])
    services.review_release(actor=world["coordinator"], review_id=review.pk)
    review.refresh_from_db()
    assert review.released_at is not None
    assert len(notices(services.reviews.REVIEW_READY, world["worker"].user)) == 1
    with pytest.raises(ServiceError):
        services.review_release(actor=world["coordinator"], review_id=review.pk)
    assert services.reviews_release_due(now=timezone.now() + timedelta(days=30)) == 0  # not told twice


@pytest.mark.parametrize("who", ["worker", "lead"])
def test_only_coordinators_release_early(world: dict[str, Any], who: str) -> None:
    review = make_review(world["job_club"])
    with pytest.raises(NotPermitted):
        services.review_release(actor=world[who], review_id=review.pk)
    with pytest.raises(NotPermitted):
        services.review_release(actor=fresh(world["panel"][0]), review_id=review.pk)
    review.refresh_from_db()
    assert review.released_at is None


def test_a_review_of_another_partnership_is_out_of_reach(world: dict[str, Any]) -> None:
    elsewhere = make_review(make_subject(PartnershipFactory(), None, "Their café"))
    with pytest.raises(NotPermitted):
        services.review_release(actor=world["coordinator"], review_id=elsewhere.pk)


# --- comments ------------------------------------------------------------------------------------------------


def test_a_panel_member_comments_while_the_panel_has_the_results(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"])
    comment = services.panel_comment_add(actor=world["panel"][0], review_id=review.pk, text="  Times are hard  ")
    assert comment.text == "Times are hard"
    with pytest.raises(ServiceError) as empty:
        services.panel_comment_add(actor=world["panel"][0], review_id=review.pk, text="   ")
    assert empty.value.field == "text"


def test_nobody_comments_after_the_panel_s_time(world: dict[str, Any]) -> None:
    ended = make_review(world["job_club"], opened_at=timezone.now() - timedelta(days=8))
    released = make_review(world["drop_in"], released=True)
    for review in (ended, released):
        with pytest.raises(NotPermitted):
            services.panel_comment_add(actor=world["panel"][0], review_id=review.pk, text="Late")
    assert not PanelComment.objects.exists()


@pytest.mark.parametrize("who", ["worker", "coordinator"])
def test_only_panel_members_comment(world: dict[str, Any], who: str, member: Any) -> None:
    review = make_review(world["job_club"])
    for actor in (world[who], member):
        with pytest.raises(NotPermitted):
            services.panel_comment_add(actor=actor, review_id=review.pk, text="Hello")


def test_a_hidden_comment_is_seen_by_coordinators_only(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"])
    kept = services.panel_comment_add(actor=world["panel"][0], review_id=review.pk, text="Kind staff")
    hidden = services.panel_comment_add(actor=world["panel"][1], review_id=review.pk, text="Sarah at the desk was rude")
    with pytest.raises(NotPermitted):
        services.panel_comment_hide(actor=world["worker"], comment_id=hidden.pk)
    services.panel_comment_hide(actor=world["coordinator"], comment_id=hidden.pk)
    services.review_release(actor=world["coordinator"], review_id=review.pk)
    review = Review.objects.get(pk=review.pk)
    assert [c.pk for c in selectors.review_comments(world["worker"], review)] == [kept.pk]
    assert [c.pk for c in selectors.review_comments(world["panel"][0], review)] == [kept.pk]
    assert [c.pk for c in selectors.review_comments(world["coordinator"], review)] == [kept.pk, hidden.pk]
    mine = selectors.review_comments(world["panel"][0], review)[0]
    assert mine.mine is True  # type: ignore[attr-defined]
    assert selectors.review_comments(world["coordinator"], review)[0].mine is False  # type: ignore[attr-defined]


# --- who sees a review ------------------------------------------------------------------------------------------


def test_staff_see_their_service_s_review_only_after_the_panel(world: dict[str, Any], member: Any) -> None:
    review = make_review(world["job_club"])
    for actor in (world["worker"], world["lead"], world["other_org_lead"], member):
        with pytest.raises(NotPermitted):
            selectors.review_for(actor, review.pk)
    assert selectors.review_for(world["coordinator"], review.pk).pk == review.pk
    assert selectors.review_for(fresh(world["panel"][0]), review.pk).pk == review.pk
    services.review_release(actor=world["coordinator"], review_id=review.pk)
    assert selectors.review_for(world["worker"], review.pk).pk == review.pk
    assert [r.pk for r in selectors.reviews_for(world["lead"])] == [review.pk]
    for actor in (world["other_org_lead"], member):
        with pytest.raises(NotPermitted):
            selectors.review_for(actor, review.pk)
        assert selectors.reviews_for(actor) == []


def test_reviews_the_panel_is_reading_come_first(world: dict[str, Any]) -> None:
    older = make_review(world["job_club"], quarter_start=date(2026, 4, 1), released=True)
    newer = make_review(world["drop_in"], quarter_start=date(2026, 4, 1))
    oldest_open = make_review(world["job_club"], quarter_start=date(2026, 1, 1))
    found = [r.pk for r in selectors.reviews_for(world["coordinator"])]
    assert found == [newer.pk, oldest_open.pk, older.pk]


# --- responses ---------------------------------------------------------------------------------------------------


def test_staff_cannot_respond_while_the_panel_has_the_results(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"])
    for who in ("worker", "lead", "coordinator"):
        with pytest.raises(NotPermitted):
            services.response_write(actor=world[who], review_id=review.pk, text="Thanks")
    assert not Response.objects.exists()


def test_staff_of_another_organisation_cannot_respond(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"], released=True)
    with pytest.raises(NotPermitted):
        services.response_write(actor=world["other_org_lead"], review_id=review.pk, text="Thanks")


def test_a_response_with_a_promise_goes_on_the_commitments_board(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"], released=True)
    due = timezone.localdate() + timedelta(days=60)
    response = services.response_write(
        actor=world["lead"],
        review_id=review.pk,
        text="We heard that the times do not fit the school run.",
        promise="Move the job club to 10am",
        promise_due=due,
    )
    assert response.organisation_id == world["worker"].organisation_id
    [source] = [s for s in commitment_sources() if s.key == "evaluation.response"]
    [item] = source.items(world["worker"])
    assert (item.what, item.owner, item.due_on, item.done) == (
        "Move the job club to 10am",
        world["worker"].organisation.name,
        due,
        False,
    )
    assert item.url.endswith(f"/evaluation/reviews/{review.pk}/")
    services.response_done(actor=world["worker"], review_id=review.pk)
    [item] = source.items(world["coordinator"])
    assert item.done is True


def test_a_response_without_a_promise_is_not_on_the_board(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"], released=True)
    services.response_write(actor=world["worker"], review_id=review.pk, text="Thank you, we will talk about it.")
    [source] = [s for s in commitment_sources() if s.key == "evaluation.response"]
    assert source.items(world["coordinator"]) == []
    with pytest.raises(ServiceError):
        services.response_done(actor=world["worker"], review_id=review.pk)


@pytest.mark.parametrize(
    ("promise", "due_days", "field"),
    [("Open on Saturdays", None, "promise_due"), ("", 30, "promise"), ("Open on Saturdays", -1, "promise_due")],
)
def test_a_promise_needs_a_date_to_come_and_a_date_needs_a_promise(
    world: dict[str, Any], promise: str, due_days: int | None, field: str
) -> None:
    review = make_review(world["job_club"], released=True)
    due = None if due_days is None else timezone.localdate() + timedelta(days=due_days)
    with pytest.raises(ServiceError) as refused:
        services.response_write(
            actor=world["worker"], review_id=review.pk, text="Thanks", promise=promise, promise_due=due
        )
    assert refused.value.field == field
    assert not Response.objects.exists()


def test_the_panel_is_told_when_a_service_responds_once(world: dict[str, Any], member: Any) -> None:
    review = make_review(world["job_club"], released=True)
    services.response_write(actor=world["worker"], review_id=review.pk, text="Thanks")
    services.response_write(actor=world["worker"], review_id=review.pk, text="Thanks, and more")
    assert Response.objects.get().text == "Thanks, and more"
    for person in world["panel"]:
        [notice] = notices(services.reviews.RESPONDED, person.user)
        assert "Job club" in notice.text and notice.count == 1
    assert not notices(services.reviews.RESPONDED, member.user)


def test_changing_the_promise_makes_it_not_done_again(world: dict[str, Any]) -> None:
    review = make_review(world["job_club"], released=True)
    due = timezone.localdate() + timedelta(days=10)
    services.response_write(actor=world["worker"], review_id=review.pk, text="T", promise="A", promise_due=due)
    services.response_done(actor=world["worker"], review_id=review.pk)
    services.response_write(actor=world["worker"], review_id=review.pk, text="T", promise="A", promise_due=due)
    assert Response.objects.get().done_at is not None
    services.response_write(actor=world["worker"], review_id=review.pk, text="T", promise="B", promise_due=due)
    assert Response.objects.get().done_at is None


def test_published_responses_are_for_everyone_in_the_partnership(world: dict[str, Any], partnership: Any) -> None:
    review = make_review(world["job_club"], released=True)
    assert selectors.responses_published(world["worker"]) == []
    services.response_write(actor=world["worker"], review_id=review.pk, text="We will change the times.")
    observer = MembershipFactory(partnership=partnership, is_member=False, is_observer=True)
    [item] = selectors.responses_published(observer)
    assert (item.service, item.organisation, item.text) == (
        "Job club",
        world["worker"].organisation.name,
        "We will change the times.",
    )
    assert selectors.responses_published(MembershipFactory(is_member=True)) == []  # another partnership
